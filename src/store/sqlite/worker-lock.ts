import { DatabaseSync } from 'node:sqlite';

/**
 * Proof that no other live process works the queue of a SQLite file: an exclusive lock on a small
 * side file (`<database>-workers`), held for as long as this process keeps it open. The operating
 * system drops the lock when its process dies, SIGKILL included, so a process that takes it knows every
 * job still marked running belongs to a worker that is gone, and can release them all at once instead
 * of waiting out their leases. A process that cannot take it shares the file with a live worker
 * process and recovers only expired leases.
 */
export type WorkerLock = {
  /** True when this process holds the lock now, taking it if it is free. Never waits. */
  tryAcquire(): boolean;
  readonly held: boolean;
  release(): void;
};

export function workerLockPath(databasePath: string): string {
  return `${databasePath}-workers`;
}

export function createWorkerLock(databasePath: string): WorkerLock {
  let holder: DatabaseSync | undefined;
  return {
    tryAcquire() {
      if (holder) return true;
      const db = new DatabaseSync(workerLockPath(databasePath), { timeout: 0 });
      try {
        // EXCLUSIVE locking mode keeps the lock of the first write until the connection closes.
        db.exec('PRAGMA locking_mode = EXCLUSIVE');
        db.exec(`BEGIN EXCLUSIVE;
          CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL);
          DELETE FROM holder;
          INSERT INTO holder VALUES (${process.pid}, '${new Date().toISOString()}');
          COMMIT;`);
        holder = db;
        return true;
      } catch (error) {
        db.close();
        const errcode = (error as { errcode?: unknown }).errcode;
        if (typeof errcode === 'number' && (errcode & 0xff) === 5) return false; // SQLITE_BUSY: a live holder
        throw error;
      }
    },
    get held() {
      return holder !== undefined;
    },
    release() {
      holder?.close();
      holder = undefined;
    },
  };
}
