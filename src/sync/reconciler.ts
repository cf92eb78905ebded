/**
 * The safety net under webhooks. Partner Center gives up on a callback after 10 attempts, and an event
 * can be lost before it is ever sent; so every interval we list the referrals changed since the last
 * pass and enqueue a sync for each one whose version we have not synced yet. The overlap re-reads a
 * margin of the previous pass, since `updatedDateTime` of concurrent writes can arrive out of order.
 */
import { toReferralKey } from '../core/domain.ts';
import type { Logger } from '../observability/logger.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { JobQueue, Store } from '../store/ports.ts';
import { createPeriodicTask } from './periodic-task.ts';

export type ReconcilerOptions = {
  referrals: ReferralsClient;
  store: Pick<Store, 'getLink'>;
  queue: Pick<JobQueue, 'enqueue'>;
  logger: Logger;
  intervalMs: number;
  /** How far back the first pass looks. */
  lookbackMs: number;
  overlapMs?: number;
  now?: () => number;
};

export type ReconcilePass = { listed: number; enqueued: number; highWater: string };

export type Reconciler = {
  /** One pass now; resolves with what it found. */
  runOnce(): Promise<ReconcilePass>;
  start(): void;
  stop(): Promise<void>;
};

export function createReconciler(options: ReconcilerOptions): Reconciler {
  const now = options.now ?? Date.now;
  const overlapMs = options.overlapMs ?? 60_000;
  let highWaterMs = now() - options.lookbackMs;

  async function runOnce(): Promise<ReconcilePass> {
    const since = new Date(highWaterMs - overlapMs).toISOString();
    let listed = 0;
    let enqueued = 0;
    // Compared as instants: the API writes 7 fractional digits, ISO strings from Date have 3.
    let newestMs = highWaterMs;
    for await (const page of options.referrals.list({
      filter: `updatedDateTime ge ${since}`,
      orderBy: 'updatedDateTime asc',
    })) {
      for (const referral of page) {
        listed += 1;
        newestMs = Math.max(newestMs, Date.parse(referral.updatedDateTime) || 0);
        const key = toReferralKey(referral.id);
        const link = await options.store.getLink(key);
        if (link?.lastReferralETag === referral.eTag) continue;
        await options.queue.enqueue(key, { reason: 'reconcile' });
        enqueued += 1;
      }
    }
    highWaterMs = newestMs;
    return { listed, enqueued, highWater: new Date(highWaterMs).toISOString() };
  }

  const task = createPeriodicTask({
    run: runOnce,
    intervalMs: options.intervalMs,
    runAtStart: false,
    onResult: (pass) => {
      if (pass.enqueued > 0) options.logger.info(pass, 'reconciler found referrals the webhooks missed');
    },
    onError: (error) => options.logger.warn({ err: error }, 'reconciler pass failed; next pass retries'),
  });

  return { runOnce, start: task.start, stop: task.stop };
}
