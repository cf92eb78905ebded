/**
 * Keeps our calls to one remote inside its published limits, so we are not the ones provoking 429s:
 * requests per sliding window, execution time per window (the round trip, an upper bound of what the
 * server counts), requests in flight; plus a pause for the whole remote when it says it is throttled
 * (Retry-After). Waiters are served in arrival order.
 */
export type RequestBudgetOptions = {
  concurrency: number;
  /** Sliding window; omit the two per-window limits for a concurrency limit only. */
  windowMs?: number;
  requestsPerWindow?: number;
  executionMsPerWindow?: number;
  now?: () => number;
};

export type RequestBudget = {
  /** Waits for a slot; call the returned function when the request is over. */
  acquire(): Promise<() => void>;
  /** No request starts before `ms` from now (a remote's Retry-After). */
  pauseFor(ms: number): void;
  readonly inFlight: number;
  readonly waiting: number;
};

type Entry = { start: number; durationMs: number; done: boolean };

export function createRequestBudget(options: RequestBudgetOptions): RequestBudget {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 0;
  // The remote counts a request when it arrives, we when it leaves: a request stays in our window a
  // little longer than the remote's, so the window boundary never lets one too many through.
  const heldMs = windowMs > 0 ? windowMs + Math.max(1000, windowMs * 0.02) : 0;
  const window: Entry[] = [];
  // A waiter is handed its slot already reserved, so one pump cannot let more through than fit.
  const waiters: Array<(release: () => void) => void> = [];
  let inFlight = 0;
  let pausedUntil = 0;
  let timer: NodeJS.Timeout | undefined;

  const prune = (at: number) => {
    while (window.length > 0 && (window[0] as Entry).done && (window[0] as Entry).start + heldMs <= at)
      window.shift();
  };
  const executionUsed = (at: number) =>
    window.reduce((sum, entry) => sum + (entry.done ? entry.durationMs : at - entry.start), 0);

  /** Milliseconds until a request may start, 0 when it may start now, Infinity when one must finish first. */
  const waitTime = (at: number): number => {
    if (pausedUntil > at) return pausedUntil - at;
    if (inFlight >= options.concurrency) return Number.POSITIVE_INFINITY;
    if (windowMs <= 0) return 0;
    prune(at);
    const oldest = window[0];
    if (options.requestsPerWindow !== undefined && window.length >= options.requestsPerWindow && oldest) {
      return oldest.done ? Math.max(1, oldest.start + heldMs - at) : Number.POSITIVE_INFINITY;
    }
    if (
      options.executionMsPerWindow !== undefined &&
      executionUsed(at) >= options.executionMsPerWindow &&
      oldest
    ) {
      return oldest.done ? Math.max(1, oldest.start + heldMs - at) : Number.POSITIVE_INFINITY;
    }
    return 0;
  };

  const reserve = (): (() => void) => {
    const entry: Entry = { start: now(), durationMs: 0, done: false };
    if (windowMs > 0) window.push(entry);
    inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      entry.durationMs = now() - entry.start;
      entry.done = true;
      pump();
    };
  };

  const pump = () => {
    while (waiters.length > 0) {
      const at = now();
      const wait = waitTime(at);
      if (wait === 0) {
        const next = waiters.shift() as (release: () => void) => void;
        next(reserve());
        continue;
      }
      if (Number.isFinite(wait) && !timer) {
        timer = setTimeout(() => {
          timer = undefined;
          pump();
        }, wait);
        timer.unref();
      }
      return;
    }
  };

  return {
    acquire() {
      if (waiters.length === 0 && waitTime(now()) === 0) return Promise.resolve(reserve());
      return new Promise<() => void>((resolve) => {
        waiters.push(resolve);
        pump();
      });
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      pump();
    },
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return waiters.length;
    },
  };
}
