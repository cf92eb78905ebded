/**
 * A backfill: lists the referrals the selection takes, enqueues a sync (reason `backfill`) for each
 * that needs one, and waits until every one of them is synced or dead-lettered. The workers sync at the
 * CRM's pace: a live `serve`'s, or this process's own when none works the store (`workers-supervisor`).
 * Listing and syncing overlap: the first syncs start while later pages are still being listed.
 *
 * Resumable: where it stands is kept in the store (`backfill-cursor.ts`); interrupted (Ctrl-C, the
 * signal) it stops enqueuing, lets running syncs finish briefly and keeps the cursor; run again it
 * continues the same backfill and never makes a second lead (upserts on the referral key, coalesced jobs).
 */
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observability/logger.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { JobQueue, Store } from '../store/ports.ts';
import { WORKERS_HEARTBEAT } from '../sync/workers-liveness.ts';
import {
  BACKFILL_CURSOR,
  type BackfillCursor,
  parseBackfillCursor,
  resumableCursor,
  serializeBackfillCursor,
} from './backfill-cursor.ts';
import { type BackfillSelection, selectionKey } from './backfill-selection.ts';
import { createCompletionTracker, type TrackerCounts } from './completion-tracker.ts';
import { type BackfillDecisionKind, DECISION_KINDS, needsSync } from './decide-backfill.ts';
import type { ProgressSnapshot } from './progress-reporter.ts';
import { scanReferrals } from './scan-referrals.ts';
import { createWorkersSupervisor, type RunningWorkers } from './workers-supervisor.ts';

export type BackfillRunDependencies = {
  referrals: Pick<ReferralsClient, 'list'>;
  store: Pick<Store, 'getLink' | 'getCursor' | 'putCursor'>;
  queue: Pick<JobQueue, 'enqueue' | 'stats' | 'deadLetters'>;
  /** Starts sync workers in this process (and their heartbeat); called only when no serve is live. */
  startWorkers: () => Promise<RunningWorkers>;
  logger: Logger;
  /** Aborting interrupts the run (Ctrl-C). */
  signal?: AbortSignal;
  onProgress?: (snapshot: ProgressSnapshot) => void;
  /** How often the store is looked at for settled syncs. */
  pollMs?: number;
  /** How often the workers' heartbeat is read. */
  workersCheckMs?: number;
  /** How long running syncs of our own workers may take to finish when the run ends. */
  stopDeadlineMs?: number;
  now?: () => number;
};

export type BackfillOutcome = 'complete' | 'interrupted' | 'failed';

export type BackfillRunResult = {
  outcome: BackfillOutcome;
  /** The unfinished backfill this run continued, as its cursor stood; null for a new one. */
  resumed: BackfillCursor | null;
  listed: number;
  counts: Record<BackfillDecisionKind, number>;
  /** The syncs this run enqueued and how they ended. */
  syncs: TrackerCounts;
  /** Referrals already dead-lettered before the run (not retried: `replay` does that), by code. */
  alreadyDeadByCode: Record<string, number>;
  ranOwnWorkers: boolean;
  /** Why the run failed (listing, store, workers), when it did. */
  error?: { code: string; message: string };
};

export async function runBackfill(
  selection: BackfillSelection,
  deps: BackfillRunDependencies,
): Promise<BackfillRunResult> {
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? 500;
  const workersCheckMs = deps.workersCheckMs ?? 2_000;
  const key = selectionKey(selection);
  const resumed = resumableCursor(parseBackfillCursor(await deps.store.getCursor(BACKFILL_CURSOR)), key);
  const deadLetterCodes = new Map(
    (await deps.queue.deadLetters()).map((letter) => [letter.referralId, letter.error.code] as const),
  );

  // Stops listing and waiting: the caller's interrupt, or a failure of either half.
  const stop = new AbortController();
  const interrupted = () => deps.signal?.aborted === true;
  const onInterrupt = () => stop.abort();
  deps.signal?.addEventListener('abort', onInterrupt, { once: true });
  if (interrupted()) stop.abort();

  const counts = Object.fromEntries(DECISION_KINDS.map((kind) => [kind, 0])) as BackfillRunResult['counts'];
  const alreadyDeadByCode: Record<string, number> = {};
  let failure: { code: string; message: string } | undefined;
  const fail = (error: unknown) => {
    failure ??= describeError(error);
    stop.abort();
  };
  let cursor: BackfillCursor = {
    selection: key,
    startedAt: resumed?.startedAt ?? new Date(now()).toISOString(),
    listed: 0,
    enqueued: resumed?.enqueued ?? 0,
    last: null,
    listingDone: false,
    finishedAt: null,
  };
  const saveCursor = () => deps.store.putCursor(BACKFILL_CURSOR, serializeBackfillCursor(cursor));

  const tracker = createCompletionTracker({ store: deps.store, queue: deps.queue });
  const supervisor = createWorkersSupervisor({
    readHeartbeat: () => deps.store.getCursor(WORKERS_HEARTBEAT),
    startWorkers: deps.startWorkers,
    ...(deps.stopDeadlineMs !== undefined ? { handOverDeadlineMs: deps.stopDeadlineMs } : {}),
    logger: deps.logger,
    now,
  });
  const snapshot = (): ProgressSnapshot => {
    const syncs = tracker.counts();
    return {
      listing: !cursor.listingDone,
      listed: cursor.listed,
      toSync: syncs.tracked,
      settled: syncs.synced + syncs.deadLettered + syncs.leftOut,
      deadLettered: syncs.deadLettered,
    };
  };

  async function list(): Promise<void> {
    for await (const page of scanReferrals(selection, {
      referrals: deps.referrals,
      store: deps.store,
      deadLetterCodes,
    })) {
      for (const { referral, link, decision } of page) {
        if (stop.signal.aborted) break;
        counts[decision.kind] += 1;
        if (decision.kind === 'dead-lettered') {
          alreadyDeadByCode[decision.code] = (alreadyDeadByCode[decision.code] ?? 0) + 1;
        }
        if (needsSync(decision)) {
          await deps.queue.enqueue(referral.key, { reason: 'backfill' });
          tracker.track(referral.key, link?.syncedAt ?? null);
          cursor.enqueued += 1;
          // An embedded store commits on the event loop: let the workers' answers in between commits.
          await setImmediate();
        }
        cursor.listed += 1;
        cursor.last = { id: referral.id, createdDateTime: referral.createdDateTime };
      }
      // After the page's jobs are committed: a cursor never claims more than the queue holds.
      await saveCursor();
      if (stop.signal.aborted) return;
    }
    cursor.listingDone = true;
    await saveCursor();
  }

  async function watch(): Promise<void> {
    let checkedWorkersAt = Number.NEGATIVE_INFINITY;
    for (;;) {
      // Workers are looked for once there is something to sync: a run with nothing to do needs no CRM.
      if (tracker.counts().outstanding > 0 && now() - checkedWorkersAt >= workersCheckMs) {
        await supervisor.check();
        checkedWorkersAt = now();
      }
      const started = now();
      await tracker.poll();
      deps.onProgress?.(snapshot());
      if (stop.signal.aborted) return;
      if (cursor.listingDone && tracker.counts().outstanding === 0) return;
      // Looking costs a read per outstanding referral: never spend more than a third of the time on it.
      const spent = now() - started;
      await sleep(Math.max(pollMs, 3 * spent), undefined, { signal: stop.signal }).catch(() => undefined);
    }
  }

  try {
    await Promise.all([list().catch(fail), watch().catch(fail)]);
  } finally {
    deps.signal?.removeEventListener('abort', onInterrupt);
    await supervisor.stop(deps.stopDeadlineMs ?? 10_000).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'stopping the backfill’s workers failed; their leases expire');
    });
  }
  // What settled while the workers stopped still counts.
  await tracker.poll().catch(fail);
  if (!interrupted() && !failure) cursor = { ...cursor, finishedAt: new Date(now()).toISOString() };
  await saveCursor().catch(fail);
  deps.onProgress?.(snapshot());
  const outcome: BackfillOutcome = interrupted() ? 'interrupted' : failure ? 'failed' : 'complete';
  return {
    outcome,
    resumed,
    listed: cursor.listed,
    counts,
    syncs: tracker.counts(),
    alreadyDeadByCode,
    ranOwnWorkers: supervisor.ranOwnWorkers,
    ...(failure ? { error: failure } : {}),
  };
}

function describeError(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown }).code;
  return {
    code: typeof code === 'string' ? code : 'internal_error',
    message: error instanceof Error ? error.message : String(error),
  };
}
