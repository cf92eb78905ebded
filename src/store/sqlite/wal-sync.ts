import { type FileHandle, open } from 'node:fs/promises';
import type { DatabaseSync } from 'node:sqlite';
import { StoreUnavailableError } from '../store-errors.ts';

/**
 * Makes what is already committed to a WAL-mode database durable without holding the event loop: an
 * fdatasync of the `-wal` file on libuv's thread pool, instead of the one SQLite does inside COMMIT
 * under `synchronous = FULL`, during which nothing else in the process runs (a quarter of the
 * connector's main-thread time at 200 events a second, bench/README.md).
 *
 * Safe with commits made under `synchronous = NORMAL`: that mode never corrupts the database, it only
 * leaves the last commits in the OS's cache, and a commit is in the WAL file once COMMIT returns. An
 * fdatasync that starts after a commit returned makes it durable (and everything committed before it).
 * One sync runs at a time; callers who arrive while one runs share the next, so a burst of commits costs
 * two syncs at most.
 */
export type WalSync = {
  /** Resolves once every commit made before the call is on disk; rejects with `StoreUnavailableError`. */
  sync(): Promise<void>;
  close(): Promise<void>;
};

/** How the WAL file is opened; tests count the syncs. */
export type OpenFile = (path: string, flags: 'r') => Promise<Pick<FileHandle, 'datasync' | 'close'>>;

export function createWalSync(db: DatabaseSync, openFile: OpenFile = open): WalSync {
  const location = db.location();
  // In memory there is no file and nothing to make durable.
  const walPath = location ? `${location}-wal` : null;
  let handle: ReturnType<OpenFile> | undefined;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  const syncOnce = async (): Promise<void> => {
    if (!walPath) return;
    // Opened on first use: SQLite creates the file with the first commit. fdatasync works on a read-only
    // descriptor; the file stays the same inode while the database is open (a checkpoint rewinds it).
    handle ??= openFile(walPath, 'r');
    try {
      await (await handle).datasync();
    } catch (error) {
      handle = undefined;
      throw new StoreUnavailableError('io', { cause: error });
    }
  };

  const sync = (): Promise<void> => {
    if (!running) {
      running = syncOnce().finally(() => {
        running = undefined;
      });
      return running;
    }
    // The running sync may have started before this caller's commit: wait for the next one.
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = undefined;
        return sync();
      });
    return queued;
  };

  return {
    sync,
    async close() {
      await Promise.allSettled([running, queued]);
      const opened = handle;
      handle = undefined;
      if (opened) await (await opened).close();
    },
  };
}
