/**
 * A background pass repeated every interval (the reconciler, the CRM change poller, pruning): one pass
 * at a time, the next one an interval after the previous ended, a failed pass only logged (the next one
 * retries), and `stop()` waits for a pass in progress. Timers are unref'd: they never keep a CLI alive.
 */
export type PeriodicTask = {
  start(): void;
  stop(): Promise<void>;
};

export type PeriodicTaskOptions<T> = {
  /** One pass; `signal` aborts when the task stops, for passes long enough to want to end early. */
  run: (signal: AbortSignal) => Promise<T>;
  /** 0 (a setting's "off") never runs it. */
  intervalMs: number;
  /** The first pass at start, rather than one interval after it. */
  runAtStart: boolean;
  onResult?: (result: T) => void;
  onError: (error: unknown) => void;
};

export function createPeriodicTask<T>(options: PeriodicTaskOptions<T>): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  let abort = new AbortController();

  const schedule = () => {
    timer = setTimeout(tick, options.intervalMs).unref();
  };
  const tick = () => {
    if (stopped) return;
    running = options
      .run(abort.signal)
      .then((result) => options.onResult?.(result), options.onError)
      .finally(() => {
        running = undefined;
        if (!stopped) schedule();
      });
  };

  return {
    start() {
      if (!stopped || options.intervalMs <= 0) return;
      stopped = false;
      abort = new AbortController();
      if (options.runAtStart) tick();
      else schedule();
    },
    async stop() {
      stopped = true;
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
