/** Defaults of the job queue, in one place, shared by every backend. */
export const QUEUE_DEFAULTS = {
  /**
   * Attempts before a job is dead-lettered. With the back-off below the expected wait before giving up is
   * ~16 minutes (at most ~32), long enough to ride out a short CRM or Partner Center outage; the reconciler and replay
   * cover longer ones.
   */
  maxAttempts: 12,
  /** Back-off ceiling for attempt n is min(capMs, baseMs · 2^(n-1)); the delay is uniform below it. */
  backoffBaseMs: 1_000,
  backoffCapMs: 15 * 60 * 1000,
  /**
   * Longest `waitForWork` sleeps without a wake-up: catches jobs written by another process on the same
   * database (e.g. the `replay` command), which the in-process notification cannot see.
   */
  maxIdleMs: 2_000,
} as const;
