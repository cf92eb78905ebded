import { describe, expect, it } from 'vitest';
import { createSessionRegistry } from './session-registry.ts';

const user = { name: 'token', via: 'token' as const };

describe('console sessions', () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('ends a session left idle, while use keeps it alive', () => {
    const time = clock();
    const registry = createSessionRegistry({ idleMs: 1000, maxMs: 10_000, now: time.now });
    const session = registry.open(user);
    time.advance(900);
    expect(registry.touch(session.id)).toBeDefined();
    time.advance(900);
    expect(registry.touch(session.id)).toBeDefined();
    time.advance(1000);
    expect(registry.touch(session.id)).toBeUndefined();
  });

  it('ends a session at its maximum age however busy, and at once when closed', () => {
    const time = clock();
    const registry = createSessionRegistry({ idleMs: 1000, maxMs: 2500, now: time.now });
    const busy = registry.open(user);
    for (let i = 0; i < 4; i++) {
      time.advance(600);
      expect(registry.touch(busy.id)).toBeDefined();
    }
    time.advance(200);
    expect(registry.touch(busy.id)).toBeUndefined();
    const other = registry.open(user);
    registry.close(other.id);
    expect(registry.touch(other.id)).toBeUndefined();
  });

  it('hands a sign-in transaction out once, and not after ten minutes', () => {
    const time = clock();
    const registry = createSessionRegistry({ idleMs: 1000, maxMs: 2000, now: time.now });
    const pending = { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/' };
    const key = registry.holdSignIn(pending);
    expect(registry.takeSignIn(key)).toMatchObject(pending);
    expect(registry.takeSignIn(key)).toBeUndefined();
    const late = registry.holdSignIn(pending);
    time.advance(10 * 60_000);
    expect(registry.takeSignIn(late)).toBeUndefined();
  });

  it('gives every session a new unguessable id', () => {
    const registry = createSessionRegistry({ idleMs: 1000, maxMs: 2000 });
    const ids = new Set(Array.from({ length: 50 }, () => registry.open(user).id));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
