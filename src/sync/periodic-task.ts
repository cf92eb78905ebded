/**
 * A background pass repeated every interval (the reconciler, the CRM change poller, pruning): one pass
 * at a time, the next one an interval after the previous ended, a failed pass only logged (the next one
 * retries), and `stop()` waits for a pass in progress. Timers are unref'd: they never keep a CLI alive.
 * With `lead`, only the instance leading the pass runs it; the others check again each interval, so one
 * takes over at most an interval after the leader died or stopped.
 */
import type { Leadership } from '../store/ports.ts';

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
  /** Among several instances sharing a store, who runs the pass. */
  lead?: Leadership;
};

const NOT_LEADING = Symbol('not leading');

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
    running = pass()
      .then((result) => {
        if (result !== NOT_LEADING) options.onResult?.(result);
      }, options.onError)
      .finally(() => {
        running = undefined;
        if (!stopped) schedule();
      });
  };

  const pass = (): Promise<T | typeof NOT_LEADING> => {
    const { lead } = options;
    if (!lead) return options.run(abort.signal);
    // A store that cannot say who leads (a passing outage) means: not us, this time.
    return lead
      .acquire()
      .catch(() => false)
      .then(
        (leading): Promise<T | typeof NOT_LEADING> =>
          leading ? options.run(abort.signal) : Promise.resolve(NOT_LEADING),
      );
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
      await options.lead?.release().catch(() => undefined);
    },
  };
}
