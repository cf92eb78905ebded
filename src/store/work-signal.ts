/**
 * In-process wake-ups for idle workers, so they sleep until something changes instead of polling.
 * Every waiter wakes on `notify()`; the one that claims first wins and the rest wait again.
 */
export type WorkSignal = {
  notify(): void;
  /** Resolves on the next `notify()`, after `delayMs`, or when `signal` aborts, whichever is first. */
  wait(delayMs: number, signal?: AbortSignal): Promise<void>;
};

export function createWorkSignal(): WorkSignal {
  const waiters = new Set<() => void>();
  return {
    notify() {
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
