import { writeFileSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { migrate } from './migrate.ts';
import { openDatabase } from './open-database.ts';

export const SCHEMA_DUMP_FILE = new URL('./schema.sql', import.meta.url);

/** The schema as SQLite holds it: tables, then indexes, each by name. Committed as `schema.sql`. */
export function dumpSchema(db: DatabaseSync): string {
  const rows = db
    .prepare(
      `SELECT sql FROM sqlite_schema
       WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
       ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name`,
    )
    .all();
  return `${rows.map((row) => `${String(row.sql)};`).join('\n\n')}\n`;
}

/** Migrates a scratch in-memory database and dumps its schema. */
export function migratedSchema(): string {
  const db = openDatabase({ path: ':memory:' });
  try {
    migrate(db);
    return dumpSchema(db);
  } finally {
    db.close();
  }
}

// `node src/store/sqlite/dump-schema.ts` rewrites schema.sql after a new migration.
if (import.meta.main) {
  writeFileSync(SCHEMA_DUMP_FILE, migratedSchema());
  process.stdout.write(`wrote ${fileURLToPath(SCHEMA_DUMP_FILE)}\n`);
}
