/**
 * A worker process for the failover tests: opens a backend as `serve` does, recovers leases at boot (as
 * `Connector.start` does), and runs the sync workers. Its "sync" prints one JSON line per claim and,
 * with `hold`, never finishes, so the process dies holding its jobs when the test SIGKILLs it.
 *
 *   node test/failover/queue-worker-process.ts '{"backend":"postgres","url":…,"schema":…,"hold":true}'
 */
import { createLogger } from '../../src/observability/logger.ts';
import type { StorageBackend } from '../../src/store/ports.ts';
import { createPostgresBackend } from '../../src/store/postgres/create-postgres-backend.ts';
import { createSqliteBackend } from '../../src/store/sqlite/create-sqlite-backend.ts';
import { createSyncWorkers } from '../../src/sync/sync-workers.ts';

export type WorkerProcessOptions = (
  | { backend: 'postgres'; url: string; schema: string }
  | { backend: 'sqlite'; path: string }
) & {
  /** Keep every claimed job running until killed. */
  hold: boolean;
  concurrency: number;
  leaseMs: number;
};

export type WorkerProcessLine =
  | { event: 'ready'; pid: number; at: number }
  | {
      event: 'claimed';
      pid: number;
      referralId: string;
      attempts: number;
      lastErrorCode: string | null;
      at: number;
    };

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerProcessOptions;
const say = (line: WorkerProcessLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

const backend: StorageBackend =
  options.backend === 'postgres'
    ? await createPostgresBackend({ url: options.url, schema: options.schema })
    : createSqliteBackend({ path: options.path });
await backend.queue.recoverExpiredLeases();
const workers = createSyncWorkers({
  queue: backend.queue,
  concurrency: options.concurrency,
  leaseMs: options.leaseMs,
  workerId: `worker-${process.pid}`,
  logger: createLogger({ level: 'silent' }),
  async sync(job) {
    say({
      event: 'claimed',
      pid: process.pid,
      referralId: job.referralId,
      attempts: job.attempts,
      lastErrorCode: job.lastError?.code ?? null,
      at: Date.now(),
    });
    if (options.hold) await new Promise(() => {});
    return {
      referralId: job.referralId,
      leadId: 'lead',
      lead: 'unchanged',
      referral: 'unchanged',
      leadWrittenAt: Date.now(),
    };
  },
});
workers.start();
say({ event: 'ready', pid: process.pid, at: Date.now() });

process.on('SIGTERM', async () => {
  await workers.stop(5_000);
  await backend.close();
  process.exit(0);
});
