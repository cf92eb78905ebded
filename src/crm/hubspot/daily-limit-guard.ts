/**
 * HubSpot's daily API limit is per portal and resets at midnight in the portal's time zone (spec crm.md
 * §C5); a 429 `DAILY` says it is used up and not when it frees. Once one arrives, nothing of ours goes to
 * HubSpot until that midnight: each call fails at once with the time to come back, instead of queueing
 * for hours, and the first call after the reset probes whether the budget is back.
 */
import { RemoteError } from '../../net/remote-error.ts';

export type DailyLimitGuard = {
  /** Throws `hubspot_daily_limit` (retry, with the time left) while the daily limit is known used up. */
  check(): void;
  /** The portal answered 429 DAILY: pause until `until` (epoch ms). */
  block(until: number): void;
  /** Until when HubSpot calls are paused, for status lines; undefined when they are not. */
  readonly pausedUntil: number | undefined;
};

export function createDailyLimitGuard(options: { now?: () => number } = {}): DailyLimitGuard {
  const now = options.now ?? Date.now;
  let blockedUntil = 0;
  return {
    check() {
      const at = now();
      if (at >= blockedUntil) return;
      throw new RemoteError({
        remote: 'hubspot',
        disposition: 'retry',
        code: 'hubspot_daily_limit',
        retryAfterMs: blockedUntil - at,
        message: `the portal's daily API limit is used up: HubSpot calls are paused until it resets at ${new Date(blockedUntil).toISOString()}`,
      });
    },
    block(until) {
      blockedUntil = Math.max(blockedUntil, until);
    },
    get pausedUntil() {
      return now() < blockedUntil ? blockedUntil : undefined;
    },
  };
}

/**
 * The next midnight after `now` in `timeZone` (IANA), as epoch ms. Wall-clock midnight is turned into
 * an instant with the zone's offset at that instant (found in two steps, as a daylight-saving change may
 * fall between now and midnight).
 */
export function nextDailyReset(now: number, timeZone: string): number {
  const wall = wallClock(now, timeZone);
  const midnightAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day + 1);
  let instant = midnightAsUtc - offsetAt(now, timeZone);
  instant = midnightAsUtc - offsetAt(instant, timeZone);
  return instant > now ? instant : instant + 86_400_000;
}

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string): WallClock {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(
    format.formatToParts(new Date(ms)).map((part) => [part.type, Number(part.value)]),
  );
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const wall = wallClock(ms, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}
