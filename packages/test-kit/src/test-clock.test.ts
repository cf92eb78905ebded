import { describe, expect, it } from 'vitest';
import { createTestClock } from './test-clock.ts';

describe('test clock', () => {
  it('moves only when told', () => {
    const clock = createTestClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    expect(clock.in(750)).toEqual(new Date(2_000));
  });
});
