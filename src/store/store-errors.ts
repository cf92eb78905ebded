/** Why the store could not commit; every case means "try again later", never "the request was bad". */
export type StoreUnavailableReason =
  | 'busy'
  | 'disk_full'
  | 'io'
  | 'read_only'
  | 'cannot_open'
  | 'corrupt'
  | 'out_of_memory'
  /** The database server cannot be reached or dropped the connection (PostgreSQL). */
  | 'unreachable'
  | 'closed';

/**
 * The store cannot take or keep a write right now. Ingress answers 503 (Partner Center retries), workers
 * leave the job alone (its lease expires and it is retried). Anything else thrown by a store is a bug.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  readonly reason: StoreUnavailableReason;
  /** `detail`: what the database said, for people (never credentials: driver messages carry none). */
  constructor(reason: StoreUnavailableReason, options?: { cause?: unknown; detail?: string }) {
    super(
      options?.detail ? `store unavailable: ${reason} (${options.detail})` : `store unavailable: ${reason}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'StoreUnavailableError';
    this.reason = reason;
  }
}

/**
 * Runs `work`, retrying while the store is only busy (another process holds the write lock: a CLI
 * command, a backup) for up to `patienceMs`. Other failures are thrown at once.
 */
export async function whileBusy<T>(work: () => T | Promise<T>, patienceMs = 10_000): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError && error.reason === 'busy') || Date.now() > deadline)
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
