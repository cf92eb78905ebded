import { DatabaseSync } from 'node:sqlite';

export type Synchronous = 'FULL' | 'NORMAL';

export type OpenDatabaseOptions = {
  /** A file path; `:memory:` works but has no WAL and is for throwaway use only. */
  path: string;
  /**
   * FULL (default) syncs the WAL on every commit: an acknowledged webhook may be the only record of the
   * event. NORMAL is ~3× faster but may lose the last commits on power loss (never on a process crash).
   */
  synchronous?: Synchronous;
  /** How long a write waits for another process's lock before failing as `busy`. Blocks the event loop. */
  busyTimeoutMs?: number;
};

export const DATABASE_DEFAULTS = {
  synchronous: 'FULL',
  busyTimeoutMs: 2_000,
} as const satisfies Partial<OpenDatabaseOptions>;

export function openDatabase(options: OpenDatabaseOptions): DatabaseSync {
  const db = new DatabaseSync(options.path, {
    timeout: options.busyTimeoutMs ?? DATABASE_DEFAULTS.busyTimeoutMs,
    enableForeignKeyConstraints: true,
  });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(
      `PRAGMA synchronous = ${synchronousPragma(options.synchronous ?? DATABASE_DEFAULTS.synchronous)}`,
    );
    db.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

// A fixed lookup rather than the option itself, so nothing but these two words reaches the SQL.
function synchronousPragma(mode: Synchronous): 'FULL' | 'NORMAL' {
  return mode === 'NORMAL' ? 'NORMAL' : 'FULL';
}
