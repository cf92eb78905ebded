import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { ReferralKey } from '../../core/domain.ts';
import type {
  Clock,
  DeadLetter,
  EnqueueOptions,
  EnqueueResult,
  Job,
  JobError,
  JobQueue,
  QueueStats,
  ReplaySelector,
  TransactionalEnqueue,
} from '../ports.ts';
import { type BackoffPolicy, retryDelayMs } from '../retry-backoff.ts';
import type { WorkSignal } from '../work-signal.ts';
import {
  integerOf,
  optionalIntegerOf,
  optionalTextOf,
  type Row,
  referralKeyOf,
  textOf,
} from './row-values.ts';
import { guard } from './sqlite-errors.ts';
import { type Durability, inTransaction, type SqliteTransaction } from './transaction.ts';
import type { WorkerLock } from './worker-lock.ts';

export type SqliteJobQueueOptions = {
  clock: Clock;
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** Float in [0, 1) for the back-off jitter. */
  random: () => number;
  maxIdleMs: number;
  signal: WorkSignal;
  /**
   * Least time between two syncs of one referral started by hints (webhooks, reconciler): a burst of
   * events folds into one pending job instead of one sync each. 0 turns it off; replays ignore it.
   */
  minSyncIntervalMs?: number;
  /**
   * Tells whether other worker processes share the file (see ./worker-lock.ts). Joined at the first
   * claim or lease recovery: a process that finds itself alone releases at once every job still running
   * under another process's claims (that process is dead, so their leases need not be waited out).
   * Without one, or beside a live worker process, only expired leases are recovered.
   */
  workerLock?: WorkerLock;
};

/** The port, and the transactional enqueue the SQLite store's `recordInbox` is built on. */
export type SqliteJobQueue = JobQueue & TransactionalEnqueue<SqliteTransaction, EnqueueResult>;

const LEASE_EXPIRED = 'lease_expired';
const INSTANCE_LOST = 'instance_lost';

export function createSqliteJobQueue(db: DatabaseSync, options: SqliteJobQueueOptions): SqliteJobQueue {
  const { clock, signal } = options;
  // Every lease token this queue hands out starts with it: what is not ours was claimed by another process.
  const owner = randomUUID();

  // A fresh job (no attempt yet) runs at the earlier of the two times; a job waiting out a retry keeps
  // its time, which is a back-off or a Retry-After that a new hint must not cut short.
  const upsertPending = db.prepare(`
    INSERT INTO jobs (referral_id, state, reason, run_at, first_enqueued_at, enqueued_at)
    VALUES (:referralId, 'pending', :reason, :runAt, :now, :now)
    ON CONFLICT (referral_id) WHERE state = 'pending' DO UPDATE SET
      reason = excluded.reason,
      enqueued_at = excluded.enqueued_at,
      enqueue_count = jobs.enqueue_count + 1,
      run_at = CASE WHEN jobs.attempts = 0 THEN min(jobs.run_at, excluded.run_at) ELSE jobs.run_at END
    RETURNING id, enqueue_count`);

  const lastSyncOf = db.prepare('SELECT synced_at FROM links WHERE referral_id = ?');

  // Skips due jobs whose referral is running, so one busy referral never holds up the others; at most
  // one pending job per referral means at most (running jobs) rows are skipped.
  const claimNext = db.prepare(`
    UPDATE jobs SET
      state = 'running',
      attempts = attempts + 1,
      worker_id = :workerId,
      lease_token = :leaseToken,
      lease_expires_at = :leaseExpiresAt
    WHERE id = (
      SELECT candidate.id FROM jobs AS candidate
      WHERE candidate.state = 'pending' AND candidate.run_at <= :now
        AND NOT EXISTS (
          SELECT 1 FROM jobs AS held WHERE held.referral_id = candidate.referral_id AND held.state = 'running')
      ORDER BY candidate.run_at, candidate.id
      LIMIT 1)
    RETURNING *`);

  const nextClaimableRunAt = db.prepare(`
    SELECT candidate.run_at FROM jobs AS candidate
    WHERE candidate.state = 'pending'
      AND NOT EXISTS (
        SELECT 1 FROM jobs AS held WHERE held.referral_id = candidate.referral_id AND held.state = 'running')
    ORDER BY candidate.run_at, candidate.id
    LIMIT 1`);

  const heldJob = db.prepare(
    `SELECT * FROM jobs WHERE id = :id AND state = 'running' AND lease_token = :leaseToken`,
  );
  const extendHeld = db.prepare(`
    UPDATE jobs SET lease_expires_at = :leaseExpiresAt
    WHERE id = :id AND state = 'running' AND lease_token = :leaseToken`);
  const deleteHeld = db.prepare(
    `DELETE FROM jobs WHERE id = :id AND state = 'running' AND lease_token = :leaseToken`,
  );
  const deleteDeadOfReferral = db.prepare(`DELETE FROM jobs WHERE referral_id = ? AND state = 'dead'`);
  const takePendingOfReferral = db.prepare(
    `DELETE FROM jobs WHERE referral_id = ? AND state = 'pending'
     RETURNING reason, enqueued_at, first_enqueued_at, enqueue_count`,
  );
  const backToPending = db.prepare(`
    UPDATE jobs SET
      state = 'pending',
      run_at = :runAt,
      worker_id = NULL, lease_token = NULL, lease_expires_at = NULL,
      last_error_code = :code, last_error_message = :message
    WHERE id = :id`);
  const absorbPending = db.prepare(`
    UPDATE jobs SET
      reason = CASE WHEN :enqueuedAt >= enqueued_at THEN :reason ELSE reason END,
      enqueued_at = max(enqueued_at, :enqueuedAt),
      first_enqueued_at = min(first_enqueued_at, :firstEnqueuedAt),
      enqueue_count = enqueue_count + :enqueueCount
    WHERE id = :id`);
  const toDead = db.prepare(`
    UPDATE jobs SET
      state = 'dead',
      dead_at = :now,
      worker_id = NULL, lease_token = NULL, lease_expires_at = NULL,
      last_error_code = :code, last_error_message = :message
    WHERE id = :id`);
  const expiredLeases = db.prepare(`SELECT * FROM jobs WHERE state = 'running' AND lease_expires_at <= ?`);
  const claimedElsewhere = db.prepare(
    `SELECT * FROM jobs WHERE state = 'running' AND lease_token NOT LIKE :owner || '.%'`,
  );

  const replayFilter = `state = 'dead'
      AND (:referralId IS NULL OR referral_id = :referralId)
      AND (:code IS NULL OR last_error_code = :code)`;
  // A referral that already has a pending job needs nothing more: that job will sync it.
  const dropReplayedIntoPending = db.prepare(`
    DELETE FROM jobs WHERE ${replayFilter}
      AND referral_id IN (SELECT referral_id FROM jobs WHERE state = 'pending')`);
  const replayDead = db.prepare(`
    UPDATE jobs SET
      state = 'pending', reason = 'replay', attempts = 0, enqueue_count = 1,
      run_at = :now, first_enqueued_at = :now, enqueued_at = :now, dead_at = NULL
    WHERE ${replayFilter}`);

  const countsByState = db.prepare(`
    SELECT
      coalesce(sum(state = 'pending'), 0) AS pending,
      coalesce(sum(state = 'pending' AND run_at <= :now), 0) AS due,
      coalesce(sum(state = 'running'), 0) AS running,
      coalesce(sum(state = 'dead'), 0) AS dead,
      min(CASE WHEN state = 'pending' AND run_at <= :now THEN run_at END) AS oldest_due_at
    FROM jobs`);
  const deadCountsByCode = db.prepare(
    `SELECT last_error_code AS code, count(*) AS count FROM jobs WHERE state = 'dead' GROUP BY last_error_code`,
  );
  const listDead = db.prepare(`
    SELECT * FROM jobs
    WHERE state = 'dead'
      AND (:referralId IS NULL OR referral_id = :referralId)
      AND (:code IS NULL OR last_error_code = :code)
    ORDER BY dead_at DESC, id DESC
    LIMIT :limit`);

  /** Runs inside a transaction that is already open on `db`. */
  function upsert(referralId: ReferralKey, { reason, notBefore }: EnqueueOptions): EnqueueResult {
    const now = clock();
    let runAt = Math.max(now, notBefore ? timeOf(notBefore) : now);
    const interval = options.minSyncIntervalMs ?? 0;
    if (interval > 0 && reason !== 'replay') {
      const synced = lastSyncOf.get(referralId) as Row | undefined;
      const syncedAt = synced ? Date.parse(textOf(synced, 'synced_at')) : Number.NaN;
      if (Number.isFinite(syncedAt)) runAt = Math.max(runAt, syncedAt + interval);
    }
    const row = upsertPending.get({ referralId, reason, runAt, now }) as Row;
    return {
      jobId: String(integerOf(row, 'id')),
      outcome: integerOf(row, 'enqueue_count') === 1 ? 'created' : 'coalesced',
    };
  }

  /** The running row this claim still holds, or null when its lease was recovered. */
  function held(job: Job): Row | null {
    return (heldJob.get({ id: Number(job.id), leaseToken: job.leaseToken }) as Row | undefined) ?? null;
  }

  /** Back to pending at `runAt`, folding in the referral's pending job if it has one. */
  function requeue(row: Row, runAt: number, error: JobError): void {
    const id = integerOf(row, 'id');
    const pending = takePendingOfReferral.get(textOf(row, 'referral_id')) as Row | undefined;
    backToPending.run({ id, runAt, code: error.code, message: error.message });
    if (pending) {
      absorbPending.run({
        id,
        reason: textOf(pending, 'reason'),
        enqueuedAt: integerOf(pending, 'enqueued_at'),
        firstEnqueuedAt: integerOf(pending, 'first_enqueued_at'),
        enqueueCount: integerOf(pending, 'enqueue_count'),
      });
    }
  }

  /** A referral keeps one dead letter, its latest. */
  function bury(row: Row, error: JobError): void {
    deleteDeadOfReferral.run(textOf(row, 'referral_id'));
    toDead.run({ id: integerOf(row, 'id'), now: clock(), code: error.code, message: error.message });
  }

  /**
   * The first time this queue claims or recovers: when no other worker process shares the file, every
   * job running under another process's claim belongs to a process that died: back to the queue with
   * them now. Returns how many.
   */
  function takeOverFromDeadProcesses(): number {
    const lock = options.workerLock;
    if (!lock || lock.joined) return 0;
    let released = 0;
    guard(() =>
      lock.join(() => {
        released = write(
          () => {
            const orphaned = claimedElsewhere.all({ owner }) as Row[];
            for (const row of orphaned) {
              const error: JobError = {
                code: INSTANCE_LOST,
                message: `the process of worker ${optionalTextOf(row, 'worker_id') ?? '?'} is gone`,
              };
              if (integerOf(row, 'attempts') >= options.maxAttempts) bury(row, error);
              else requeue(row, clock(), error);
            }
            return orphaned.length;
          },
          (count) => count > 0,
          'relaxed',
        );
      }),
    );
    return released;
  }

  function queueStats(): QueueStats {
    const now = clock();
    const counts = countsByState.get({ now }) as Row;
    const deadByCode: Record<string, number> = {};
    for (const row of deadCountsByCode.all() as Row[]) {
      deadByCode[textOf(row, 'code')] = integerOf(row, 'count');
    }
    const pending = integerOf(counts, 'pending');
    const due = integerOf(counts, 'due');
    const oldestDueAt = optionalIntegerOf(counts, 'oldest_due_at');
    return {
      pending,
      due,
      scheduled: pending - due,
      running: integerOf(counts, 'running'),
      dead: integerOf(counts, 'dead'),
      deadByCode,
      oldestDueAt: oldestDueAt === null ? null : new Date(oldestDueAt),
    };
  }

  /**
   * Runs `work`, wakes idle workers when it changed something, and types store failures. The workers'
   * own moves are `relaxed` (redoing an idempotent sync is all their loss costs); see ./transaction.ts.
   */
  function write<T>(
    work: () => T,
    changed: (result: T) => boolean = () => true,
    durability: Durability = 'durable',
  ): T {
    const result = guard(() => inTransaction(db, work, durability));
    if (changed(result)) signal.notify();
    return result;
  }

  return {
    enqueueWithin(transaction, referralId, enqueueOptions) {
      // Joining "a" transaction is not enough: it must be open on this queue's connection.
      if (transaction.db !== db || !db.isTransaction) {
        throw new Error('enqueueWithin needs a transaction open on the queue’s own database');
      }
      return upsert(referralId, enqueueOptions);
    },
    afterCommit: () => signal.notify(),

    async enqueue(referralId, enqueueOptions) {
      return write(() => upsert(referralId, enqueueOptions));
    },

    async claim({ workerId, leaseMs }) {
      takeOverFromDeadProcesses();
      const now = clock();
      const leaseToken = `${owner}.${randomUUID()}`;
      const row = guard(
        () => claimNext.get({ workerId, leaseToken, leaseExpiresAt: now + leaseMs, now }) as Row | undefined,
      );
      if (!row) return null;
      // There may be more: pass the wake-up on to the next idle worker (see ../work-signal.ts).
      signal.notify();
      return rowToJob(row);
    },

    async extendLease(job, ms) {
      const leaseExpiresAt = clock() + ms;
      const { changes } = guard(() =>
        extendHeld.run({ id: Number(job.id), leaseToken: job.leaseToken, leaseExpiresAt }),
      );
      return changes === 1
        ? { outcome: 'extended', leaseExpiresAt: new Date(leaseExpiresAt) }
        : { outcome: 'lease_lost' };
    },

    async complete(job) {
      return write(
        () => {
          const { changes } = deleteHeld.run({ id: Number(job.id), leaseToken: job.leaseToken });
          if (changes !== 1) return { outcome: 'lease_lost' } as const;
          // The referral just synced, so an older failure of it is no longer news.
          deleteDeadOfReferral.run(job.referralId);
          return { outcome: 'completed' } as const;
        },
        (result) => result.outcome === 'completed',
        'relaxed',
      );
    },

    async retry(job, { error, notBefore }) {
      return write(
        () => {
          const row = held(job);
          if (!row) return { outcome: 'lease_lost' } as const;
          const attempts = integerOf(row, 'attempts');
          if (attempts >= options.maxAttempts) {
            bury(row, error);
            return { outcome: 'dead_lettered' } as const;
          }
          const now = clock();
          const runAt = notBefore
            ? Math.max(now, timeOf(notBefore))
            : now + retryDelayMs(attempts, options.backoff, options.random);
          requeue(row, runAt, error);
          return { outcome: 'retried', runAt: new Date(runAt) } as const;
        },
        (result) => result.outcome !== 'lease_lost',
        'relaxed',
      );
    },

    async deadLetter(job, error) {
      return write(
        () => {
          const row = held(job);
          if (!row) return { outcome: 'lease_lost' } as const;
          bury(row, error);
          return { outcome: 'dead_lettered' } as const;
        },
        (result) => result.outcome !== 'lease_lost',
        'relaxed',
      );
    },

    async waitForWork(abort) {
      if (abort?.aborted) return;
      const row = guard(() => nextClaimableRunAt.get() as Row | undefined);
      const wait = row ? integerOf(row, 'run_at') - clock() : options.maxIdleMs;
      if (wait <= 0) return;
      await signal.wait(Math.min(wait, options.maxIdleMs), abort);
    },

    async recoverExpiredLeases() {
      const released = takeOverFromDeadProcesses();
      return (
        released +
        write(
          () => {
            const now = clock();
            const expired = expiredLeases.all(now) as Row[];
            for (const row of expired) {
              const error: JobError = {
                code: LEASE_EXPIRED,
                message: `worker ${optionalTextOf(row, 'worker_id') ?? '?'} held the job past its lease`,
              };
              if (integerOf(row, 'attempts') >= options.maxAttempts) bury(row, error);
              else requeue(row, now, error);
            }
            return expired.length;
          },
          (count) => count > 0,
          'relaxed',
        )
      );
    },

    async stats() {
      return guard(queueStats);
    },

    async deadLetters(query = {}) {
      const rows = guard(
        () =>
          listDead.all({
            referralId: query.referralId ?? null,
            code: query.code ?? null,
            limit: query.limit ?? -1,
          }) as Row[],
      );
      return rows.map(rowToDeadLetter);
    },

    async replay(selector) {
      const filter = replayParameters(selector);
      return write(
        () => {
          const dropped = dropReplayedIntoPending.run(filter).changes;
          const replayed = replayDead.run({ ...filter, now: clock() }).changes;
          return Number(dropped) + Number(replayed);
        },
        (count) => count > 0,
      );
    },
  };
}

function timeOf(date: Date): number {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('notBefore is not a valid date');
  return time;
}

function replayParameters(selector: ReplaySelector): { referralId: ReferralKey | null; code: string | null } {
  if ('referralId' in selector) return { referralId: selector.referralId, code: null };
  if ('code' in selector) return { referralId: null, code: selector.code };
  return { referralId: null, code: null };
}

function lastErrorOf(row: Row): JobError | null {
  const code = optionalTextOf(row, 'last_error_code');
  return code === null ? null : { code, message: optionalTextOf(row, 'last_error_message') ?? '' };
}

function rowToJob(row: Row): Job {
  return {
    id: String(integerOf(row, 'id')),
    referralId: referralKeyOf(row, 'referral_id'),
    reason: textOf(row, 'reason'),
    attempts: integerOf(row, 'attempts'),
    firstEnqueuedAt: new Date(integerOf(row, 'first_enqueued_at')),
    enqueuedAt: new Date(integerOf(row, 'enqueued_at')),
    runAt: new Date(integerOf(row, 'run_at')),
    lastError: lastErrorOf(row),
    workerId: textOf(row, 'worker_id'),
    leaseToken: textOf(row, 'lease_token'),
    leaseExpiresAt: new Date(integerOf(row, 'lease_expires_at')),
  };
}

function rowToDeadLetter(row: Row): DeadLetter {
  return {
    jobId: String(integerOf(row, 'id')),
    referralId: referralKeyOf(row, 'referral_id'),
    reason: textOf(row, 'reason'),
    attempts: integerOf(row, 'attempts'),
    error: lastErrorOf(row) ?? { code: 'unknown', message: '' },
    firstEnqueuedAt: new Date(integerOf(row, 'first_enqueued_at')),
    deadAt: new Date(integerOf(row, 'dead_at')),
  };
}
