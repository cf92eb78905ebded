/**
 * Sync workers as `serve` runs them, for a process other than serve (`backfill` when no serve works
 * the store): jobs held by a dead process come back first, every sync applies `sync.select`, and a
 * heartbeat tells other processes that this one now works the store.
 */
import { hostname } from 'node:os';
import type { Config } from '../config/config-schema.ts';
import type { CrmAdapter } from '../crm/crm-adapter.ts';
import { compileMapping } from '../mapping/compile-mapping.ts';
import type { Logger } from '../observability/logger.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { StorageBackend } from '../store/ports.ts';
import { whileBusy } from '../store/store-errors.ts';
import { syncReferral } from '../sync/sync-referral.ts';
import { createSyncWorkers, type SettledJob } from '../sync/sync-workers.ts';
import { createWorkersHeartbeat, type WorkersKind } from '../sync/workers-liveness.ts';

export type StartedSyncWorkers = {
  /** The heartbeat holder: `<kind>-<host>-<pid>`. */
  holder: string;
  stop(deadlineMs: number): Promise<void>;
};

export async function startSyncWorkers(
  config: Config,
  parts: { backend: StorageBackend; referrals: ReferralsClient; crm: CrmAdapter },
  options: {
    logger: Logger;
    kind: WorkersKind;
    onSettled?: (event: SettledJob) => void;
    heartbeatIntervalMs?: number;
  },
): Promise<StartedSyncWorkers> {
  const { backend, referrals, crm } = parts;
  const holder = `${options.kind}-${hostname()}-${process.pid}`;
  await whileBusy(() => backend.queue.recoverExpiredLeases());
  // Checked when the configuration was loaded; compiled once for every sync of these workers.
  const mapping = compileMapping(config.mapping);
  const workers = createSyncWorkers({
    queue: backend.queue,
    sync: (job) =>
      syncReferral(
        job.referralId,
        {
          referrals,
          crm,
          store: backend.store,
          writeBack: config.sync.writeBack,
          select: config.sync.select,
          mapping,
        },
        { leadChanged: job.reason === 'crm-change' },
      ),
    concurrency: config.sync.concurrency,
    leaseMs: config.sync.leaseSeconds * 1000,
    workerId: holder,
    logger: options.logger,
    ...(options.onSettled ? { onSettled: options.onSettled } : {}),
  });
  const heartbeat = createWorkersHeartbeat({
    store: backend.store,
    holder,
    kind: options.kind,
    logger: options.logger,
    // Presumed gone after three missed beats: no later than its jobs' leases expire, so whoever takes
    // over after a crash starts about when those jobs come back.
    intervalMs: options.heartbeatIntervalMs ?? Math.min(5_000, (config.sync.leaseSeconds * 1000) / 3),
  });
  workers.start();
  heartbeat.start();
  return {
    holder,
    async stop(deadlineMs) {
      await workers.stop(deadlineMs);
      await heartbeat.stop();
    },
  };
}
