/**
 * The seller's side of the sync. A lead qualified or disqualified in the CRM changes nothing in Partner
 * Center, so no referral event announces it; every interval we ask the CRM's change feed which leads
 * were decided since the last pass and enqueue their referrals (reason `crm-change`), whose sync then
 * writes the decision back. The feed's cursor is kept in the store, so a restart loses nothing; when
 * there is none (first start) or the CRM has forgotten it, the pass lists every decided lead once.
 */
import type { CrmAdapter } from '../crm/crm-adapter.ts';
import type { Logger } from '../observability/logger.ts';
import type { JobQueue, Leadership, Store } from '../store/ports.ts';
import { createPeriodicTask } from './periodic-task.ts';

/** The name of the feed's cursor in the store. */
export const CRM_CHANGES_CURSOR = 'cursor/crm-decided-leads';

export type CrmChangePollerOptions = {
  /** A CRM without a change feed makes every pass a no-op. */
  crm: Pick<CrmAdapter, 'decidedLeads'>;
  store: Pick<Store, 'getCursor' | 'putCursor'>;
  queue: Pick<JobQueue, 'enqueue'>;
  logger: Logger;
  intervalMs: number;
  /** Among several instances sharing a store, who runs the passes. */
  lead?: Leadership;
};

export type CrmChangePass = { enqueued: number; fromScratch: boolean };

export type CrmChangePoller = {
  runOnce(): Promise<CrmChangePass>;
  /** A pass every interval, the first one interval after start. */
  start(): void;
  stop(): Promise<void>;
};

export function createCrmChangePoller(options: CrmChangePollerOptions): CrmChangePoller {
  async function runOnce(): Promise<CrmChangePass> {
    if (!options.crm.decidedLeads) return { enqueued: 0, fromScratch: false };
    const changes = await options.crm.decidedLeads(await options.store.getCursor(CRM_CHANGES_CURSOR));
    for (const referralKey of changes.referralKeys) {
      await options.queue.enqueue(referralKey, { reason: 'crm-change' });
    }
    // Only after every job is enqueued: a crash before this point repeats the pass instead of losing it.
    await options.store.putCursor(CRM_CHANGES_CURSOR, changes.cursor);
    return { enqueued: changes.referralKeys.length, fromScratch: changes.fromScratch };
  }

  const task = createPeriodicTask({
    run: runOnce,
    intervalMs: options.intervalMs,
    ...(options.lead ? { lead: options.lead } : {}),
    // The first pass waits an interval: start-up stays light, and the stored cursor still covers
    // decisions made while the connector was down.
    runAtStart: false,
    onResult: (pass) => {
      if (pass.enqueued > 0) options.logger.info(pass, 'leads decided in the CRM: syncing their referrals');
    },
    onError: (error) => options.logger.warn({ err: error }, 'CRM change feed pass failed; next pass retries'),
  });

  return {
    runOnce,
    start() {
      if (options.crm.decidedLeads) task.start();
    },
    stop: task.stop,
  };
}
