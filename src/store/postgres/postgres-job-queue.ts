import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { ReferralKey } from '../../core/domain.ts';
import type {
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
import { guard, isUniqueViolation } from './postgres-errors.ts';
import { inTransaction, type PostgresTransaction, retryOnConflict } from './transaction.ts';

export type PostgresJobQueueOptions = {
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** Float in [0, 1) for the back-off jitter. */
  random: () => number;
  /** Longest `waitForWork` sleeps while the LISTEN connection is down (polling is then all there is). */
  maxIdleMs: number;
  /** Longest `waitForWork` sleeps while LISTEN is up: a safety net, every write path notifies. */
  listeningIdleMs: number;
  /** See SqliteJobQueueOptions.minSyncIntervalMs. */
  minSyncIntervalMs?: number;
  /** This process's wake-ups (see ../work-signal.ts), counted (see `countWakeUps`). */
  signal: CountingWorkSignal;
  /** The NOTIFY channel every instance on this schema listens on. */
  channel: string;
  /** This instance: the payload of its notifications, and the owner of the jobs its workers claim. */
  instance: QueueInstance;
  /** How long an instance may go without a heartbeat before its running jobs are taken back. */
  instanceTimeoutMs: number;
};

/** What the queue needs of the instance registry (./instance-registry.ts) and the LISTEN session. */
export type QueueInstance = {
  readonly id: string;
  /** Registers this instance (and starts its heartbeat) before its first claim. */
  ensureRegistered(): Promise<void>;
  /** Connects the LISTEN session when it is not; resolves whether it is listening now. */
  ensureListening(): Promise<boolean>;
  /** Whether this instance has beaten long enough to call another dead (see ./instance-registry.ts). */
  mayJudgeOthers(): boolean;
};

/** A WorkSignal that counts its wake-ups. */
export type CountingWorkSignal = WorkSignal & { readonly wakeUps: number };

/**
 * Counts every wake-up, so `waitForWork` can tell one that came while its query was on the wire (from
 * another instance's NOTIFY, or this process's own writes): with no waiter registered yet, that wake-up
 * would otherwise be lost and the worker would sleep through the job it announced.
 */
export function countWakeUps(signal: WorkSignal): CountingWorkSignal {
  let wakeUps = 0;
  return {
    notify() {
      wakeUps += 1;
      signal.notify();
    },
    notifyAll() {
      wakeUps += 1;
      signal.notifyAll();
    },
    wait: (delayMs, abort) => signal.wait(delayMs, abort),
    get wakeUps() {
      return wakeUps;
    },
  };
}

/** The port, and the transactional enqueue the PostgreSQL store's `recordInbox` is built on. */
export type PostgresJobQueue = JobQueue &
  TransactionalEnqueue<PostgresTransaction> & {
    /** Takes back the running jobs of instances whose heartbeat stopped (not expired leases). */
    recoverLostInstances(): Promise<number>;
  };

const LEASE_EXPIRED = 'lease_expired';
const INSTANCE_LOST = 'instance_lost';

type Queryable = Pick<PoolClient, 'query'>;

// A fresh job (no attempt yet) runs at the earlier of the two times; a job waiting out a retry keeps
// its time, which is a back-off or a Retry-After that a new hint must not cut short. The earliest run
// time also respects the referral's least sync interval ($4 ms after its last sync; 0 turns it off).
// Every enqueue notifies: idle workers of every instance recompute what is due.
const UPSERT_PENDING = `
  WITH upserted AS (
    INSERT INTO jobs AS existing (referral_id, state, reason, run_at, first_enqueued_at, enqueued_at)
    SELECT $1, 'pending', $2,
      greatest(connector_now(), $3::timestamptz,
        (SELECT synced_at::timestamptz + $4::double precision * interval '1 millisecond' FROM links
         WHERE referral_id = $1 AND $4::double precision > 0)),
      connector_now(), connector_now()
    ON CONFLICT (referral_id) WHERE state = 'pending' DO UPDATE SET
      reason = excluded.reason,
      enqueued_at = excluded.enqueued_at,
      enqueue_count = existing.enqueue_count + 1,
      run_at = CASE WHEN existing.attempts = 0 THEN least(existing.run_at, excluded.run_at)
        ELSE existing.run_at END
    RETURNING id, enqueue_count)
  SELECT id, enqueue_count, pg_notify($5, $6) FROM upserted`;

// Skips due jobs whose referral is running, so one busy referral never holds up the others; SKIP LOCKED
// lets instances claim side by side without waiting for each other's candidate rows.
const CLAIM_NEXT = `
  WITH next AS (
    SELECT candidate.id FROM jobs AS candidate
    WHERE candidate.state = 'pending' AND candidate.run_at <= connector_now()
      AND NOT EXISTS (
        SELECT 1 FROM jobs AS held WHERE held.referral_id = candidate.referral_id AND held.state = 'running')
    ORDER BY candidate.run_at, candidate.id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
  UPDATE jobs SET
    state = 'running',
    attempts = attempts + 1,
    worker_id = $1,
    instance_id = $2,
    lease_token = gen_random_uuid(),
    lease_expires_at = connector_now() + $3::double precision * interval '1 millisecond'
  FROM next WHERE jobs.id = next.id
  RETURNING jobs.*`;

const NEXT_CLAIMABLE_WAIT = `
  SELECT extract(epoch FROM candidate.run_at - connector_now()) * 1000 AS wait_ms
  FROM jobs AS candidate
  WHERE candidate.state = 'pending'
    AND NOT EXISTS (
      SELECT 1 FROM jobs AS held WHERE held.referral_id = candidate.referral_id AND held.state = 'running')
  ORDER BY candidate.run_at, candidate.id
  LIMIT 1`;

const EXTEND_HELD = `
  UPDATE jobs SET lease_expires_at = connector_now() + $3::double precision * interval '1 millisecond'
  WHERE id = $1 AND state = 'running' AND lease_token = $2
  RETURNING lease_expires_at`;

// Done: the job goes, and with it an older dead letter of the referral, which the sync made obsolete.
// The referral's pending job (if any) has just become claimable: say so to every instance.
const COMPLETE_HELD = `
  WITH done AS (
    DELETE FROM jobs WHERE id = $1 AND state = 'running' AND lease_token = $2 RETURNING referral_id),
  cleared AS (
    DELETE FROM jobs AS dead USING done WHERE dead.referral_id = done.referral_id AND dead.state = 'dead')
  SELECT
    CASE WHEN EXISTS (
      SELECT 1 FROM jobs AS pending, done WHERE pending.referral_id = done.referral_id AND pending.state = 'pending')
    THEN pg_notify($3, $4) END
  FROM done`;

const HELD_FOR_UPDATE = `SELECT * FROM jobs WHERE id = $1 AND state = 'running' AND lease_token = $2 FOR UPDATE`;
const TAKE_PENDING_OF_REFERRAL = `
  DELETE FROM jobs WHERE referral_id = $1 AND state = 'pending'
  RETURNING reason, enqueued_at, first_enqueued_at, enqueue_count`;
// Back to pending (run time: an explicit not-before, or now plus a back-off), folding in what was taken.
const BACK_TO_PENDING = `
  UPDATE jobs SET
    state = 'pending',
    run_at = CASE WHEN $2::timestamptz IS NULL THEN connector_now() + $3::double precision * interval '1 millisecond'
      ELSE greatest(connector_now(), $2::timestamptz) END,
    worker_id = NULL, instance_id = NULL, lease_token = NULL, lease_expires_at = NULL,
    last_error_code = $4, last_error_message = $5,
    reason = CASE WHEN $7::timestamptz IS NOT NULL AND $7::timestamptz >= enqueued_at THEN $6 ELSE reason END,
    enqueued_at = greatest(enqueued_at, $7::timestamptz),
    first_enqueued_at = least(first_enqueued_at, $8::timestamptz),
    enqueue_count = enqueue_count + $9::integer
  WHERE id = $1
  RETURNING run_at`;
const DELETE_DEAD_OF_REFERRAL = `DELETE FROM jobs WHERE referral_id = $1 AND state = 'dead'`;
const TO_DEAD = `
  UPDATE jobs SET
    state = 'dead', dead_at = connector_now(),
    worker_id = NULL, instance_id = NULL, lease_token = NULL, lease_expires_at = NULL,
    last_error_code = $2, last_error_message = $3
  WHERE id = $1`;
const NOTIFY = 'SELECT pg_notify($1, $2)';

// Running jobs whose lease ran out, or whose instance stopped proving it is alive (not this instance:
// it knows it is alive, and tests move the database clock past its heartbeat).
const RECOVERABLE = `
  SELECT jobs.*, lease_expires_at <= connector_now() AS lease_expired FROM jobs
  WHERE state = 'running'
    AND (($3::boolean AND lease_expires_at <= connector_now())
      OR ($4::boolean AND instance_id <> $1 AND NOT EXISTS (
        SELECT 1 FROM instances
        WHERE instances.id = jobs.instance_id
          AND instances.heartbeat_at > connector_now() - $2::double precision * interval '1 millisecond')))
  ORDER BY id
  FOR UPDATE SKIP LOCKED`;

const REPLAY_FILTER = `state = 'dead'
  AND ($1::text IS NULL OR referral_id = $1)
  AND ($2::text IS NULL OR last_error_code = $2)`;
// A referral that already has a pending job needs nothing more: that job will sync it.
const DROP_REPLAYED_INTO_PENDING = `
  DELETE FROM jobs WHERE ${REPLAY_FILTER}
    AND referral_id IN (SELECT referral_id FROM jobs WHERE state = 'pending')`;
const REPLAY_DEAD = `
  UPDATE jobs SET
    state = 'pending', reason = 'replay', attempts = 0, enqueue_count = 1,
    run_at = connector_now(), first_enqueued_at = connector_now(), enqueued_at = connector_now(), dead_at = NULL
  WHERE ${REPLAY_FILTER}`;

const COUNTS_BY_STATE = `
  SELECT
    count(*) FILTER (WHERE state = 'pending')::integer AS pending,
    count(*) FILTER (WHERE state = 'pending' AND run_at <= connector_now())::integer AS due,
    count(*) FILTER (WHERE state = 'running')::integer AS running,
    count(*) FILTER (WHERE state = 'dead')::integer AS dead,
    min(run_at) FILTER (WHERE state = 'pending' AND run_at <= connector_now()) AS oldest_due_at
  FROM jobs`;
const DEAD_COUNTS_BY_CODE = `
  SELECT last_error_code AS code, count(*)::integer AS count FROM jobs WHERE state = 'dead' GROUP BY last_error_code`;
const LIST_DEAD = `
  SELECT * FROM jobs WHERE ${REPLAY_FILTER}
  ORDER BY dead_at DESC, id DESC
  LIMIT $3`;

export function createPostgresJobQueue(pool: Pool, options: PostgresJobQueueOptions): PostgresJobQueue {
  const { signal, channel, instance } = options;

  async function upsert(
    db: Queryable,
    referralId: ReferralKey,
    { reason, notBefore }: EnqueueOptions,
  ): Promise<EnqueueResult> {
    const interval = reason === 'replay' ? 0 : (options.minSyncIntervalMs ?? 0);
    const { rows } = await db.query(UPSERT_PENDING, [
      referralId,
      reason,
      notBefore ? validDate(notBefore) : null,
      interval,
      channel,
      instance.id,
    ]);
    const row = firstRow(rows);
    return { jobId: String(row.id), outcome: Number(row.enqueue_count) === 1 ? 'created' : 'coalesced' };
  }

  /** Back to pending, folding in the referral's pending job if it has one. Inside a transaction. */
  async function requeue(
    client: PoolClient,
    row: QueryResultRow,
    runAt: { notBefore: Date | null; delayMs: number },
    error: JobError,
  ): Promise<Date> {
    const { rows: taken } = await client.query(TAKE_PENDING_OF_REFERRAL, [row.referral_id]);
    const pending = taken[0];
    const { rows } = await client.query(BACK_TO_PENDING, [
      row.id,
      runAt.notBefore,
      runAt.delayMs,
      error.code,
      error.message,
      pending?.reason ?? null,
      pending?.enqueued_at ?? null,
      pending?.first_enqueued_at ?? null,
      pending ? Number(pending.enqueue_count) : 0,
    ]);
    await client.query(NOTIFY, [channel, instance.id]);
    return firstRow(rows).run_at as Date;
  }

  /** A referral keeps one dead letter, its latest. Inside a transaction. */
  async function bury(client: PoolClient, row: QueryResultRow, error: JobError): Promise<void> {
    await client.query(DELETE_DEAD_OF_REFERRAL, [row.referral_id]);
    await client.query(TO_DEAD, [row.id, error.code, error.message]);
    // The referral's pending job, if any, may run now that this one stopped running.
    await client.query(NOTIFY, [channel, instance.id]);
  }

  /** The running row this claim still holds, locked, or null when its lease was recovered. */
  async function held(client: PoolClient, job: Job): Promise<QueryResultRow | null> {
    const { rows } = await client.query(HELD_FOR_UPDATE, [job.id, job.leaseToken]);
    return rows[0] ?? null;
  }

  /** Runs a settling transaction and wakes this process's idle workers when it changed something. */
  async function settle<T>(
    work: (client: PoolClient) => Promise<T>,
    changed: (result: T) => boolean,
  ): Promise<T> {
    const result = await guard(() =>
      retryOnConflict(() => inTransaction(pool, (transaction) => work(transaction.client))),
    );
    if (changed(result)) signal.notify();
    return result;
  }

  async function recover(includeExpiredLeases: boolean): Promise<number> {
    return settle(
      async (client) => {
        const { rows } = await client.query(RECOVERABLE, [
          instance.id,
          options.instanceTimeoutMs,
          includeExpiredLeases,
          instance.mayJudgeOthers(),
        ]);
        for (const row of rows) {
          const error: JobError = row.lease_expired
            ? { code: LEASE_EXPIRED, message: `worker ${row.worker_id} held the job past its lease` }
            : {
                code: INSTANCE_LOST,
                message: `the instance of worker ${row.worker_id} stopped sending heartbeats`,
              };
          if (Number(row.attempts) >= options.maxAttempts) await bury(client, row, error);
          else await requeue(client, row, { notBefore: null, delayMs: 0 }, error);
        }
        return rows.length;
      },
      (count) => count > 0,
    );
  }

  async function queueStats(): Promise<QueueStats> {
    const [{ rows: counts }, { rows: byCode }] = await Promise.all([
      pool.query(COUNTS_BY_STATE),
      pool.query(DEAD_COUNTS_BY_CODE),
    ]);
    const row = firstRow(counts);
    const deadByCode: Record<string, number> = {};
    for (const { code, count } of byCode) deadByCode[code] = Number(count);
    return {
      pending: row.pending,
      due: row.due,
      scheduled: row.pending - row.due,
      running: row.running,
      dead: row.dead,
      deadByCode,
      oldestDueAt: row.oldest_due_at ?? null,
    };
  }

  return {
    async enqueueWithin(transaction, referralId, enqueueOptions) {
      // Joining "a" transaction is not enough: it must be open on this queue's own database.
      if (transaction.pool !== pool) {
        throw new Error('enqueueWithin needs a transaction open on the queue’s own database');
      }
      return upsert(transaction.client, referralId, enqueueOptions);
    },
    afterCommit: () => signal.notify(),

    async enqueue(referralId, enqueueOptions) {
      const result = await guard(() => upsert(pool, referralId, enqueueOptions));
      signal.notify();
      return result;
    },

    async claim({ workerId, leaseMs }) {
      await guard(() => instance.ensureRegistered());
      for (let attempt = 1; ; attempt++) {
        try {
          const { rows } = await guard(() => pool.query(CLAIM_NEXT, [workerId, instance.id, leaseMs]));
          if (rows.length === 0) return null;
          // There may be more: pass the wake-up on to the next idle worker (see ../work-signal.ts).
          signal.notify();
          return rowToJob(firstRow(rows));
        } catch (error) {
          // Two instances took the same referral's jobs at once; the unique index let only one run.
          if (!isUniqueViolation(error) || attempt >= 3) throw error;
        }
      }
    },

    async extendLease(job, ms) {
      const { rows } = await guard(() => pool.query(EXTEND_HELD, [job.id, job.leaseToken, ms]));
      const row = rows[0];
      return row ? { outcome: 'extended', leaseExpiresAt: row.lease_expires_at } : { outcome: 'lease_lost' };
    },

    async complete(job) {
      const { rowCount } = await guard(() =>
        pool.query(COMPLETE_HELD, [job.id, job.leaseToken, channel, instance.id]),
      );
      if (rowCount !== 1) return { outcome: 'lease_lost' };
      signal.notify();
      return { outcome: 'completed' };
    },

    async retry(job, { error, notBefore }) {
      return settle(
        async (client) => {
          const row = await held(client, job);
          if (!row) return { outcome: 'lease_lost' } as const;
          const attempts = Number(row.attempts);
          if (attempts >= options.maxAttempts) {
            await bury(client, row, error);
            return { outcome: 'dead_lettered' } as const;
          }
          const runAt = await requeue(
            client,
            row,
            notBefore
              ? { notBefore: validDate(notBefore), delayMs: 0 }
              : { notBefore: null, delayMs: retryDelayMs(attempts, options.backoff, options.random) },
            error,
          );
          return { outcome: 'retried', runAt } as const;
        },
        (result) => result.outcome !== 'lease_lost',
      );
    },

    async deadLetter(job, error) {
      return settle(
        async (client) => {
          const row = await held(client, job);
          if (!row) return { outcome: 'lease_lost' } as const;
          await bury(client, row, error);
          return { outcome: 'dead_lettered' } as const;
        },
        (result) => result.outcome !== 'lease_lost',
      );
    },

    async waitForWork(abort) {
      if (abort?.aborted) return;
      const listening = await instance.ensureListening().catch(() => false);
      const wakeUpsBefore = signal.wakeUps;
      const { rows } = await guard(() => pool.query(NEXT_CLAIMABLE_WAIT));
      const idle = listening ? options.listeningIdleMs : options.maxIdleMs;
      const wait = rows[0] ? Number(rows[0].wait_ms) : idle;
      // Something changed while the query ran (its answer may predate it): look again instead.
      if (wait <= 0 || signal.wakeUps !== wakeUpsBefore) return;
      await signal.wait(Math.min(Math.ceil(wait), idle), abort);
    },

    recoverExpiredLeases: () => recover(true),
    recoverLostInstances: () => recover(false),

    async stats() {
      return guard(queueStats);
    },

    async deadLetters(query = {}) {
      const { rows } = await guard(() =>
        pool.query(LIST_DEAD, [query.referralId ?? null, query.code ?? null, query.limit ?? null]),
      );
      return rows.map(rowToDeadLetter);
    },

    async replay(selector) {
      const { referralId, code } = replayParameters(selector);
      return settle(
        async (client) => {
          const dropped = await client.query(DROP_REPLAYED_INTO_PENDING, [referralId, code]);
          const replayed = await client.query(REPLAY_DEAD, [referralId, code]);
          const count = (dropped.rowCount ?? 0) + (replayed.rowCount ?? 0);
          if (count > 0) await client.query(NOTIFY, [channel, instance.id]);
          return count;
        },
        (count) => count > 0,
      );
    },
  };
}

function firstRow(rows: QueryResultRow[]): QueryResultRow {
  const row = rows[0];
  if (!row) throw new Error('the statement returned no row');
  return row;
}

function validDate(date: Date): Date {
  if (Number.isNaN(date.getTime())) throw new RangeError('notBefore is not a valid date');
  return date;
}

function replayParameters(selector: ReplaySelector): { referralId: ReferralKey | null; code: string | null } {
  if ('referralId' in selector) return { referralId: selector.referralId, code: null };
  if ('code' in selector) return { referralId: null, code: selector.code };
  return { referralId: null, code: null };
}

function lastErrorOf(row: QueryResultRow): JobError | null {
  return row.last_error_code === null
    ? null
    : { code: row.last_error_code, message: row.last_error_message ?? '' };
}

function rowToJob(row: QueryResultRow): Job {
  return {
    id: String(row.id),
    referralId: row.referral_id as ReferralKey,
    reason: row.reason,
    attempts: Number(row.attempts),
    firstEnqueuedAt: row.first_enqueued_at,
    enqueuedAt: row.enqueued_at,
    runAt: row.run_at,
    lastError: lastErrorOf(row),
    workerId: row.worker_id,
    leaseToken: row.lease_token,
    leaseExpiresAt: row.lease_expires_at,
  };
}

function rowToDeadLetter(row: QueryResultRow): DeadLetter {
  return {
    jobId: String(row.id),
    referralId: row.referral_id as ReferralKey,
    reason: row.reason,
    attempts: Number(row.attempts),
    error: lastErrorOf(row) ?? { code: 'unknown', message: '' },
    firstEnqueuedAt: row.first_enqueued_at,
    deadAt: row.dead_at,
  };
}
