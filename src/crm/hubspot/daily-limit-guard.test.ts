import { describe, expect, it } from 'vitest';
import { createDailyLimitGuard, nextDailyReset } from './daily-limit-guard.ts';

const at = (iso: string) => Date.parse(iso);

describe('nextDailyReset', () => {
  it.each([
    ['UTC', '2026-12-03T21:15:00.000Z', '2026-12-04T00:00:00.000Z'],
    ['Europe/Berlin', '2026-12-03T21:15:00.000Z', '2026-12-03T23:00:00.000Z'],
    ['Europe/Berlin', '2026-12-03T23:30:00.000Z', '2026-12-04T23:00:00.000Z'],
    ['America/New_York', '2026-07-01T03:00:00.000Z', '2026-07-01T04:00:00.000Z'],
    ['America/New_York', '2026-07-01T05:00:00.000Z', '2026-07-02T04:00:00.000Z'],
    ['Asia/Kolkata', '2026-12-03T12:00:00.000Z', '2026-12-03T18:30:00.000Z'],
    // The night clocks go forward (Berlin, 29 March 2026, 02:00 → 03:00) and the day after.
    ['Europe/Berlin', '2026-03-28T12:00:00.000Z', '2026-03-28T23:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29T12:00:00.000Z', '2026-03-29T22:00:00.000Z'],
  ])('in %s, after %s, is %s', (zone, now, reset) => {
    expect(new Date(nextDailyReset(at(now), zone)).toISOString()).toBe(reset);
  });

  it('is the next midnight when called exactly at one', () => {
    expect(nextDailyReset(at('2026-12-04T00:00:00.000Z'), 'UTC')).toBe(at('2026-12-05T00:00:00.000Z'));
  });
});

describe('the daily-limit guard', () => {
  it('turns calls away with the time left until the reset, then lets one through to probe', () => {
    let now = at('2026-12-03T21:00:00.000Z');
    const guard = createDailyLimitGuard({ now: () => now });
    expect(() => guard.check()).not.toThrow();
    expect(guard.pausedUntil).toBeUndefined();

    guard.block(at('2026-12-04T00:00:00.000Z'));
    expect(() => guard.check()).toThrow(
      expect.objectContaining({
        disposition: 'retry',
        code: 'hubspot_daily_limit',
        retryAfterMs: 3 * 3_600_000,
      }),
    );
    expect(guard.pausedUntil).toBe(at('2026-12-04T00:00:00.000Z'));

    now = at('2026-12-04T00:00:00.000Z');
    expect(() => guard.check()).not.toThrow();
    expect(guard.pausedUntil).toBeUndefined();
  });
});
