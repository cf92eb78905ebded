/**
 * The org's daily API request allocation (spec B6): every REST API call counts against a rolling
 * 24-hour window shared by the whole org; once the count reaches the allocation, calls are refused with
 * 403 `REQUEST_LIMIT_EXCEEDED` (refused calls do not count) until old calls leave the window. The count
 * is what `Sforce-Limit-Info: api-usage=<used>/<max>` and `/limits` report. Kept in one-minute buckets,
 * so a long benchmark costs a bounded amount of memory.
 */

export type ApiUsage = { used: number; max: number };

export type ApiLimits = {
  /** Counts one call if the allocation allows it; false when the call must be refused. */
  admit(): boolean;
  usage(): ApiUsage;
  setMax(max: number): void;
  /** Sets the calls counted in the window (as if made just now), e.g. to start a test near the limit. */
  setUsed(used: number): void;
};

const WINDOW_MS = 24 * 60 * 60_000;
const BUCKET_MS = 60_000;

/** Enterprise Edition's base allocation (100,000 a day); Developer Edition has 15,000. */
export const DEFAULT_DAILY_API_REQUESTS = 100_000;

export function createApiLimits(options: { max?: number; now: () => number }): ApiLimits {
  let max = options.max ?? DEFAULT_DAILY_API_REQUESTS;
  const buckets = new Map<number, number>();
  let total = 0;

  const expire = () => {
    const oldest = Math.floor((options.now() - WINDOW_MS) / BUCKET_MS);
    for (const [bucket, count] of buckets) {
      if (bucket <= oldest) {
        buckets.delete(bucket);
        total -= count;
      }
    }
  };
  const add = (count: number) => {
    const bucket = Math.floor(options.now() / BUCKET_MS);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
    total += count;
  };

  return {
    admit() {
      expire();
      if (total >= max) return false;
      add(1);
      return true;
    },
    usage() {
      expire();
      return { used: total, max };
    },
    setMax(value) {
      max = value;
    },
    setUsed(used) {
      buckets.clear();
      total = 0;
      if (used > 0) add(used);
    },
  };
}
