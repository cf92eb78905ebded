/**
 * `status` and `replay` open whichever store the configuration names: PostgreSQL when STORE_URL is set,
 * else the SQLite database in dataDir.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { toReferralKey } from '../../src/core/domain.ts';
import { createPostgresBackend } from '../../src/store/postgres/create-postgres-backend.ts';
import { createSqliteBackend } from '../../src/store/sqlite/create-sqlite-backend.ts';
import { databasePath } from '../../src/store/sqlite/database-path.ts';
import {
  describePostgres,
  dropSchemasAfterAll,
  requirePostgres,
  runSql,
  TEST_POSTGRES_URL,
  throwawaySchemaName,
} from '../support/postgres.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/referral-connector.js', import.meta.url));
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });

const postgres = await requirePostgres();

describePostgres(postgres, 'store commands on PostgreSQL', () => {
  const dropAfterAll = dropSchemasAfterAll();

  it('shows the instances and what each leads with `status`, and replays dead letters with `replay`', async () => {
    const schema = dropAfterAll(throwawaySchemaName('cli'));
    const serving = await createPostgresBackend({ url: TEST_POSTGRES_URL, schema });
    try {
      await serving.queue.enqueue(toReferralKey('ref-1'), { reason: 'webhook' });
      const job = await serving.queue.claim({ workerId: 'w', leaseMs: 60_000 });
      if (!job) throw new Error('no job');
      await serving.queue.deadLetter(job, { code: 'mapping_invalid', message: 'no country' });
      expect(await serving.leadership('reconciler').acquire()).toBe(true);
      const env = { STORE_URL: TEST_POSTGRES_URL, STORE_SCHEMA: schema };

      const text = (await cli(['status'], env)).stdout;
      const json = JSON.parse((await cli(['status', '--json'], env)).stdout);
      const replayed = (await cli(['replay', '--code', 'mapping_invalid'], env)).stdout;

      expect(text).toContain(`store      PostgreSQL 127.0.0.1:5432/postgres, schema ${schema}, 1 instance`);
      expect(text).toMatch(new RegExp(`pid ${process.pid}, heartbeat \\d+ s ago, leads reconciler`));
      expect(text).toContain('failures   1 dead-lettered (mapping_invalid: 1)');
      expect(json.backend).toMatchObject({
        kind: 'postgres',
        schema,
        instances: [expect.objectContaining({ pid: process.pid, leading: ['reconciler'] })],
      });
      expect(replayed).toContain('1 dead-lettered sync queued again');
      expect(await serving.queue.stats()).toMatchObject({ pending: 1, dead: 0 });
    } finally {
      await serving.close();
    }
  });

  it('refuses to inspect a schema that does not exist, naming store.schema, and creates none', async () => {
    const schema = throwawaySchemaName('missing');

    const failure = await cli(['status'], { STORE_URL: TEST_POSTGRES_URL, STORE_SCHEMA: schema }).catch(
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure).toMatchObject({ code: expect.any(Number) });
    expect((failure as { stderr: string }).stderr).toContain(
      'store.schema: names no schema in 127.0.0.1:5432/postgres',
    );
    expect((await runSql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount).toBe(0);
  });
});

describe('store commands on SQLite', () => {
  const directory = mkdtempSync(join(tmpdir(), 'rc-store-cli-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('shows where the SQLite database lives with `status` when no store.url is set', async () => {
    const backend = createSqliteBackend({ path: databasePath(directory) });
    await backend.close();

    const { stdout } = await cli(['status', '--set', `dataDir=${directory}`], {});

    expect(stdout).toContain(`store      SQLite ${databasePath(directory)}`);
  });
});
