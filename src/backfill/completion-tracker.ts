/**
 * Follows the syncs a backfill enqueued until each has settled, from what the store shows (so it works
 * whoever runs the workers: this process, or a `serve` on the same store):
 * - synced: the referral's link was saved after the backfill looked at it (its `syncedAt` differs from
 *   the one seen then, or a link appeared). No clock is compared, so hosts' clocks do not matter.
 * - dead-lettered: the queue holds a dead letter for it (a backfill enqueues no referral that had one).
 * - left out: the queue is idle and neither happened; the sync read the referral and its selection
 *   policy left it out (a `serve` configured otherwise than this command).
 * A sync saves the link before its job is completed, so "queue idle" cannot overtake a saved link.
 */
import type { ReferralKey } from '../core/domain.ts';
import type { JobQueue, Store } from '../store/ports.ts';

export type SettledOutcome =
  | { kind: 'synced' }
  | { kind: 'dead-lettered'; code: string }
  | { kind: 'left-out' };

export type TrackerCounts = {
  tracked: number;
  synced: number;
  deadLettered: number;
  leftOut: number;
  outstanding: number;
  deadByCode: Record<string, number>;
};

export type CompletionTracker = {
  /** Follows a referral whose sync was just enqueued; `syncedAt` of its link when it was looked at. */
  track(key: ReferralKey, previousSyncedAt: string | null): void;
  /** Looks at the store once; returns how many settled in this look. */
  poll(): Promise<number>;
  counts(): TrackerCounts;
};

export function createCompletionTracker(deps: {
  store: Pick<Store, 'getLink'>;
  queue: Pick<JobQueue, 'stats' | 'deadLetters'>;
}): CompletionTracker {
  /** Outstanding referrals and the `syncedAt` their link had when enqueued. */
  const outstanding = new Map<ReferralKey, string | null>();
  const counts: TrackerCounts = {
    tracked: 0,
    synced: 0,
    deadLettered: 0,
    leftOut: 0,
    outstanding: 0,
    deadByCode: {},
  };

  function settle(key: ReferralKey, outcome: SettledOutcome): void {
    outstanding.delete(key);
    counts.outstanding = outstanding.size;
    if (outcome.kind === 'synced') counts.synced += 1;
    else if (outcome.kind === 'left-out') counts.leftOut += 1;
    else {
      counts.deadLettered += 1;
      counts.deadByCode[outcome.code] = (counts.deadByCode[outcome.code] ?? 0) + 1;
    }
  }

  return {
    track(key, previousSyncedAt) {
      // Listed twice (paging over live data) or enqueued again by a resumed run: followed once.
      if (outstanding.has(key)) return;
      outstanding.set(key, previousSyncedAt);
      counts.tracked += 1;
      counts.outstanding = outstanding.size;
    },
    async poll() {
      if (outstanding.size === 0) return 0;
      // Read first: whatever the queue no longer holds by now has its link saved or is dead.
      const stats = await deps.queue.stats();
      const idle = stats.pending === 0 && stats.running === 0;
      const dead = new Map<ReferralKey, string>();
      if (stats.dead > 0) {
        for (const letter of await deps.queue.deadLetters()) dead.set(letter.referralId, letter.error.code);
      }
      let settled = 0;
      for (const [key, previousSyncedAt] of [...outstanding]) {
        const link = await deps.store.getLink(key);
        const code = dead.get(key);
        if (link && link.syncedAt !== previousSyncedAt) settle(key, { kind: 'synced' });
        else if (code !== undefined) settle(key, { kind: 'dead-lettered', code });
        else if (idle) settle(key, { kind: 'left-out' });
        else continue;
        settled += 1;
      }
      return settled;
    },
    counts: () => ({ ...counts, deadByCode: { ...counts.deadByCode } }),
  };
}
