import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migratedSchema, SCHEMA_DUMP_FILE } from './dump-schema.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { openDatabase } from './open-database.ts';
import { databasePathIn, useTempDirectory } from './test-support.ts';

describe('schema', () => {
  const tempDirectory = useTempDirectory();

  it('matches the committed schema.sql once migrated (run `node src/store/sqlite/dump-schema.ts` to update it)', () => {
    expect(migratedSchema()).toBe(readFileSync(SCHEMA_DUMP_FILE, 'utf8'));
  });

  it('applies each migration once, however often the database is opened', () => {
    const path = databasePathIn(tempDirectory());
    const first = openDatabase({ path });
    const appliedFirst = migrate(first);
    first.close();
    const second = openDatabase({ path });
    const appliedSecond = migrate(second);
    const recorded = second.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    second.close();

    expect(appliedFirst).toEqual(loadMigrations().map((migration) => migration.version));
    expect(appliedSecond).toEqual([]);
    expect(recorded).toEqual(loadMigrations().map(({ version, name }) => ({ version, name })));
  });

  it('refuses a database migrated by a newer release', () => {
    const db = openDatabase({ path: databasePathIn(tempDirectory()) });
    migrate(db);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')").run();

    expect(() => migrate(db)).toThrow(/schema is at version 999, newer than this release knows/);
    db.close();
  });

  it('leaves the schema untouched when a migration fails', () => {
    const db = openDatabase({ path: ':memory:' });
    const broken = [
      { version: 1, name: 'good', sql: 'CREATE TABLE kept (id INTEGER PRIMARY KEY);' },
      { version: 2, name: 'bad', sql: 'CREATE TABLE half (id INTEGER); CREATE TABLE kept (id INTEGER);' },
    ];

    expect(() => migrate(db, broken)).toThrow(/already exists/);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
    const versions = db.prepare('SELECT version FROM schema_migrations').all();
    db.close();

    expect(tables.map((table) => table.name)).toEqual(['kept', 'schema_migrations']);
    expect(versions.map((row) => row.version)).toEqual([1]);
  });

  it('rejects migration files whose numbers skip', () => {
    const directory = join(tempDirectory(), 'migrations');
    mkdirSync(directory);
    writeFileSync(join(directory, '0001-first.sql'), 'SELECT 1;');
    writeFileSync(join(directory, '0003-third.sql'), 'SELECT 1;');

    expect(() => loadMigrations(pathToFileURL(`${directory}/`))).toThrow(/without gaps or repeats; found 3/);
  });
});
