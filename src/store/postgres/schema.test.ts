import { readFileSync } from 'node:fs';
import pg from 'pg';
import { expect, it } from 'vitest';
import {
  describePostgres,
  dropSchemasAfterAll,
  requirePostgres,
  TEST_POSTGRES_URL,
  throwawaySchemaName,
} from '../../../test/support/postgres.ts';
import { connectionConfig } from './connection-config.ts';
import { createPostgresBackend } from './create-postgres-backend.ts';
import { migratedSchema, SCHEMA_DUMP_FILE } from './dump-schema.ts';
import { loadMigrations, migrate } from './migrate.ts';

const postgres = await requirePostgres();

describePostgres(postgres, 'postgres schema', () => {
  const dropAfterAll = dropSchemasAfterAll();

  async function withClient<T>(schema: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client(connectionConfig(TEST_POSTGRES_URL, schema, 'schema test'));
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  it('matches the committed schema.sql once migrated (run `node src/store/postgres/dump-schema.ts` to update it)', async () => {
    expect(await migratedSchema(TEST_POSTGRES_URL)).toBe(readFileSync(SCHEMA_DUMP_FILE, 'utf8'));
  });

  it('applies each migration once, however often the schema is opened', async () => {
    const schema = dropAfterAll(throwawaySchemaName());
    const first = await withClient(schema, (client) => migrate(client, schema));
    const { second, recorded } = await withClient(schema, async (client) => ({
      second: await migrate(client, schema),
      recorded: (await client.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows,
    }));

    expect(first).toEqual(loadMigrations().map((migration) => migration.version));
    expect(second).toEqual([]);
    expect(recorded).toEqual(loadMigrations().map(({ version, name }) => ({ version, name })));
  });

  it('migrates once when several instances start on a new schema together', async () => {
    const schema = dropAfterAll(throwawaySchemaName());

    const backends = await Promise.all(
      [1, 2, 3].map(() => createPostgresBackend({ url: TEST_POSTGRES_URL, schema })),
    );

    const recorded = await withClient(
      schema,
      async (client) => (await client.query('SELECT version FROM schema_migrations')).rows,
    );
    await Promise.all(backends.map((backend) => backend.close()));
    expect(recorded).toEqual(loadMigrations().map(({ version }) => ({ version })));
  });

  it('refuses a schema migrated by a newer release', async () => {
    const schema = dropAfterAll(throwawaySchemaName());
    await withClient(schema, async (client) => {
      await migrate(client, schema);
      await client.query(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', now())",
      );

      await expect(migrate(client, schema)).rejects.toThrow(
        /is at version 999, newer than this release knows/,
      );
    });
  });

  it('leaves the schema untouched when a migration fails', async () => {
    const schema = dropAfterAll(throwawaySchemaName());
    const broken = [
      { version: 1, name: 'good', sql: 'CREATE TABLE kept (id integer PRIMARY KEY);' },
      { version: 2, name: 'bad', sql: 'CREATE TABLE half (id integer); CREATE TABLE kept (id integer);' },
    ];

    const { tables, versions } = await withClient(schema, async (client) => {
      await expect(migrate(client, schema, broken)).rejects.toThrow(/already exists/);
      return {
        tables: (
          await client.query(
            'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
            [schema],
          )
        ).rows.map((row) => row.table_name),
        versions: (await client.query('SELECT version FROM schema_migrations')).rows.map(
          (row) => row.version,
        ),
      };
    });

    expect(tables).toEqual(['kept', 'schema_migrations']);
    expect(versions).toEqual([1]);
  });
});
