/**
 * The console's reads (`ConsoleReads`, src/store/console-reads.ts) over the PostgreSQL schema: the same
 * queries as SQLite's (./sqlite/sqlite-console-reads.ts), with ILIKE where SQLite's LIKE ignores case.
 */
import type { Pool, QueryResultRow } from 'pg';
import type { ReferralKey } from '../../core/domain.ts';
import type {
  ConsoleReads,
  ReferralListQuery,
  ReferralOutcome,
  ReferralSummary,
  StoredInboxEntry,
} from '../console-reads.ts';
import { JOINS, OUTCOME_CONDITIONS, SUMMARY_COLUMNS } from '../console-summary-sql.ts';
import type { InboxKind } from '../ports.ts';
import { guard } from './postgres-errors.ts';

const UPSERT_REFERRAL = `
  INSERT INTO referrals (referral_id, name, customer_name, status, substatus, updated_at, seen_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (referral_id) DO UPDATE SET
    name = excluded.name, customer_name = excluded.customer_name, status = excluded.status,
    substatus = excluded.substatus, updated_at = excluded.updated_at, seen_at = excluded.seen_at`;
// The referral may have jobs, a link or callbacks and no record yet: `r` is the key with its record, if any.
const SELECT_SUMMARY = `
  SELECT r.seen_at IS NOT NULL AS has_record, ${SUMMARY_COLUMNS},
    EXISTS (SELECT 1 FROM inbox i WHERE i.referral_id = r.referral_id) AS has_inbox
  FROM (
    SELECT k.referral_id, name, customer_name, status, substatus, updated_at, seen_at
    FROM (SELECT $1::text AS referral_id) k LEFT JOIN referrals USING (referral_id)
  ) r ${JOINS}`;
const SELECT_INBOX = 'SELECT * FROM inbox WHERE referral_id = $1 ORDER BY id DESC LIMIT $2';
const SELECT_ACTIVITY = `
  SELECT substr(at, 1, 13) AS hour,
    count(*) FILTER (WHERE step = 'upsert-lead')::integer AS leads,
    count(*) FILTER (WHERE step = 'sync' AND outcome = 'failed')::integer AS failed
  FROM timeline WHERE step IN ('upsert-lead', 'sync') AND at >= $1
  GROUP BY hour ORDER BY hour`;
const SELECT_LAST_INBOX = 'SELECT received_at FROM inbox ORDER BY id DESC LIMIT 1';

/** The list query for a combination of filters, with its parameters numbered in order. */
function listQuery(query: ReferralListQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const parameter = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const conditions: string[] = [];
  const search = query.search?.trim() ?? '';
  if (query.search) {
    const prefix = parameter(`${escapeLike(search.toLowerCase())}%`);
    const contains = parameter(`%${escapeLike(search)}%`);
    conditions.push(`(r.referral_id LIKE ${prefix} OR l.lead_id ILIKE ${prefix}
      OR r.name ILIKE ${contains} OR r.customer_name ILIKE ${contains})`);
  }
  if (query.status) conditions.push(`r.status = ${parameter(query.status)}`);
  if (query.outcome) conditions.push(OUTCOME_CONDITIONS[query.outcome]);
  const text = `
    SELECT true AS has_record, ${SUMMARY_COLUMNS}
    FROM referrals r ${JOINS}
    ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
    ORDER BY r.seen_at DESC, r.referral_id DESC
    LIMIT ${parameter(query.limit + 1)} OFFSET ${parameter(query.offset)}`;
  return { text, values };
}

export function createPostgresConsoleReads(pool: Pool): ConsoleReads {
  return {
    async recordReferral(record) {
      await guard(() =>
        pool.query(UPSERT_REFERRAL, [
          record.referralId,
          record.name,
          record.customerName,
          record.status,
          record.substatus,
          record.updatedAt,
          record.seenAt,
        ]),
      );
    },

    async listReferrals(query) {
      const { text, values } = listQuery(query);
      const { rows } = await guard(() => pool.query(text, values));
      return { items: rows.slice(0, query.limit).map(rowToSummary), hasMore: rows.length > query.limit };
    },

    async referralSummary(referralId) {
      const { rows } = await guard(() => pool.query(SELECT_SUMMARY, [referralId]));
      const row = rows[0] as QueryResultRow;
      const known =
        row.has_record ||
        row.has_inbox ||
        row.lead_id !== null ||
        row.dead_code !== null ||
        row.running ||
        row.pending_attempts !== null;
      return known ? rowToSummary(row) : null;
    },

    async inboxOf(referralId, limit) {
      const { rows } = await guard(() => pool.query(SELECT_INBOX, [referralId, limit]));
      return rows.map(rowToInboxEntry);
    },

    async syncActivity(since) {
      const { rows } = await guard(() => pool.query(SELECT_ACTIVITY, [since]));
      return rows.map((row) => ({
        hour: `${row.hour}:00:00.000Z`,
        leadsWritten: row.leads,
        failed: row.failed,
      }));
    },

    async lastInboxAt() {
      const { rows } = await guard(() => pool.query(SELECT_LAST_INBOX));
      return rows[0]?.received_at ?? null;
    },
  };
}

function outcomeOf(row: QueryResultRow): ReferralOutcome {
  if (row.dead_code !== null) return 'dead-lettered';
  if (row.running) return 'syncing';
  if (row.pending_attempts !== null) return row.pending_attempts > 0 ? 'retrying' : 'queued';
  return row.lead_id === null ? 'not-synced' : 'synced';
}

function rowToSummary(row: QueryResultRow): ReferralSummary {
  const outcome = outcomeOf(row);
  return {
    referralId: row.referral_id as ReferralKey,
    record:
      row.has_record && row.seen_at !== null
        ? {
            name: row.name,
            customerName: row.customer_name,
            status: row.status,
            substatus: row.substatus,
            updatedAt: row.updated_at,
            seenAt: row.seen_at,
          }
        : null,
    leadId: row.lead_id,
    syncedAt: row.synced_at,
    outcome,
    errorCode: outcome === 'dead-lettered' ? row.dead_code : outcome === 'retrying' ? row.pending_code : null,
  };
}

function rowToInboxEntry(row: QueryResultRow): StoredInboxEntry {
  return {
    id: String(row.id),
    receivedAt: row.received_at,
    eventName: row.event_name,
    resourceUri: row.resource_uri,
    kind: row.kind as InboxKind,
    rawBody: row.raw_body,
    headers: row.headers,
  };
}

/** `%`, `_` and the escape itself match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
