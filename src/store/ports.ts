/**
 * The storage ports the sync engine depends on. Two backends implement them: SQLite (embedded, one
 * process, `./sqlite/`) and PostgreSQL (several instances on one database, `./postgres/`); both pass
 * `test/contract/job-queue.contract.ts`.
 *
 * Glossary
 * - inbox entry: one verified Partner Center callback, stored before it is acknowledged.
 * - job: "this referral needs a sync". It carries only the referral key; the worker re-reads current
 *   state, which is what makes coalescing and out-of-order events safe.
 * - referral key: every port names a referral by its `ReferralKey` (`toReferralKey`, src/core/domain.ts),
 *   never by an id as some source spelt it: jobs, inbox, links and timeline then agree on one referral,
 *   and "one running job per referral" holds whichever source (webhook, reconciler, CRM change feed,
 *   replay) asked for the sync.
 * - pending / running / dead: a job waits (pending), is held by a worker under a lease (running), or
 *   has given up and waits for an operator (dead letter). Completed jobs are deleted.
 * - coalescing: per referral at most one running and one pending job; further enqueues fold into the
 *   pending one.
 * - due: a pending job whose run time has come. Scheduled: pending, run time still ahead.
 * - lease: how long a claim stays valid without being extended; an expired lease means the worker is
 *   presumed dead and the job goes back to pending with the attempt counted.
 * - attempt: one claim of a job. Counted when claimed, so a worker that crashes still uses one up.
 * - link: the referral ↔ lead pair and what was last seen and written on each side.
 * - timeline: per-referral history of sync steps, for the admin pages and the `status` command.
 *
 * Record times (inbox, links, timeline) are ISO-8601 strings as the caller gives them; queue times
 * are `Date`s because the queue itself compares them with its clock.
 */

import type { ReferralKey } from '../core/domain.ts';
import type { ConsoleReads } from './console-reads.ts';

/** Milliseconds since the epoch; injected so tests move time instead of sleeping. */
export type Clock = () => number;

export type InboxKind = 'sync' | 'test' | 'ignored';

/** One verified callback as the ingress hands it to `Store.recordInbox`. */
export type InboxEntry = {
  /** ISO-8601. */
  receivedAt: string;
  /** As sent, lower-cased: `{resource}-{action}`. */
  eventName: string;
  resourceUri: string;
  /** The referral to sync; null when the event names none (test events, unknown resources). */
  referralId: ReferralKey | null;
  /** Only `sync` entries with a referral enqueue a job. */
  kind: InboxKind;
  /**
   * When the event says the referral changed (ISO-8601), if it said so readably. An event dated the very
   * instant of the version the last sync wrote (`Link.lastReferralUpdatedAt`) enqueues nothing: that is
   * our own write-back coming back. Any other date, earlier ones included, syncs: Partner Center's event
   * date is not known to equal the referral's update time, and the sync's eTag check makes an echo cheap.
   */
  changedAt?: string | null;
  /** The verified body as received (UTF-8), kept for audit and replay. */
  rawBody: string;
  /** Headers worth keeping for diagnosis; never the signature or Authorization. */
  headers: Record<string, string>;
};

export type RecordInboxResult = {
  inboxId: string;
  /** True when a job for the referral was created or an existing pending one was folded into. */
  jobEnqueued: boolean;
  /** The event announced a version already synced: recorded, no job. */
  alreadySynced?: boolean;
};

/** Why a job was enqueued; open-ended so new sources need no port change. */
export type JobReason = 'webhook' | 'reconcile' | 'replay' | 'crm-change' | (string & {});

/** A failure as data: a stable code from the error classification, and a message for people. */
export type JobError = { code: string; message: string };

export type Job = {
  id: string;
  referralId: ReferralKey;
  /** The reason of the latest enqueue folded into this job. */
  reason: JobReason;
  /** Claims so far, including the current one. */
  attempts: number;
  firstEnqueuedAt: Date;
  /** The latest enqueue folded into this job. */
  enqueuedAt: Date;
  runAt: Date;
  /** The error of the previous attempt, if any. */
  lastError: JobError | null;
  workerId: string;
  /** Identifies this claim: settling a job whose claim has passed to another worker is refused. */
  leaseToken: string;
  leaseExpiresAt: Date;
};

export type EnqueueOptions = {
  reason: JobReason;
  /** Not due before this time. */
  notBefore?: Date;
};

export type EnqueueResult = { jobId: string; outcome: 'created' | 'coalesced' };

export type ClaimOptions = { workerId: string; leaseMs: number };

/** The job's claim expired and was recovered (and maybe claimed again); this worker must stop. */
export type LeaseLost = { outcome: 'lease_lost' };

export type ExtendLeaseResult = { outcome: 'extended'; leaseExpiresAt: Date } | LeaseLost;
export type CompleteResult = { outcome: 'completed' } | LeaseLost;
export type RetryOptions = {
  error: JobError;
  /** An explicit not-before (a remote's Retry-After); without it the queue's back-off decides. */
  notBefore?: Date;
};
export type RetryResult = { outcome: 'retried'; runAt: Date } | { outcome: 'dead_lettered' } | LeaseLost;
export type DeadLetterResult = { outcome: 'dead_lettered' } | LeaseLost;

export type DeadLetter = {
  jobId: string;
  referralId: ReferralKey;
  reason: JobReason;
  attempts: number;
  error: JobError;
  firstEnqueuedAt: Date;
  deadAt: Date;
};

export type DeadLetterQuery = { referralId?: ReferralKey; code?: string; limit?: number };

/** Which dead letters to replay; `{ all: true }` must be said out loud. */
export type ReplaySelector = { referralId: ReferralKey } | { code: string } | { all: true };

export type QueueStats = {
  pending: number;
  /** Pending and due now (some may wait for their referral's running job). */
  due: number;
  /** Pending with a run time still ahead (back-off, Retry-After, not-before). */
  scheduled: number;
  running: number;
  dead: number;
  /** Dead letters counted by their error code. */
  deadByCode: Record<string, number>;
  /** Run time of the longest-waiting due job: the queue's lag. */
  oldestDueAt: Date | null;
};

export type JobQueue = {
  /**
   * Asks for a sync of the referral. Folds into the referral's pending job when there is one: a fresh
   * job keeps the earlier of the two run times; a job waiting out a retry keeps its time, because it is
   * a back-off or a remote's Retry-After that a new hint must not cut short.
   */
  enqueue(referralId: ReferralKey, options: EnqueueOptions): Promise<EnqueueResult>;
  /** The next due job whose referral has no running job, marked running under a lease; oldest run time first. */
  claim(options: ClaimOptions): Promise<Job | null>;
  /** Heartbeat: the lease now ends `ms` from now. */
  extendLease(job: Job, ms: number): Promise<ExtendLeaseResult>;
  /** Done; also clears an older dead letter of the referral, which the sync has made obsolete. */
  complete(job: Job): Promise<CompleteResult>;
  /**
   * Back to pending for another attempt, or to the dead letters when its attempts are used up. When the
   * referral already has a pending job the two fold into one that keeps this job's attempts and run time.
   */
  retry(job: Job, options: RetryOptions): Promise<RetryResult>;
  /** Gives up on the job now (permanent or configuration errors); it keeps the error until replayed. */
  deadLetter(job: Job, error: JobError): Promise<DeadLetterResult>;
  /**
   * Resolves when a job may be claimable: at once when one is, on any enqueue or settled job, when the
   * next run time comes, or when `signal` aborts (it resolves rather than rejects). Callers claim after.
   */
  waitForWork(signal?: AbortSignal): Promise<void>;
  /**
   * Puts jobs whose lease has expired back to pending (their attempt stays counted; a job out of
   * attempts goes to the dead letters with code `lease_expired`). Run at boot and periodically.
   * Returns how many jobs were recovered or dead-lettered.
   */
  recoverExpiredLeases(): Promise<number>;
  stats(): Promise<QueueStats>;
  /** Newest first; at most one per referral (a new dead letter replaces the referral's older one). */
  deadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]>;
  /** Makes the selected dead letters pending again with fresh attempts; returns how many were replayed. */
  replay(selector: ReplaySelector): Promise<number>;
};

export type Link = {
  referralId: ReferralKey;
  leadId: string;
  lastReferralETag: string | null;
  lastReferralUpdatedAt: string | null;
  /** Hash of the lead fields last written to the CRM, to skip writes that change nothing. */
  lastLeadHash: string | null;
  syncedAt: string;
};

export type TimelineEntry = {
  at: string;
  /** e.g. `fetch-referral`, `upsert-lead`, `write-back`. */
  step: string;
  /** e.g. `ok`, `unchanged`, `retry`, `dead-letter`. */
  outcome: string;
  detail?: Record<string, unknown>;
};

export type TimelineEvent = {
  id: string;
  referralId: ReferralKey;
  at: string;
  step: string;
  outcome: string;
  detail: Record<string, unknown> | null;
};

export type StoreStatus = {
  inbox: { total: number; lastReceivedAt: string | null };
  links: { total: number; lastSyncedAt: string | null };
  jobs: QueueStats;
};

/** The sync engine's methods, and the operator console's reads (`ConsoleReads`, console-reads.ts). */
export type Store = ConsoleReads & {
  /**
   * Inbox row + enqueue in one transaction: stores the entry and, for a `sync` entry with a referral
   * (unless it is the echo described at `InboxEntry.changedAt`), enqueues its job with reason `webhook`,
   * committing both or neither. Resolving means committed and durable: only then may the callback be
   * acknowledged. A backend implements it with its own queue's transactional enqueue
   * (`TransactionalEnqueue`): the same coalescing as `JobQueue.enqueue`, inside the store's transaction.
   */
  recordInbox(entry: InboxEntry): Promise<RecordInboxResult>;
  getLink(referralId: ReferralKey): Promise<Link | null>;
  /** Inserts or replaces the referral's link, with the sync's timeline entries, in one transaction. */
  saveLink(link: Link, timeline?: readonly TimelineEntry[]): Promise<void>;
  /** Appends entries in one transaction (a sync that ended without a link to save). */
  appendTimeline(referralId: ReferralKey, entries: readonly TimelineEntry[]): Promise<void>;
  /** Newest first. */
  timeline(referralId: ReferralKey, limit?: number): Promise<TimelineEvent[]>;
  /** Newest first, across referrals. */
  recentTimeline(limit: number): Promise<TimelineEvent[]>;
  /**
   * Where a background pass left off (e.g. the CRM change feed), by name; null when never set. Also
   * the liveness signal of sync workers: every process running workers rewrites `liveness/sync-workers`
   * every few seconds and marks it stopped when it stops (src/sync/workers-liveness.ts), and `backfill`
   * runs workers of its own only while no one has. So a backend must make a `putCursor` visible to
   * every process sharing the store as soon as it resolves, and keep cursors (never prune them).
   */
  getCursor(name: string): Promise<string | null>;
  putCursor(name: string, value: string): Promise<void>;
  /** Opaque bytes; encryption happens above the store. */
  getSecret(name: string): Promise<Uint8Array | null>;
  putSecret(name: string, value: Uint8Array): Promise<void>;
  /**
   * Runs `work` while no other caller, in this process or in any instance sharing the store, runs work
   * under the same name: for a read-refresh-write of a secret (the Partner Center token cache, whose
   * refresh token Entra rotates), so that two instances never refresh from the same old token.
   * Released when `work` settles, or when its instance dies.
   */
  withSecretLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  status(): Promise<StoreStatus>;
  /**
   * Deletes up to `limit` of the oldest inbox rows received before `inboxBefore`, and of the oldest
   * timeline events before `timelineBefore` (ISO-8601; null keeps them), in one short transaction, so
   * callers loop while something was deleted. Jobs, links, dead letters and secrets are never pruned.
   */
  prune(options: PruneOptions): Promise<PruneResult>;
};

export type PruneOptions = { inboxBefore: string | null; timelineBefore: string | null; limit: number };
export type PruneResult = { inbox: number; timeline: number };

/**
 * What a backend's queue offers its own store, so that `Store.recordInbox` can keep its promise: an
 * enqueue that joins a transaction the store has open, with `JobQueue.enqueue`'s coalescing, committed or
 * rolled back with the inbox row. `Transaction` is the backend's handle on that open transaction
 * (PostgreSQL with pg-boss: the transaction's client, passed as `send(…, { db })`); `Result` is what
 * enqueueing returns there (a Promise where the driver is asynchronous). Not for the sync engine, which
 * enqueues through `JobQueue.enqueue`.
 */
export type TransactionalEnqueue<Transaction, Result = Promise<EnqueueResult>> = {
  enqueueWithin(transaction: Transaction, referralId: ReferralKey, options: EnqueueOptions): Result;
  /**
   * Called once a transaction that enqueued within has committed: wakes this process's idle workers (see
   * `JobQueue.waitForWork`). A backend whose database announces commits itself (LISTEN/NOTIFY) may do
   * nothing here.
   */
  afterCommit(): void;
};

/** What a backend factory returns: both ports over one database, so inbox and job share a transaction. */
export type StorageBackend = {
  store: Store;
  queue: JobQueue;
  /** The lead of one periodic pass (reconciler, CRM change feed, pruning) among the instances. */
  leadership(name: string): Leadership;
  /** Where the data lives and, on a shared database, which instances work it. */
  describe(): Promise<BackendDescription>;
  close(): Promise<void>;
};

/**
 * One instance at a time leads a named pass; another takes over when the leader dies or gives up.
 * SQLite (one process) always leads; PostgreSQL holds a session advisory lock on a dedicated
 * connection, which the server releases when the leader's process or connection dies.
 */
export type Leadership = {
  /**
   * Whether this instance leads now, taking the lead when nobody holds it. Call it before each pass;
   * false means another live instance runs the pass. Cheap while leading (one round trip).
   */
  acquire(): Promise<boolean>;
  /** Gives the lead up (graceful stop), so another instance takes it at its next `acquire`. */
  release(): Promise<void>;
};

export type BackendDescription =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      /** Host, port and database, without credentials. */
      server: string;
      schema: string;
      /** The instances working this schema, by their last heartbeat (newest first). */
      instances: InstanceDescription[];
    };

export type InstanceDescription = {
  id: string;
  host: string;
  pid: number;
  startedAt: Date;
  heartbeatAt: Date;
  /** The passes it leads. */
  leading: string[];
};
