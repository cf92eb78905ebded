/**
 * The storage backend a configuration names: the embedded SQLite database in `dataDir` (the default).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { ConfigError } from '../config/config-error.ts';
import type { Config } from '../config/config-schema.ts';
import type { StorageBackend } from '../store/ports.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { databasePath } from '../store/sqlite/database-path.ts';
import { whileBusy } from '../store/store-errors.ts';

/** Opens (and creates, migrating it) the store a running connector uses. */
export async function openBackend(config: Config): Promise<StorageBackend> {
  mkdirSync(config.dataDir, { recursive: true });
  return whileBusy(() =>
    createSqliteBackend({
      path: databasePath(config.dataDir),
      maxAttempts: config.sync.maxAttempts,
      backoffBaseMs: config.sync.backoffBaseMs,
      backoffCapMs: config.sync.backoffCapMs,
      synchronous: config.store.synchronous,
      busyTimeoutMs: config.store.busyTimeoutMs,
      minSyncIntervalMs: config.sync.minIntervalMs,
    }),
  );
}

/** The store of an existing data directory, for commands that inspect or repair it; never creates one. */
export async function openExistingBackend(config: Config): Promise<StorageBackend> {
  const path = databasePath(config.dataDir);
  if (!existsSync(path)) {
    throw new ConfigError(
      [{ path: 'dataDir', problem: `has no database (${path}); point it at the directory \`serve\` uses` }],
      'data directory',
    );
  }
  return openBackend(config);
}
