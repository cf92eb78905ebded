/**
 * At most `limit` events in any sliding window of `windowMs` (pure, clock injected): the certificate
 * source spends one per cache miss, so no caller can make it download without bound.
 */
export type MissBudget = {
  /** Spends one if there is one; otherwise says how long until the oldest leaves the window. */
  take(): { ok: true } | { ok: false; retryAfterMs: number };
};

export function createMissBudget(options: {
  limit: number;
  windowMs: number;
  now: () => number;
}): MissBudget {
  // The times of the misses still inside the window, oldest first; never more than `limit`.
  const spent: number[] = [];
  return {
    take() {
      const now = options.now();
      while (spent.length > 0 && (spent[0] as number) <= now - options.windowMs) spent.shift();
      if (spent.length < options.limit) {
        spent.push(now);
        return { ok: true };
      }
      const oldest = spent[0] ?? now; // limit 0: nothing is ever allowed
      return { ok: false, retryAfterMs: oldest + options.windowMs - now };
    },
  };
}
