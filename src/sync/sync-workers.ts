/**
 * Workers that drain the job queue: each claims a job (one per referral at a time, enforced by the
 * queue), keeps its lease alive while the sync runs, and settles it: complete, retry, or dead-letter.
 */
import type { Logger } from '../observability/logger.ts';
import type { Job, JobQueue } from '../store/ports.ts';
import { decideFailure } from './failure-policy.ts';
import type { SyncResult } from './sync-referral.ts';

export type SyncWorkersOptions = {
  queue: JobQueue;
  /** Syncs the job's referral; its reason tells why (a `crm-change`: the lead changed, not the referral). */
  sync: (job: Job) => Promise<SyncResult>;
  concurrency: number;
  leaseMs: number;
  workerId: string;
  logger: Logger;
  now?: () => number;
  /** Called after each settled job (for metrics and the demo's progress). */
  onSettled?: (event: SettledJob) => void;
};

export type SettledJob =
  | { outcome: 'synced'; job: Job; result: SyncResult }
  | { outcome: 'retry' | 'dead_letter'; job: Job; code: string };

export type SyncWorkers = {
  start(): void;
  /** Stops claiming; waits up to `deadlineMs` for running syncs, whose leases otherwise expire. */
  stop(deadlineMs: number): Promise<void>;
};

export function createSyncWorkers(options: SyncWorkersOptions): SyncWorkers {
  const now = options.now ?? Date.now;
  const abort = new AbortController();
  const loops: Promise<void>[] = [];

  /**
   * Settling writes outlast a briefly locked or busy store: a job left `running` would wait for its lease
   * to expire. Anything still failing after the last try is left to lease recovery.
   */
  async function persistently<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'store_unavailable' || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async function settle(job: Job): Promise<void> {
    // The lease is extended while the sync runs. A lost lease (this process stalled past it and the job
    // was recovered) cannot stop remote calls in flight, but every write is idempotent and the queue
    // refuses to let us settle a job that is no longer ours.
    const heartbeat = setInterval(
      () => {
        options.queue.extendLease(job, options.leaseMs).then(
          (result) => {
            if (result.outcome === 'lease_lost') {
              options.logger.warn({ referralId: job.referralId }, 'lease lost during sync');
            }
          },
          (error: unknown) =>
            options.logger.warn({ err: error, referralId: job.referralId }, 'lease extension failed'),
        );
      },
      Math.max(1000, Math.floor(options.leaseMs / 3)),
    );
    try {
      const result = await options.sync(job);
      const completed = await persistently(() => options.queue.complete(job));
      if (completed.outcome === 'lease_lost') {
        options.logger.warn(
          { referralId: job.referralId },
          'synced after losing the lease; the new holder settles it',
        );
      }
      options.onSettled?.({ outcome: 'synced', job, result });
    } catch (error) {
      const decision = decideFailure(error, now());
      if (decision.action === 'retry') {
        const retried = await persistently(() =>
          options.queue.retry(job, {
            error: decision.error,
            ...(decision.notBefore ? { notBefore: decision.notBefore } : {}),
          }),
        );
        const outcome = retried.outcome === 'dead_lettered' ? 'dead_letter' : 'retry';
        options.logger.info(
          { referralId: job.referralId, code: decision.error.code, attempt: job.attempts },
          `sync ${outcome}`,
        );
        options.onSettled?.({ outcome, job, code: decision.error.code });
      } else {
        await persistently(() => options.queue.deadLetter(job, decision.error));
        options.logger.warn({ referralId: job.referralId, code: decision.error.code }, 'sync dead-lettered');
        options.onSettled?.({ outcome: 'dead_letter', job, code: decision.error.code });
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function loop(index: number): Promise<void> {
    const workerId = `${options.workerId}/${index}`;
    while (!abort.signal.aborted) {
      try {
        const job = await options.queue.claim({ workerId, leaseMs: options.leaseMs });
        if (job) await settle(job);
        else await options.queue.waitForWork(abort.signal);
      } catch (error) {
        // The store itself failed (disk full, locked): back off briefly instead of spinning.
        options.logger.error({ err: error }, 'worker loop failed');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  // Jobs of a process that died (or of a settle that never reached the store) come back when their
  // lease expires: at boot and from then on every half lease.
  let recovery: NodeJS.Timeout | undefined;
  const recover = () =>
    options.queue.recoverExpiredLeases().catch((error: unknown) => {
      options.logger.warn({ err: error }, 'lease recovery failed; the next pass retries');
      return 0;
    });

  return {
    start() {
      recovery = setInterval(recover, Math.max(1000, Math.floor(options.leaseMs / 2)));
      recovery.unref();
      for (let i = 0; i < options.concurrency; i++) loops.push(loop(i));
    },
    async stop(deadlineMs) {
      if (recovery) clearInterval(recovery);
      abort.abort();
      await Promise.race([
        Promise.all(loops),
        new Promise((resolve) => setTimeout(resolve, deadlineMs).unref()),
      ]);
    },
  };
}
