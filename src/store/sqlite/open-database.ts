import { DatabaseSync } from 'node:sqlite';

export type Synchronous = 'FULL' | 'NORMAL';

export type OpenDatabaseOptions = {
  /** A file path; `:memory:` works but has no WAL and is for throwaway use only. */
  path: string;
  /**
   * For durable commits (see `Durability` in ./transaction.ts). FULL (default) syncs the WAL on each of
   * them: an acknowledged webhook may be the only record of the event. NORMAL never syncs, so even those
   * may be lost on power loss (never on a process crash). Relaxed commits are always NORMAL.
   */
  synchronous?: Synchronous;
  /** How long a write waits for another process's lock before failing as `busy`. Blocks the event loop. */
  busyTimeoutMs?: number;
};

export const DATABASE_DEFAULTS = {
  synchronous: 'FULL',
  busyTimeoutMs: 2_000,
} as const satisfies Partial<OpenDatabaseOptions>;

const durableModes = new WeakMap<DatabaseSync, Synchronous>();

/** The `synchronous` mode the durable commits of this connection use. */
export function durableModeOf(db: DatabaseSync): Synchronous {
  return durableModes.get(db) ?? DATABASE_DEFAULTS.synchronous;
}

export function openDatabase(options: OpenDatabaseOptions): DatabaseSync {
  const db = new DatabaseSync(options.path, {
    timeout: options.busyTimeoutMs ?? DATABASE_DEFAULTS.busyTimeoutMs,
    enableForeignKeyConstraints: true,
  });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    // The resting mode; durable transactions raise it to FULL around their commit when so configured.
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    durableModes.set(db, options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
