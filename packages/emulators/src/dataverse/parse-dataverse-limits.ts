/**
 * The `--dataverse-limits` syntax of `emulate`: `default` (the real service-protection limits), `off`
 * (nothing throttles), or `N/WINDOW` such as `600/1m`, `100/10s`, `50/500ms`: N requests per sliding window,
 * with the combined execution time allowed in the real proportion (1,200 s per 6,000 requests: 200 ms a
 * request) and the real 52 concurrent requests.
 */
import { DEFAULT_LIMITS, type ServiceProtectionLimits } from './service-protection.ts';

const EXECUTION_MS_PER_REQUEST = DEFAULT_LIMITS.executionTimeMs / DEFAULT_LIMITS.requestsPerWindow;

/**
 * Far beyond what one process sends; a short window keeps the per-request bookkeeping of both the
 * emulator and the connector's own budget small.
 */
export const LIFTED_LIMITS: ServiceProtectionLimits = {
  requestsPerWindow: 1_000_000,
  executionTimeMs: 1_000_000 * EXECUTION_MS_PER_REQUEST,
  windowMs: 1_000,
  concurrentRequests: 10_000,
};

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000 } as const;

export class DataverseLimitsSpecError extends Error {
  readonly code = 'dataverse_limits_invalid';
  constructor(spec: string) {
    super(
      `--dataverse-limits: "${spec}" is not one of default, off, or N/WINDOW (requests per window, e.g. 600/1m, 100/10s)`,
    );
  }
}

export function parseDataverseLimits(spec: string): ServiceProtectionLimits {
  const trimmed = spec.trim().toLowerCase();
  if (trimmed === 'default') return { ...DEFAULT_LIMITS };
  if (trimmed === 'off') return { ...LIFTED_LIMITS };
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(trimmed);
  if (!match) throw new DataverseLimitsSpecError(spec);
  const [, count = '', amount = '', unit = 's'] = match;
  const requestsPerWindow = Number(count);
  const windowMs = Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  if (requestsPerWindow < 1 || windowMs < 100) throw new DataverseLimitsSpecError(spec);
  return {
    requestsPerWindow,
    windowMs,
    executionTimeMs: requestsPerWindow * EXECUTION_MS_PER_REQUEST,
    concurrentRequests: DEFAULT_LIMITS.concurrentRequests,
  };
}
