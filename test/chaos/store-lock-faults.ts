/**
 * A store fault from outside the connector, as another process would cause it: a second connection to
 * the connector's SQLite file takes the write lock (BEGIN IMMEDIATE) and holds it for a moment. Writes
 * the connector tries meanwhile wait out its busy timeout (`store.busyTimeoutMs`) and fail as
 * `store_unavailable`; the webhook route answers 503 and Partner Center retries.
 */
import { DatabaseSync } from 'node:sqlite';

export type StoreLockFaults = {
  /** Takes the lock every `everyMs` and holds it `holdMs`, until `pause` or `stop`. */
  start(schedule: { everyMs: number; holdMs: number }): void;
  /** Stops taking the lock and waits until it is released. */
  pause(): Promise<void>;
  stop(): Promise<void>;
  readonly holds: number;
  readonly heldMs: number;
};

export function createStoreLockFaults(path: string): StoreLockFaults {
  // The connector's own transactions last milliseconds; waiting for one to end is fine here.
  const db = new DatabaseSync(path, { timeout: 5_000 });
  let holds = 0;
  let heldMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let release: Promise<void> = Promise.resolve();

  const hold = (ms: number) => {
    if (db.isTransaction) return;
    db.exec('BEGIN IMMEDIATE');
    const since = Date.now();
    holds += 1;
    release = new Promise((resolve) =>
      setTimeout(() => {
        db.exec('COMMIT');
        heldMs += Date.now() - since;
        resolve();
      }, ms),
    );
  };

  return {
    start({ everyMs, holdMs }) {
      clearInterval(timer);
      timer = setInterval(() => hold(holdMs), everyMs);
    },
    async pause() {
      clearInterval(timer);
      await release;
    },
    async stop() {
      clearInterval(timer);
      await release;
      if (db.isOpen) db.close();
    },
    get holds() {
      return holds;
    },
    get heldMs() {
      return heldMs;
    },
  };
}
