/**
 * In-process wake-ups for idle workers, so they sleep until something changes instead of polling.
 * `notify()` wakes one waiter, the longest waiting: waking them all made every idle worker race for
 * each new job (a claim per idle worker: about half of a busy connector's allocations, measured). One
 * that claims a job passes the wake-up on (the queue notifies again), so a batch of new jobs reaches as
 * many workers as it needs, one claim at a time.
 */
export type WorkSignal = {
  notify(): void;
  /** Wakes every waiter (closing the store: each must see it). */
  notifyAll(): void;
  /** Resolves on a `notify()` that picks it, after `delayMs`, or when `signal` aborts, whichever is first. */
  wait(delayMs: number, signal?: AbortSignal): Promise<void>;
};

export function createWorkSignal(): WorkSignal {
  // Insertion-ordered: the first waiter is the one waiting longest.
  const waiters = new Set<() => void>();
  return {
    notify() {
      const [first] = waiters;
      first?.();
    },
    notifyAll() {
      for (const wake of [...waiters]) wake();
    },
    wait(delayMs, signal) {
      if (signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', wake);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(0, delayMs));
        signal?.addEventListener('abort', wake, { once: true });
        waiters.add(wake);
      });
    },
  };
}
