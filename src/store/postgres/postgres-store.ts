import type { Pool, QueryResultRow } from 'pg';
import type { ReferralKey } from '../../core/domain.ts';
import { isSameInstant } from '../../core/utc-instant.ts';
import { createKeyedMutex } from '../keyed-mutex.ts';
import type {
  JobQueue,
  Link,
  RecordInboxResult,
  Store,
  TimelineEntry,
  TimelineEvent,
  TransactionalEnqueue,
} from '../ports.ts';
import { createPostgresConsoleReads } from './postgres-console-reads.ts';
import { guard } from './postgres-errors.ts';
import { inTransaction, type PostgresTransaction } from './transaction.ts';

/** What the store needs of its backend's queue: `recordInbox` enqueues inside the inbox's transaction. */
export type StoreQueue = TransactionalEnqueue<PostgresTransaction> & Pick<JobQueue, 'stats'>;

export type PostgresStoreOptions = {
  /** Namespaces the advisory locks of `withSecretLock`, so two schemas on one database do not share them. */
  lockNamespace: string;
  /** How long `withSecretLock` waits for another instance's hold before failing (store unavailable). */
  secretLockTimeoutMs: number;
};

const INSERT_INBOX = `
  INSERT INTO inbox (received_at, event_name, resource_uri, referral_id, kind, raw_body, headers)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  RETURNING id`;
const LAST_SEEN_VERSION = 'SELECT last_referral_updated_at FROM links WHERE referral_id = $1';
const SELECT_LINK = 'SELECT * FROM links WHERE referral_id = $1';
const UPSERT_LINK = `
  INSERT INTO links (
    referral_id, lead_id, last_referral_etag, last_referral_updated_at, last_lead_hash, synced_at)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (referral_id) DO UPDATE SET
    lead_id = excluded.lead_id,
    last_referral_etag = excluded.last_referral_etag,
    last_referral_updated_at = excluded.last_referral_updated_at,
    last_lead_hash = excluded.last_lead_hash,
    synced_at = excluded.synced_at`;
// One statement for a sync's entries, in their order (ids grow with it).
const INSERT_TIMELINE = `
  INSERT INTO timeline (referral_id, at, step, outcome, detail)
  SELECT $1, entry.at, entry.step, entry.outcome, entry.detail
  FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY
    AS entry (at, step, outcome, detail, position)
  ORDER BY entry.position`;
const TIMELINE_OF_REFERRAL = 'SELECT * FROM timeline WHERE referral_id = $1 ORDER BY id DESC LIMIT $2';
const RECENT_TIMELINE = 'SELECT * FROM timeline ORDER BY id DESC LIMIT $1';
const SELECT_CURSOR = 'SELECT value FROM cursors WHERE name = $1';
const UPSERT_CURSOR = `
  INSERT INTO cursors (name, value, updated_at) VALUES ($1, $2, connector_now())
  ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
const SELECT_SECRET = 'SELECT value FROM secrets WHERE name = $1';
const UPSERT_SECRET = `
  INSERT INTO secrets (name, value, updated_at) VALUES ($1, $2, connector_now())
  ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
// Oldest first by id (ids grow with time): each call deletes a bounded batch and never scans far.
const PRUNE_INBOX = `
  DELETE FROM inbox WHERE id IN (SELECT id FROM inbox ORDER BY id LIMIT $1) AND received_at < $2`;
const PRUNE_TIMELINE = `
  DELETE FROM timeline WHERE id IN (SELECT id FROM timeline ORDER BY id LIMIT $1) AND at < $2`;
const SUMMARY = `
  SELECT
    (SELECT count(*) FROM inbox)::integer AS inbox_total,
    (SELECT max(received_at) FROM inbox) AS inbox_last,
    (SELECT count(*) FROM links)::integer AS links_total,
    (SELECT max(synced_at) FROM links) AS links_last`;

export function createPostgresStore(pool: Pool, queue: StoreQueue, options: PostgresStoreOptions): Store {
  const secretLocks = createKeyedMutex();

  /**
   * The event is dated the very instant of the referral version our last sync wrote: our own write-back
   * coming back (see the SQLite store). Compared in JavaScript, to the tick: timestamptz keeps only
   * microseconds, and Partner Center's times carry seven fractional digits.
   */
  async function isEcho(
    transaction: PostgresTransaction,
    referralId: ReferralKey,
    changedAt: string | null | undefined,
  ) {
    if (!changedAt) return false;
    const { rows } = await transaction.client.query(LAST_SEEN_VERSION, [referralId]);
    return rows.length > 0 && isSameInstant(changedAt, rows[0]?.last_referral_updated_at ?? null);
  }

  async function insertTimeline(
    db: Pick<Pool, 'query'>,
    referralId: ReferralKey,
    entries: readonly TimelineEntry[],
  ): Promise<void> {
    if (entries.length === 0) return;
    await db.query(INSERT_TIMELINE, [
      referralId,
      entries.map((entry) => entry.at),
      entries.map((entry) => entry.step),
      entries.map((entry) => entry.outcome),
      entries.map((entry) => (entry.detail === undefined ? null : JSON.stringify(entry.detail))),
    ]);
  }

  return {
    ...createPostgresConsoleReads(pool),
    async recordInbox(entry) {
      const referralId = entry.kind === 'sync' ? entry.referralId : null;
      // Committed (synchronous_commit, the server's default) before this resolves: only then may the
      // callback be acknowledged. PostgreSQL groups concurrent commits itself; no batching here.
      const result = await guard(() =>
        inTransaction(pool, async (transaction): Promise<RecordInboxResult> => {
          const skip = referralId !== null && (await isEcho(transaction, referralId, entry.changedAt));
          const { rows } = await transaction.client.query(INSERT_INBOX, [
            entry.receivedAt,
            entry.eventName,
            entry.resourceUri,
            entry.referralId,
            entry.kind,
            entry.rawBody,
            JSON.stringify(entry.headers),
          ]);
          const enqueues = referralId !== null && !skip;
          if (enqueues) await queue.enqueueWithin(transaction, referralId, { reason: 'webhook' });
          return {
            inboxId: String(rows[0]?.id),
            jobEnqueued: enqueues,
            ...(skip ? { alreadySynced: true } : {}),
          };
        }),
      );
      if (result.jobEnqueued) queue.afterCommit();
      return result;
    },

    async getLink(referralId) {
      const { rows } = await guard(() => pool.query(SELECT_LINK, [referralId]));
      return rows[0] ? rowToLink(rows[0]) : null;
    },

    async saveLink(link, timeline = []) {
      await guard(() =>
        inTransaction(pool, async ({ client }) => {
          await client.query(UPSERT_LINK, [
            link.referralId,
            link.leadId,
            link.lastReferralETag,
            link.lastReferralUpdatedAt,
            link.lastLeadHash,
            link.syncedAt,
          ]);
          await insertTimeline(client, link.referralId, timeline);
        }),
      );
    },

    async appendTimeline(referralId, entries) {
      await guard(() => insertTimeline(pool, referralId, entries));
    },

    async timeline(referralId, limit = 100) {
      const { rows } = await guard(() => pool.query(TIMELINE_OF_REFERRAL, [referralId, limit]));
      return rows.map(rowToTimelineEvent);
    },

    async recentTimeline(limit) {
      const { rows } = await guard(() => pool.query(RECENT_TIMELINE, [limit]));
      return rows.map(rowToTimelineEvent);
    },

    async getCursor(name) {
      const { rows } = await guard(() => pool.query(SELECT_CURSOR, [name]));
      return rows[0]?.value ?? null;
    },

    async putCursor(name, value) {
      await guard(() => pool.query(UPSERT_CURSOR, [name, value]));
    },

    async getSecret(name) {
      const { rows } = await guard(() => pool.query(SELECT_SECRET, [name]));
      const value = rows[0]?.value as Buffer | undefined;
      return value ? Uint8Array.from(value) : null;
    },

    async putSecret(name, value) {
      await guard(() => pool.query(UPSERT_SECRET, [name, Buffer.from(value)]));
    },

    async withSecretLock(name, work) {
      // One holder per process first, so waiting callers do not each hold a pooled connection; then one
      // per database, with a transaction-scoped advisory lock that a crashed holder's session releases.
      return secretLocks.run(name, () =>
        guard(() =>
          inTransaction(pool, async ({ client }) => {
            await client.query(`SELECT set_config('lock_timeout', $1, true)`, [
              `${options.secretLockTimeoutMs}ms`,
            ]);
            await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
              `${options.lockNamespace}:secret:${name}`,
            ]);
            return work();
          }),
        ),
      );
    },

    async prune({ inboxBefore, timelineBefore, limit }) {
      return guard(async () => {
        const inbox =
          inboxBefore === null ? 0 : (await pool.query(PRUNE_INBOX, [limit, inboxBefore])).rowCount;
        const timeline =
          timelineBefore === null ? 0 : (await pool.query(PRUNE_TIMELINE, [limit, timelineBefore])).rowCount;
        return { inbox: inbox ?? 0, timeline: timeline ?? 0 };
      });
    },

    async status() {
      const [{ rows }, jobs] = await Promise.all([guard(() => pool.query(SUMMARY)), queue.stats()]);
      const row = rows[0] as QueryResultRow;
      return {
        inbox: { total: row.inbox_total, lastReceivedAt: row.inbox_last ?? null },
        links: { total: row.links_total, lastSyncedAt: row.links_last ?? null },
        jobs,
      };
    },
  };
}

function rowToLink(row: QueryResultRow): Link {
  return {
    referralId: row.referral_id as ReferralKey,
    leadId: row.lead_id,
    lastReferralETag: row.last_referral_etag,
    lastReferralUpdatedAt: row.last_referral_updated_at,
    lastLeadHash: row.last_lead_hash,
    syncedAt: row.synced_at,
  };
}

function rowToTimelineEvent(row: QueryResultRow): TimelineEvent {
  return {
    id: String(row.id),
    referralId: row.referral_id as ReferralKey,
    at: row.at,
    step: row.step,
    outcome: row.outcome,
    detail: row.detail ?? null,
  };
}
