import { describe, expect, it } from 'vitest';
import { createExpiringCache } from './expiring-cache.ts';

describe('the expiring cache', () => {
  it('forgets an entry once it expires', () => {
    let now = 0;
    const cache = createExpiringCache<string>({ maxEntries: 4, now: () => now });
    cache.set('a', 'A', 10);
    expect(cache.get('a')).toBe('A');
    now = 10;
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops the least recently used entry when full', () => {
    const cache = createExpiringCache<string>({ maxEntries: 2, now: () => 0 });
    cache.set('a', 'A', 100);
    cache.set('b', 'B', 100);
    cache.get('a');
    cache.set('c', 'C', 100);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual(['A', undefined, 'C', 2]);
  });

  it('moves the expiry only of the value it was asked about', () => {
    const cache = createExpiringCache<string>({ maxEntries: 2, now: () => 5 });
    cache.set('a', 'new', 100);
    cache.expireAt('a', 'old', 0);
    expect(cache.get('a')).toBe('new');
  });
});
