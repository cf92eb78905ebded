/**
 * The storage backend a configuration names: PostgreSQL when `store.url` is set (several instances on
 * one database), else the embedded SQLite database in `dataDir` (the default). Every command opens its
 * backend here, so `serve`, `status`, `replay` and the rest work on either.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { ConfigError } from '../config/config-error.ts';
import type { Config } from '../config/config-schema.ts';
import type { StorageBackend } from '../store/ports.ts';
import { describeServer } from '../store/postgres/connection-config.ts';
import { createPostgresBackend } from '../store/postgres/create-postgres-backend.ts';
import { SchemaMissingError } from '../store/postgres/migrate.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { databasePath } from '../store/sqlite/database-path.ts';
import { whileBusy } from '../store/store-errors.ts';

/** Opens (and creates, migrating it) the store a running connector uses. */
export async function openBackend(
  config: Config,
  options: { mustExist?: boolean } = {},
): Promise<StorageBackend> {
  const queue = {
    maxAttempts: config.sync.maxAttempts,
    backoffBaseMs: config.sync.backoffBaseMs,
    backoffCapMs: config.sync.backoffCapMs,
    minSyncIntervalMs: config.sync.minIntervalMs,
  };
  if (config.store.url) {
    const url = config.store.url;
    return whileBusy(() =>
      createPostgresBackend({
        url,
        schema: config.store.schema,
        poolSize: config.store.poolSize,
        ...(options.mustExist && { mustExist: true }),
        ...queue,
      }),
    ).catch((error: unknown) => {
      if (!(error instanceof SchemaMissingError)) throw error;
      throw new ConfigError(
        [
          {
            path: 'store.schema',
            problem: `names no schema in ${describeServer(url)}; point it at the schema \`serve\` uses`,
          },
        ],
        'store',
      );
    });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return whileBusy(() =>
    createSqliteBackend({
      path: databasePath(config.dataDir),
      synchronous: config.store.synchronous,
      busyTimeoutMs: config.store.busyTimeoutMs,
      ...queue,
    }),
  );
}

/**
 * The existing store, for commands that inspect or repair it: never creates a SQLite database or a
 * PostgreSQL schema (an existing schema is migrated, as `serve` would).
 */
export async function openExistingBackend(config: Config): Promise<StorageBackend> {
  if (config.store.url) return openBackend(config, { mustExist: true });
  const path = databasePath(config.dataDir);
  if (!existsSync(path)) {
    throw new ConfigError(
      [{ path: 'dataDir', problem: `has no database (${path}); point it at the directory \`serve\` uses` }],
      'data directory',
    );
  }
  return openBackend(config);
}
