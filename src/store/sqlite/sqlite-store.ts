import type { DatabaseSync } from 'node:sqlite';
import type { ReferralKey } from '../../core/domain.ts';
import { isSameInstant } from '../../core/utc-instant.ts';
import { createKeyedMutex } from '../keyed-mutex.ts';
import type {
  Clock,
  EnqueueResult,
  InboxEntry,
  JobQueue,
  Link,
  RecordInboxResult,
  Store,
  TimelineEntry,
  TimelineEvent,
  TransactionalEnqueue,
} from '../ports.ts';
import { blobOf, integerOf, optionalTextOf, type Row, referralKeyOf, textOf } from './row-values.ts';
import { createSqliteConsoleReads } from './sqlite-console-reads.ts';
import { guard, toStoreError } from './sqlite-errors.ts';
import { inTransaction, type SqliteTransaction } from './transaction.ts';

/** What the store needs of its backend's queue: `recordInbox` enqueues inside the inbox's transaction. */
export type StoreQueue = TransactionalEnqueue<SqliteTransaction, EnqueueResult> & Pick<JobQueue, 'stats'>;

export function createSqliteStore(db: DatabaseSync, queue: StoreQueue, clock: Clock): Store {
  // One process uses the file, so holding the lock in this process is holding it everywhere.
  const secretLocks = createKeyedMutex();
  const insertInbox = db.prepare(`
    INSERT INTO inbox (received_at, event_name, resource_uri, referral_id, kind, raw_body, headers)
    VALUES (:receivedAt, :eventName, :resourceUri, :referralId, :kind, :rawBody, :headers)`);
  const selectLink = db.prepare('SELECT * FROM links WHERE referral_id = ?');
  const upsertLink = db.prepare(`
    INSERT INTO links (
      referral_id, lead_id, last_referral_etag, last_referral_updated_at,
      last_lead_hash, synced_at)
    VALUES (
      :referralId, :leadId, :lastReferralETag, :lastReferralUpdatedAt,
      :lastLeadHash, :syncedAt)
    ON CONFLICT (referral_id) DO UPDATE SET
      lead_id = excluded.lead_id,
      last_referral_etag = excluded.last_referral_etag,
      last_referral_updated_at = excluded.last_referral_updated_at,
      last_lead_hash = excluded.last_lead_hash,
      synced_at = excluded.synced_at`);
  const insertTimeline = db.prepare(`
    INSERT INTO timeline (referral_id, at, step, outcome, detail)
    VALUES (:referralId, :at, :step, :outcome, :detail)`);
  const insertEntry = (referralId: ReferralKey, { at, step, outcome, detail }: TimelineEntry) =>
    insertTimeline.run({
      referralId,
      at,
      step,
      outcome,
      detail: detail === undefined ? null : JSON.stringify(detail),
    });
  const timelineOfReferral = db.prepare(
    'SELECT * FROM timeline WHERE referral_id = ? ORDER BY id DESC LIMIT ?',
  );
  const recentTimeline = db.prepare('SELECT * FROM timeline ORDER BY id DESC LIMIT ?');
  const selectCursor = db.prepare('SELECT value FROM cursors WHERE name = ?');
  const upsertCursor = db.prepare(`
    INSERT INTO cursors (name, value, updated_at) VALUES (:name, :value, :updatedAt)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  const selectSecret = db.prepare('SELECT value FROM secrets WHERE name = ?');
  const upsertSecret = db.prepare(`
    INSERT INTO secrets (name, value, updated_at) VALUES (:name, :value, :updatedAt)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  // Oldest first by id (ids grow with time): each call deletes a bounded batch and never scans far.
  const pruneInbox = db.prepare(`
    DELETE FROM inbox WHERE id IN (SELECT id FROM inbox ORDER BY id LIMIT :limit) AND received_at < :before`);
  const pruneTimeline = db.prepare(`
    DELETE FROM timeline WHERE id IN (SELECT id FROM timeline ORDER BY id LIMIT :limit) AND at < :before`);
  const inboxSummary = db.prepare('SELECT count(*) AS total, max(received_at) AS last FROM inbox');
  const linkSummary = db.prepare('SELECT count(*) AS total, max(synced_at) AS last FROM links');

  const savepoint = db.prepare('SAVEPOINT inbox_entry');
  const releaseSavepoint = db.prepare('RELEASE inbox_entry');
  const rollbackSavepoint = db.prepare('ROLLBACK TO inbox_entry');

  const lastSeenVersion = db.prepare('SELECT last_referral_updated_at FROM links WHERE referral_id = ?');
  /**
   * The event is dated the very instant of the referral version our last sync wrote: our own write-back
   * coming back. Only equality: whether Partner Center dates events by the referral's update time is
   * unconfirmed, so an earlier date may still announce a change we have not seen. Compared as instants
   * to the tick (offsets and fraction lengths differ; a Date would lose the last four digits).
   */
  const isEcho = (referralId: ReferralKey, changedAt: string | null | undefined): boolean => {
    if (!changedAt) return false;
    const row = lastSeenVersion.get(referralId) as Row | undefined;
    return row !== undefined && isSameInstant(changedAt, optionalTextOf(row, 'last_referral_updated_at'));
  };

  const recordOne = (transaction: SqliteTransaction, entry: InboxEntry): RecordInboxResult => {
    const referralId = entry.kind === 'sync' ? entry.referralId : null;
    const skip = referralId !== null && isEcho(referralId, entry.changedAt);
    const enqueues = referralId !== null && !skip;
    const { lastInsertRowid } = insertInbox.run({
      receivedAt: entry.receivedAt,
      eventName: entry.eventName,
      resourceUri: entry.resourceUri,
      referralId: entry.referralId,
      kind: entry.kind,
      rawBody: entry.rawBody,
      headers: JSON.stringify(entry.headers),
    });
    if (enqueues) queue.enqueueWithin(transaction, referralId, { reason: 'webhook' });
    return {
      inboxId: String(lastInsertRowid),
      jobEnqueued: enqueues,
      ...(skip ? { alreadySynced: true } : {}),
    };
  };

  /**
   * Group commit: the callbacks that arrive within one turn of the event loop are written in one
   * transaction, so one fsync (synchronous=FULL) acknowledges many webhooks instead of one each. Each
   * entry sits in its own savepoint: a bad entry fails alone; a store that cannot commit fails them all,
   * and none is acknowledged.
   */
  type PendingInbox = {
    entry: InboxEntry;
    resolve: (result: RecordInboxResult) => void;
    reject: (error: unknown) => void;
  };
  const pendingInbox: PendingInbox[] = [];
  const flushInbox = () => {
    const batch = pendingInbox.splice(0);
    let outcomes: Array<{ ok: true; result: RecordInboxResult } | { ok: false; error: unknown }>;
    try {
      outcomes = guard(() =>
        inTransaction(db, (transaction) =>
          batch.map(({ entry }) => {
            savepoint.run();
            try {
              const result = recordOne(transaction, entry);
              releaseSavepoint.run();
              return { ok: true as const, result };
            } catch (error) {
              rollbackSavepoint.run();
              releaseSavepoint.run();
              return { ok: false as const, error: toStoreError(error) };
            }
          }),
        ),
      );
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    let enqueued = false;
    outcomes.forEach((outcome, index) => {
      const item = batch[index] as PendingInbox;
      if (outcome.ok) {
        enqueued ||= outcome.result.jobEnqueued;
        item.resolve(outcome.result);
      } else {
        item.reject(outcome.error);
      }
    });
    if (enqueued) queue.afterCommit();
  };

  return {
    ...createSqliteConsoleReads(db),
    recordInbox(entry) {
      return new Promise<RecordInboxResult>((resolve, reject) => {
        pendingInbox.push({ entry, resolve, reject });
        if (pendingInbox.length === 1) setImmediate(flushInbox);
      });
    },

    async getLink(referralId) {
      const row = guard(() => selectLink.get(referralId) as Row | undefined);
      return row ? rowToLink(row) : null;
    },

    async saveLink(link, timeline = []) {
      guard(() =>
        inTransaction(
          db,
          () => {
            upsertLink.run({
              referralId: link.referralId,
              leadId: link.leadId,
              lastReferralETag: link.lastReferralETag,
              lastReferralUpdatedAt: link.lastReferralUpdatedAt,
              lastLeadHash: link.lastLeadHash,
              syncedAt: link.syncedAt,
            });
            for (const entry of timeline) insertEntry(link.referralId, entry);
          },
          'relaxed',
        ),
      );
    },

    async appendTimeline(referralId, entries) {
      if (entries.length === 0) return;
      guard(() =>
        inTransaction(
          db,
          () => {
            for (const entry of entries) insertEntry(referralId, entry);
          },
          'relaxed',
        ),
      );
    },

    async timeline(referralId, limit = 100) {
      return guard(() => timelineOfReferral.all(referralId, limit) as Row[]).map(rowToTimelineEvent);
    },

    async recentTimeline(limit) {
      return guard(() => recentTimeline.all(limit) as Row[]).map(rowToTimelineEvent);
    },

    async getCursor(name) {
      const row = guard(() => selectCursor.get(name) as Row | undefined);
      return row ? textOf(row, 'value') : null;
    },

    async putCursor(name, value) {
      guard(() => inTransaction(db, () => upsertCursor.run({ name, value, updatedAt: clock() })));
    },

    async getSecret(name) {
      const row = guard(() => selectSecret.get(name) as Row | undefined);
      // A copy, so callers can wipe or keep it without aliasing node:sqlite's buffer.
      return row ? Uint8Array.from(blobOf(row, 'value')) : null;
    },

    async putSecret(name, value) {
      guard(() => inTransaction(db, () => upsertSecret.run({ name, value, updatedAt: clock() })));
    },

    withSecretLock: (name, work) => secretLocks.run(name, work),

    async prune({ inboxBefore, timelineBefore, limit }) {
      return guard(() =>
        inTransaction(
          db,
          () => ({
            inbox: inboxBefore === null ? 0 : Number(pruneInbox.run({ limit, before: inboxBefore }).changes),
            timeline:
              timelineBefore === null
                ? 0
                : Number(pruneTimeline.run({ limit, before: timelineBefore }).changes),
          }),
          'relaxed',
        ),
      );
    },

    async status() {
      const { inbox, links } = guard(() => ({
        inbox: inboxSummary.get() as Row,
        links: linkSummary.get() as Row,
      }));
      return {
        inbox: { total: integerOf(inbox, 'total'), lastReceivedAt: optionalTextOf(inbox, 'last') },
        links: { total: integerOf(links, 'total'), lastSyncedAt: optionalTextOf(links, 'last') },
        jobs: await queue.stats(),
      };
    },
  };
}

function rowToLink(row: Row): Link {
  return {
    referralId: referralKeyOf(row, 'referral_id'),
    leadId: textOf(row, 'lead_id'),
    lastReferralETag: optionalTextOf(row, 'last_referral_etag'),
    lastReferralUpdatedAt: optionalTextOf(row, 'last_referral_updated_at'),
    lastLeadHash: optionalTextOf(row, 'last_lead_hash'),
    syncedAt: textOf(row, 'synced_at'),
  };
}

function rowToTimelineEvent(row: Row): TimelineEvent {
  const detail = optionalTextOf(row, 'detail');
  return {
    id: String(integerOf(row, 'id')),
    referralId: referralKeyOf(row, 'referral_id'),
    at: textOf(row, 'at'),
    step: textOf(row, 'step'),
    outcome: textOf(row, 'outcome'),
    detail: detail === null ? null : (JSON.parse(detail) as Record<string, unknown>),
  };
}
