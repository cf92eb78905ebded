/**
 * `demo --store postgres://… --instances N` as a user runs it: connector processes on a schema of the
 * demo's own, webhooks spread over them, an instance killed mid-run, and the schema gone at the end.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describePostgres, requirePostgres, runSql, TEST_POSTGRES_URL } from '../test/support/postgres.ts';
import { CONNECTOR_BIN } from './connector-process.ts';

const postgres = await requirePostgres();
const run = promisify(execFile);

describePostgres(postgres, 'demo on PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rc-fleet-demo-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('syncs every referral with two instances, one killed mid-run, and drops its schema at exit', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        CONNECTOR_BIN,
        'demo',
        ...['--store', TEST_POSTGRES_URL, '--instances', '2', '--referrals', '40'],
        ...['--faults', 'dispatcher.duplicate=0.2,instance.kill=1', '--data', dataDir, '--exit', '--json'],
      ],
      { timeout: 150_000 },
    );
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    const { store } = parse(readFileSync(join(dataDir, 'instance-1.yaml'), 'utf8')) as {
      store: { schema: string };
    };
    const left = await runSql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [store.schema]);

    expect(summary).toMatchObject({
      store: 'postgres',
      instances: 2,
      instanceKills: 1,
      referrals: 40,
      leads: 40,
      duplicateLeads: 0,
      writtenBack: 40,
      deadLettered: 0,
      converged: true,
    });
    // Round-robin: each instance answered webhooks (the killed one fewer, while it was down).
    const byInstance = summary.webhooksByInstance as number[];
    expect(byInstance).toHaveLength(2);
    for (const answered of byInstance) expect(answered).toBeGreaterThan(0);
    expect(store.schema).toMatch(/^demo_\d{8}_[0-9a-f]{8}$/);
    expect(left.rowCount).toBe(0);
  }, 180_000);
});
