/**
 * A worker process SIGKILLed while it holds jobs: how long until its jobs run again. On PostgreSQL
 * another live instance takes them back once the dead one's heartbeat is missed; on SQLite (one
 * process) the restarted process releases them at once. Both must be under 15 s, whatever the lease
 * (120 s here, the default `sync.leaseSeconds`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toReferralKey } from '../../src/core/domain.ts';
import type { StorageBackend } from '../../src/store/ports.ts';
import { createPostgresBackend } from '../../src/store/postgres/create-postgres-backend.ts';
import { createSqliteBackend } from '../../src/store/sqlite/create-sqlite-backend.ts';
import {
  describePostgres,
  dropSchemasAfterAll,
  requirePostgres,
  TEST_POSTGRES_URL,
  throwawaySchemaName,
} from '../support/postgres.ts';
import type { WorkerProcessLine, WorkerProcessOptions } from './queue-worker-process.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LEASE_MS = 120_000;
const HELD = 5;
const BOUND_MS = 15_000;

type WorkerProcess = { child: ChildProcess; lines: WorkerProcessLine[]; claimed(): WorkerProcessLine[] };

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function startWorker(options: WorkerProcessOptions): WorkerProcess {
  const child = spawn(process.execPath, ['test/failover/queue-worker-process.ts', JSON.stringify(options)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: WorkerProcessLine[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    lines.push(JSON.parse(line) as WorkerProcessLine);
  });
  return { child, lines, claimed: () => lines.filter((line) => line.event === 'claimed') };
}

async function kill(worker: WorkerProcess): Promise<number> {
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGKILL');
  const killedAt = Date.now();
  await exited;
  return killedAt;
}

async function enqueueHeld(queue: StorageBackend['queue']): Promise<string[]> {
  const referrals = Array.from({ length: HELD }, (_, i) => `held-${i}`);
  for (const id of referrals) await queue.enqueue(toReferralKey(id), { reason: 'webhook' });
  return referrals;
}

/** Until the process reports `count` claims (it holds them: its syncs never finish). */
async function heldBy(worker: WorkerProcess, count: number): Promise<void> {
  await vi.waitFor(() => expect(worker.claimed()).toHaveLength(count), { timeout: 20_000, interval: 20 });
}

function resumedAfter(worker: WorkerProcess, killedAt: number) {
  const claims = worker.claimed();
  return {
    ms: Math.max(...claims.map((line) => (line.event === 'claimed' ? line.at : 0))) - killedAt,
    claims: claims.map(
      (line) => line.event === 'claimed' && [line.referralId, line.attempts, line.lastErrorCode],
    ),
  };
}

const postgres = await requirePostgres();

describePostgres(postgres, 'a SIGKILLed instance on PostgreSQL', () => {
  const dropAfterAll = dropSchemasAfterAll();

  it('has its jobs run by another live instance within 15 s, though their lease is 120 s', async () => {
    const schema = dropAfterAll(throwawaySchemaName('failover'));
    const producer = await createPostgresBackend({ url: TEST_POSTGRES_URL, schema });
    try {
      const base = {
        backend: 'postgres',
        url: TEST_POSTGRES_URL,
        schema,
        concurrency: HELD,
        leaseMs: LEASE_MS,
      } as const;
      const doomed = startWorker({ ...base, hold: true });
      const referrals = await enqueueHeld(producer.queue);
      await heldBy(doomed, HELD);
      const survivor = startWorker({ ...base, hold: false });
      await vi.waitFor(
        () => expect(survivor.lines).toContainEqual(expect.objectContaining({ event: 'ready' })),
        { timeout: 20_000, interval: 20 },
      );

      const killedAt = await kill(doomed);
      await vi.waitFor(() => expect(survivor.claimed()).toHaveLength(HELD), {
        timeout: 30_000,
        interval: 20,
      });

      const resumed = resumedAfter(survivor, killedAt);
      console.info(
        `PostgreSQL: a SIGKILLed instance's ${HELD} jobs ran again on another after ${resumed.ms} ms`,
      );
      expect(resumed.claims.sort()).toEqual(referrals.map((id) => [id, 2, 'instance_lost']));
      expect(resumed.ms).toBeLessThan(BOUND_MS);
      await vi.waitFor(
        async () => expect(await producer.queue.stats()).toMatchObject({ pending: 0, running: 0 }),
        { timeout: 10_000, interval: 50 },
      );
    } finally {
      await producer.close();
    }
  });
});

describe('a SIGKILLed SQLite serve restarted at once', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('runs the jobs the killed process held within 15 s, though their lease is 120 s', async () => {
    directory = mkdtempSync(join(tmpdir(), 'failover-'));
    const path = join(directory, 'connector.db');
    // A second process on the file that never claims, as the CLI's `status` or `replay` would be.
    const cli = createSqliteBackend({ path });
    try {
      const options = { backend: 'sqlite', path, concurrency: HELD, leaseMs: LEASE_MS } as const;
      const doomed = startWorker({ ...options, hold: true });
      const referrals = await enqueueHeld(cli.queue);
      await heldBy(doomed, HELD);

      const killedAt = await kill(doomed);
      const restarted = startWorker({ ...options, hold: false });
      await vi.waitFor(() => expect(restarted.claimed()).toHaveLength(HELD), {
        timeout: 30_000,
        interval: 20,
      });

      const resumed = resumedAfter(restarted, killedAt);
      const ready = restarted.lines.find((line) => line.event === 'ready');
      console.info(
        `SQLite: the restarted process was ready ${(ready?.at ?? Number.NaN) - killedAt} ms after the kill`,
      );
      console.info(
        `SQLite: a SIGKILLed serve's ${HELD} jobs ran again ${resumed.ms} ms after it died (restart included)`,
      );
      expect(resumed.claims.sort()).toEqual(referrals.map((id) => [id, 2, 'instance_lost']));
      expect(resumed.ms).toBeLessThan(BOUND_MS);
    } finally {
      await cli.close();
    }
  });
});
