/**
 * HubSpot's API limits (spec C4, C5): a rolling ten-second budget per app, a daily budget per account
 * (private apps; reset at midnight in the account's time zone, UTC here), and search's own per-second
 * budget per account. Non-search answers carry the `X-HubSpot-RateLimit-*` headers; a refused request is
 * answered 429 with its policy (`TEN_SECONDLY_ROLLING`, `DAILY`, `SECONDLY`) and is not counted.
 */
import type { TokenGrant } from './access-tokens.ts';
import { type HubSpotError, type RateLimitPolicy, rateLimited } from './hubspot-error.ts';

export type HubSpotRateLimits = {
  /** Requests per app per rolling interval (private apps; Professional tier 190). */
  tenSecondly: number;
  intervalMs: number;
  /** The same budget for OAuth apps [U: 110]. */
  oauthTenSecondly: number;
  /** Requests per account per day (Professional tier 625,000). */
  daily: number;
  /** Search requests per account per second [O: 5]. */
  searchPerSecond: number;
};

export const DEFAULT_RATE_LIMITS: HubSpotRateLimits = {
  tenSecondly: 190,
  intervalMs: 10_000,
  oauthTenSecondly: 110,
  daily: 625_000,
  searchPerSecond: 5,
};

export type RateLimitAdmission =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; error: HubSpotError };

export type ThrottledCounts = Record<RateLimitPolicy, number> & { total: number };

export type RateLimits = {
  admit(grant: TokenGrant, kind: 'standard' | 'search'): RateLimitAdmission;
  limits(): HubSpotRateLimits;
  setLimits(changes: Partial<HubSpotRateLimits>): HubSpotRateLimits;
  /** Requests counted today against the daily budget. */
  dailyUsed(): number;
  throttled(): ThrottledCounts;
  /** Forgets every window and today's count (not the limits). */
  resetUsage(): void;
};

const DAY_MS = 86_400_000;

export function createRateLimits(options: {
  now: () => number;
  portalId: number;
  limits?: Partial<HubSpotRateLimits>;
}): RateLimits {
  let limits = validLimits({ ...DEFAULT_RATE_LIMITS, ...options.limits });
  const windows = new Map<number, number[]>();
  let searches: number[] = [];
  let day = { key: -1, used: 0 };
  const throttled: ThrottledCounts = { TEN_SECONDLY_ROLLING: 0, DAILY: 0, SECONDLY: 0, total: 0 };

  const today = () => {
    const key = Math.floor(options.now() / DAY_MS);
    if (day.key !== key) day = { key, used: 0 };
    return day;
  };
  const recent = (list: number[], spanMs: number) => {
    const since = options.now() - spanMs;
    while (list.length > 0 && (list[0] as number) <= since) list.shift();
    return list;
  };
  const refuse = (
    policy: RateLimitPolicy,
    groupName: string | undefined,
    headers: Record<string, string>,
  ) => {
    throttled[policy] += 1;
    throttled.total += 1;
    return { ok: false as const, error: rateLimited(policy, groupName, headers) };
  };

  return {
    admit(grant, kind) {
      const oauth = grant.kind === 'oauth';
      const counted = today();
      const max = oauth ? limits.oauthTenSecondly : limits.tenSecondly;
      const window = recent(windows.get(grant.appId) ?? [], limits.intervalMs);
      windows.set(grant.appId, window);
      const headers = (remaining: number, dailyRemaining: number): Record<string, string> =>
        kind === 'search'
          ? {}
          : {
              ...(oauth
                ? {}
                : {
                    'X-HubSpot-RateLimit-Daily': String(limits.daily),
                    'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, dailyRemaining)),
                  }),
              'X-HubSpot-RateLimit-Interval-Milliseconds': String(limits.intervalMs),
              'X-HubSpot-RateLimit-Max': String(max),
              'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
            };
      const dailyRemaining = limits.daily - counted.used;
      const appKind = oauth ? 'oauth' : 'private_app';
      if (!oauth && dailyRemaining <= 0)
        return refuse(
          'DAILY',
          `publicapi:${appKind}-api-calls-daily:${options.portalId}`,
          headers(max - window.length, 0),
        );
      if (kind === 'search') {
        if (recent(searches, 1000).length >= limits.searchPerSecond) return refuse('SECONDLY', undefined, {});
        searches.push(options.now());
      } else {
        if (window.length >= max)
          return refuse(
            'TEN_SECONDLY_ROLLING',
            `publicapi:${appKind}-api-calls-ten-secondly:${grant.appId}:${options.portalId}`,
            headers(0, dailyRemaining),
          );
        window.push(options.now());
      }
      counted.used += 1;
      return { ok: true, headers: headers(max - window.length, limits.daily - counted.used) };
    },
    limits: () => ({ ...limits }),
    setLimits(changes) {
      limits = validLimits({ ...limits, ...changes });
      return { ...limits };
    },
    dailyUsed: () => today().used,
    throttled: () => ({ ...throttled }),
    resetUsage() {
      windows.clear();
      searches = [];
      day = { key: -1, used: 0 };
    },
  };
}

function validLimits(limits: HubSpotRateLimits): HubSpotRateLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw new TypeError(`hubspot rate limit "${name}" must be a positive number, got ${String(value)}`);
  }
  return limits;
}
