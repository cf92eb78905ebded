/**
 * The safety net under webhooks. Partner Center gives up on a callback after 10 attempts, and an event
 * can be lost before it is ever sent; so at start and then every interval we list the referrals changed
 * since the last pass and enqueue a sync for each one whose version we have not synced yet.
 *
 * Where the last pass left off (the high-water mark) is kept in the store, so a connector that was down
 * resumes from it however long the outage; only the very first pass uses the configured look-back. The
 * mark is the newest `updatedDateTime` a completed pass listed and handled (enqueued, or already synced):
 * Partner Center's own clock, so a skew between our clock and its cannot skip changes. The next pass
 * lists from a margin before it (`overlapMs`), because concurrent writes' stamps can land out of order and
 * several referrals can share the boundary instant; what is listed twice is skipped by its eTag or folds
 * into the pending job.
 */
import { toReferralKey } from '../core/domain.ts';
import { toUtcInstant } from '../core/utc-instant.ts';
import type { Logger } from '../observability/logger.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { JobQueue, Leadership, Store } from '../store/ports.ts';
import { createPeriodicTask } from './periodic-task.ts';
import { SELECT_ALL, type SelectionPolicy, selectReferral, serverFilterOf } from './selection-policy.ts';

/** The name of the high-water mark in the store. */
export const RECONCILE_CURSOR = 'cursor/reconciler-high-water';

export type ReconcilerOptions = {
  referrals: ReferralsClient;
  store: Pick<Store, 'getLink' | 'getCursor' | 'putCursor'>;
  queue: Pick<JobQueue, 'enqueue'>;
  logger: Logger;
  intervalMs: number;
  /** How far back the very first pass looks, when the store holds no mark yet. */
  lookbackMs: number;
  overlapMs?: number;
  /** Which referrals to sync at all (`sync.select`); every referral when absent. */
  select?: SelectionPolicy;
  now?: () => number;
  /** Among several instances sharing a store, who runs the passes. */
  lead?: Leadership;
};

export type ReconcilePass = {
  listed: number;
  enqueued: number;
  /** Listed, but left out by the selection policy. */
  skipped: number;
  /** Where the next pass starts from (less the overlap): a UTC instant with 7 fractional digits. */
  highWater: string;
};

export type Reconciler = {
  /** One pass now; resolves with what it found. */
  runOnce(): Promise<ReconcilePass>;
  /** A pass at once, then one every interval. */
  start(): void;
  stop(): Promise<void>;
};

export function createReconciler(options: ReconcilerOptions): Reconciler {
  const now = options.now ?? Date.now;
  const overlapMs = options.overlapMs ?? 60_000;
  const policy = options.select ?? SELECT_ALL;
  const policyFilter = serverFilterOf(policy);

  async function runOnce(): Promise<ReconcilePass> {
    const stored = await options.store.getCursor(RECONCILE_CURSOR);
    // Without a mark (the very first pass) the look-back is measured on our clock: skew is irrelevant
    // at that scale, and every later mark is Partner Center's.
    const mark = toUtcInstant(stored) ?? instantAt(now() - options.lookbackMs);
    const since = new Date(Date.parse(mark) - overlapMs).toISOString();
    let listed = 0;
    let enqueued = 0;
    let skipped = 0;
    // UTC instants with 7 fractional digits compare as text, to the tick; a Date would round to the ms.
    let newest = mark;
    for await (const page of options.referrals.list({
      filter: [`updatedDateTime ge ${since}`, policyFilter].filter(Boolean).join(' and '),
      orderBy: 'updatedDateTime asc',
    })) {
      for (const referral of page) {
        listed += 1;
        const key = toReferralKey(referral.id);
        const link = await options.store.getLink(key);
        if (!selectReferral(referral, policy, link !== null).selected) skipped += 1;
        else if (link?.lastReferralETag !== referral.eTag) {
          await options.queue.enqueue(key, { reason: 'reconcile' });
          enqueued += 1;
        }
        const updated = toUtcInstant(referral.updatedDateTime);
        if (updated !== null && updated > newest) newest = updated;
      }
    }
    // Only once every listed referral is enqueued or known synced: a pass that fails midway leaves the
    // mark where it was, and the next one lists the same changes again.
    if (newest !== stored) await options.store.putCursor(RECONCILE_CURSOR, newest);
    return { listed, enqueued, skipped, highWater: newest };
  }

  const task = createPeriodicTask({
    run: runOnce,
    intervalMs: options.intervalMs,
    ...(options.lead ? { lead: options.lead } : {}),
    // Changes made while the connector was down are found now, not one interval later.
    runAtStart: true,
    onResult: (pass) => {
      if (pass.enqueued > 0) options.logger.info(pass, 'reconciler found referrals the webhooks missed');
    },
    onError: (error) => options.logger.warn({ err: error }, 'reconciler pass failed; next pass retries'),
  });

  return { runOnce, start: task.start, stop: task.stop };
}

/** The `toUtcInstant` form of a time in milliseconds. */
function instantAt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}0000Z`;
}
