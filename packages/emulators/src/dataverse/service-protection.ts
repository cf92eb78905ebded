/**
 * Service protection limits (spec A9), per application user over a sliding window: number of requests,
 * combined execution time, and concurrent requests. Exceeding one answers 429 with an integer
 * `Retry-After` (seconds until the oldest counted entry leaves the window) and that limit's hex code.
 * Requests refused here are not counted. The window is configurable so benchmarks can compress time
 * (e.g. 6000 per 5 s).
 */
import { DATAVERSE_CODES, DataverseError } from './dataverse-error.ts';

export type ServiceProtectionLimits = {
  requestsPerWindow: number;
  /** Combined execution time allowed per window. */
  executionTimeMs: number;
  windowMs: number;
  concurrentRequests: number;
};

export const DEFAULT_LIMITS: ServiceProtectionLimits = {
  requestsPerWindow: 6000,
  executionTimeMs: 1_200_000,
  windowMs: 300_000,
  concurrentRequests: 52,
};

export type ThrottledCounters = {
  requests: number;
  executionTime: number;
  concurrency: number;
  total: number;
};

export type Admission =
  | { ok: true; release(executionMs: number): void }
  | { ok: false; error: DataverseError };

export type ServiceProtection = {
  admit(user: string): Admission;
  limits(): ServiceProtectionLimits;
  setLimits(changes: Partial<ServiceProtectionLimits>): ServiceProtectionLimits;
  throttled(): ThrottledCounters;
};

type UserWindow = { requests: number[]; executions: Array<{ at: number; ms: number }>; inFlight: number };

export function createServiceProtection(options: {
  now: () => number;
  limits?: Partial<ServiceProtectionLimits>;
}): ServiceProtection {
  let limits: ServiceProtectionLimits = validLimits({ ...DEFAULT_LIMITS, ...options.limits });
  const users = new Map<string, UserWindow>();
  const counters: ThrottledCounters = { requests: 0, executionTime: 0, concurrency: 0, total: 0 };

  const windowOf = (user: string): UserWindow => {
    let window = users.get(user);
    if (!window) {
      window = { requests: [], executions: [], inFlight: 0 };
      users.set(user, window);
    }
    const since = options.now() - limits.windowMs;
    while (window.requests.length > 0 && (window.requests[0] as number) <= since) window.requests.shift();
    while (window.executions.length > 0 && (window.executions[0]?.at as number) <= since)
      window.executions.shift();
    return window;
  };

  const retryAfter = (oldest: number | undefined): number => {
    const waitMs = oldest === undefined ? 1000 : oldest + limits.windowMs - options.now();
    return Math.max(1, Math.ceil(waitMs / 1000));
  };

  const refuse = (kind: ThrottleKind, seconds: number): Admission => {
    counters[kind] += 1;
    counters.total += 1;
    return { ok: false, error: throttleError(kind, limits, seconds) };
  };

  return {
    admit(user) {
      const window = windowOf(user);
      if (window.inFlight >= limits.concurrentRequests) return refuse('concurrency', 1);
      if (window.requests.length >= limits.requestsPerWindow)
        return refuse('requests', retryAfter(window.requests[0]));
      const spent = window.executions.reduce((sum, e) => sum + e.ms, 0);
      if (spent >= limits.executionTimeMs)
        return refuse('executionTime', retryAfter(window.executions[0]?.at));
      window.requests.push(options.now());
      window.inFlight += 1;
      let released = false;
      return {
        ok: true,
        release(executionMs) {
          if (released) return;
          released = true;
          window.inFlight -= 1;
          window.executions.push({ at: options.now(), ms: executionMs });
        },
      };
    },
    limits: () => ({ ...limits }),
    setLimits(changes) {
      limits = validLimits({ ...limits, ...changes });
      return { ...limits };
    },
    throttled: () => ({ ...counters }),
  };
}

export type ThrottleKind = 'requests' | 'executionTime' | 'concurrency';

/** The 429 the service answers when a limit trips, with the documented code and message. */
export function throttleError(
  kind: ThrottleKind,
  limits: ServiceProtectionLimits,
  retryAfterSeconds: number,
): DataverseError {
  const window = formatNumber(limits.windowMs / 1000);
  const byKind = {
    requests: [
      DATAVERSE_CODES.throttledRequests,
      `Number of requests exceeded the limit of ${limits.requestsPerWindow} over time window of ${window} seconds.`,
    ],
    executionTime: [
      DATAVERSE_CODES.throttledExecutionTime,
      `Combined execution time of incoming requests exceeded limit of ${formatNumber(limits.executionTimeMs)} milliseconds over time window of ${window} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
    ],
    concurrency: [
      DATAVERSE_CODES.throttledConcurrency,
      `Number of concurrent requests exceeded the limit of ${limits.concurrentRequests}.`,
    ],
  } as const;
  const [code, message] = byKind[kind];
  return new DataverseError(429, code, message, { 'Retry-After': String(retryAfterSeconds) });
}

function validLimits(limits: ServiceProtectionLimits): ServiceProtectionLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(`service protection limit "${name}" must be a positive number, got ${String(value)}`);
    }
  }
  return limits;
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US');
}
