import { DatabaseSync } from 'node:sqlite';

/**
 * Which processes work the queue of a SQLite file, told by the operating system: each worker process
 * holds a shared lock on a small side file (`<database>-workers`) for as long as it lives, and the
 * system drops it when the process dies, SIGKILL included. A process that joins while no other holds
 * it is alone: every job still marked running was claimed by a process that is gone, so it may release
 * them all at once instead of waiting out their leases. One that joins beside a live worker process
 * (`serve` and `backfill` together) is not, and touches only expired leases.
 */
export type WorkerLock = {
  /**
   * Marks this process as a worker of the file from now on (once; later calls do nothing). When no other
   * worker process holds the lock, runs `whenAlone` first, while it holds it exclusively, so no worker
   * process can start in between; if `whenAlone` throws, nothing is joined and the next call tries again.
   */
  join(whenAlone: () => void): void;
  readonly joined: boolean;
  release(): void;
};

export function workerLockPath(databasePath: string): string {
  return `${databasePath}-workers`;
}

const SQLITE_BUSY = 5;

function isBusy(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown }).errcode;
  return typeof errcode === 'number' && (errcode & 0xff) === SQLITE_BUSY;
}

export function createWorkerLock(databasePath: string): WorkerLock {
  let holder: DatabaseSync | undefined;
  return {
    join(whenAlone) {
      if (holder) return;
      const db = new DatabaseSync(workerLockPath(databasePath), { timeout: 0 });
      try {
        // An exclusive lock is granted only while no other process holds even a shared one.
        let exclusive = false;
        try {
          db.exec(`BEGIN EXCLUSIVE;
            CREATE TABLE IF NOT EXISTS joined (pid INTEGER NOT NULL, at TEXT NOT NULL);
            INSERT INTO joined VALUES (${process.pid}, '${new Date().toISOString()}');`);
          exclusive = true;
        } catch (error) {
          if (!isBusy(error)) throw error;
        }
        if (exclusive) whenAlone();
        if (db.isTransaction) db.exec(exclusive ? 'COMMIT' : 'ROLLBACK');
        // From here until this process closes the file or dies: a read transaction's shared lock. Others
        // hold the exclusive lock only while they join, so waiting a moment for it is enough.
        db.exec('PRAGMA busy_timeout = 2000');
        db.exec('BEGIN');
        db.prepare('SELECT count(*) FROM sqlite_schema').get();
        holder = db;
      } catch (error) {
        db.close();
        throw error;
      }
    },
    get joined() {
      return holder !== undefined;
    },
    release() {
      holder?.close();
      holder = undefined;
    },
  };
}
