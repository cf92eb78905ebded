import type { DatabaseSync } from 'node:sqlite';
import { loadMigrations as loadMigrationFiles, type Migration } from '../load-migrations.ts';
import { inTransaction } from './transaction.ts';

export type { Migration };

const MIGRATIONS_DIRECTORY = new URL('./migrations/', import.meta.url);

/** The numbered `migrations/NNNN-name.sql` files, in order; numbers must run 1, 2, 3… without gaps. */
export function loadMigrations(directory: URL = MIGRATIONS_DIRECTORY): Migration[] {
  return loadMigrationFiles(directory);
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction with
 * its record, so a failed migration leaves the schema as it was. Refuses a database migrated by a
 * newer release.
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = loadMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`);
  const latestKnown = migrations.at(-1)?.version ?? 0;
  const isApplied = db.prepare('SELECT 1 AS applied FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const newest = db.prepare('SELECT max(version) AS version FROM schema_migrations').get();
  const newestApplied = typeof newest?.version === 'number' ? newest.version : 0;
  if (newestApplied > latestKnown) {
    throw new Error(
      `the database schema is at version ${newestApplied}, newer than this release knows (${latestKnown}); ` +
        'run a release at least as new as the one that last opened this database',
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    inTransaction(db, () => {
      // Checked inside the write lock: another process may have applied it meanwhile.
      if (isApplied.get(migration.version)) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    });
  }
  return applied;
}
