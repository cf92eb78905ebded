import type { DatabaseSync } from 'node:sqlite';
import type { Clock, Leadership, StorageBackend } from '../ports.ts';
import { QUEUE_DEFAULTS } from '../queue-defaults.ts';
import { createWorkSignal } from '../work-signal.ts';
import { migrate } from './migrate.ts';
import { openDatabase, type Synchronous } from './open-database.ts';
import { guard } from './sqlite-errors.ts';
import { createSqliteJobQueue } from './sqlite-job-queue.ts';
import { createSqliteStore } from './sqlite-store.ts';
import { createWorkerLock } from './worker-lock.ts';

export type SqliteBackendOptions = {
  /** The database file; created and migrated when missing. */
  path: string;
  /** FULL by default; see `openDatabase`. */
  synchronous?: Synchronous;
  busyTimeoutMs?: number;
  clock?: Clock;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Float in [0, 1) for the retry jitter; injectable so tests get exact back-offs. */
  random?: () => number;
  maxIdleMs?: number;
  /** See SqliteJobQueueOptions.minSyncIntervalMs. */
  minSyncIntervalMs?: number;
};

/** Opens and migrates the file; failures to open or write it are `StoreUnavailableError`s. */
function openMigrated(options: SqliteBackendOptions): DatabaseSync {
  const db = guard(() =>
    openDatabase({
      path: options.path,
      ...(options.synchronous && { synchronous: options.synchronous }),
      ...(options.busyTimeoutMs !== undefined && { busyTimeoutMs: options.busyTimeoutMs }),
    }),
  );
  try {
    guard(() => migrate(db));
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * The embedded backend: one SQLite file (WAL) holding inbox, jobs, links, timeline and secrets, behind
 * the `Store` and `JobQueue` ports. Meant for one process; other processes (CLI commands) may read and
 * write the same file, and idle workers notice their jobs within `maxIdleMs`.
 */
export function createSqliteBackend(options: SqliteBackendOptions): StorageBackend {
  const clock = options.clock ?? Date.now;
  const database = openMigrated(options);
  const signal = createWorkSignal();
  const workerLock = options.path === ':memory:' ? undefined : createWorkerLock(options.path);
  const queue = createSqliteJobQueue(database, {
    clock,
    signal,
    maxAttempts: options.maxAttempts ?? QUEUE_DEFAULTS.maxAttempts,
    backoff: {
      baseMs: options.backoffBaseMs ?? QUEUE_DEFAULTS.backoffBaseMs,
      capMs: options.backoffCapMs ?? QUEUE_DEFAULTS.backoffCapMs,
    },
    random: options.random ?? Math.random,
    maxIdleMs: options.maxIdleMs ?? QUEUE_DEFAULTS.maxIdleMs,
    minSyncIntervalMs: options.minSyncIntervalMs ?? 0,
    ...(workerLock && { workerLock }),
  });
  const store = createSqliteStore(database, queue, clock);
  return {
    store,
    queue,
    // One process works a SQLite file: it leads every pass.
    leadership: () => ALWAYS_LEADS,
    describe: async () => ({ kind: 'sqlite', path: options.path }),
    async close() {
      if (!database.isOpen) return;
      workerLock?.release();
      database.close();
      // Idle workers wake, try to claim and get `StoreUnavailableError('closed')`.
      signal.notifyAll();
    },
  };
}

const ALWAYS_LEADS: Leadership = {
  acquire: async () => true,
  release: async () => {},
};
