import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-backoff.ts';

const policy = { baseMs: 1_000, capMs: 60_000 };
const almostOne = 1 - Number.EPSILON;

describe('retryDelayMs', () => {
  it('doubles the ceiling with every failed attempt', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, policy, () => almostOne))).toEqual([
      999, 1_999, 3_999, 7_999,
    ]);
  });

  it('never exceeds the cap, however many attempts failed', () => {
    expect(retryDelayMs(7, policy, () => almostOne)).toBe(59_999);
    expect(retryDelayMs(5_000, policy, () => almostOne)).toBe(59_999);
  });

  it('spreads delays uniformly from zero up to the ceiling', () => {
    expect(retryDelayMs(3, policy, () => 0)).toBe(0);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(2_000);
  });
});
