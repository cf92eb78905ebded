import pg from 'pg';
import { loadMigrations as loadMigrationFiles, type Migration } from '../load-migrations.ts';

const MIGRATIONS_DIRECTORY = new URL('./migrations/', import.meta.url);

/** The numbered `migrations/NNNN-name.sql` files, in order. */
export function loadMigrations(directory: URL = MIGRATIONS_DIRECTORY): Migration[] {
  return loadMigrationFiles(directory);
}

/** The schema a command was pointed at does not exist (a typo, another database): nothing to inspect. */
export class SchemaMissingError extends Error {
  readonly code = 'schema_missing';
  readonly schema: string;
  constructor(schema: string) {
    super(`the database has no schema ${schema}`);
    this.name = 'SchemaMissingError';
    this.schema = schema;
  }
}

export async function schemaExists(client: pg.ClientBase, schema: string): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  return rows.length === 1;
}

/**
 * Creates the schema when missing and applies the migrations not yet recorded in its
 * `schema_migrations`, each in its own transaction with its record. Holds a session advisory lock for
 * the schema throughout, so instances starting together migrate one after the other (the second finds
 * nothing left to do). Refuses a schema migrated by a newer release. `client` must resolve tables in
 * `schema` (see connection-config.ts).
 */
export async function migrate(
  client: pg.ClientBase,
  schema: string,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<number[]> {
  const lock = `referral-connector:migrate:${schema}`;
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lock]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL
)`);
    const latestKnown = migrations.at(-1)?.version ?? 0;
    const { rows } = await client.query('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
    const newestApplied = Number(rows[0]?.version ?? 0);
    if (newestApplied > latestKnown) {
      throw new Error(
        `the database schema ${schema} is at version ${newestApplied}, newer than this release knows (${latestKnown}); ` +
          'run a release at least as new as the one that last migrated it',
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= newestApplied) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())',
          [migration.version, migration.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lock]).catch(() => {});
  }
}
