/**
 * The console's reads (`ConsoleReads`, src/store/console-reads.ts) over the SQLite schema. A referral's
 * outcome is derived from its jobs (the partial unique indexes find its pending, running and dead job
 * in one probe each) and its link, so nothing is kept twice and nothing can drift.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
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
import {
  integerOf,
  optionalIntegerOf,
  optionalTextOf,
  type Row,
  referralKeyOf,
  textOf,
} from './row-values.ts';
import { guard } from './sqlite-errors.ts';
import { inTransaction } from './transaction.ts';

const SEARCH_CONDITION = `(
  r.referral_id LIKE :prefix ESCAPE '\\' OR l.lead_id LIKE :prefix ESCAPE '\\'
  OR r.name LIKE :contains ESCAPE '\\' OR r.customer_name LIKE :contains ESCAPE '\\')`;

export function createSqliteConsoleReads(db: DatabaseSync): ConsoleReads {
  const upsertReferral = db.prepare(`
    INSERT INTO referrals (referral_id, name, customer_name, status, substatus, updated_at, seen_at)
    VALUES (:referralId, :name, :customerName, :status, :substatus, :updatedAt, :seenAt)
    ON CONFLICT (referral_id) DO UPDATE SET
      name = excluded.name, customer_name = excluded.customer_name, status = excluded.status,
      substatus = excluded.substatus, updated_at = excluded.updated_at, seen_at = excluded.seen_at`);
  // The referral may have jobs, a link or callbacks and no record yet: `r` is the key with its record, if any.
  const selectSummary = db.prepare(`
    SELECT r.seen_at IS NOT NULL AS has_record, ${SUMMARY_COLUMNS},
      EXISTS (SELECT 1 FROM inbox i WHERE i.referral_id = r.referral_id) AS has_inbox
    FROM (
      SELECT k.referral_id, name, customer_name, status, substatus, updated_at, seen_at
      FROM (SELECT ? AS referral_id) k LEFT JOIN referrals USING (referral_id)
    ) r ${JOINS}`);
  const selectInbox = db.prepare('SELECT * FROM inbox WHERE referral_id = ? ORDER BY id DESC LIMIT ?');
  const selectActivity = db.prepare(`
    SELECT substr(at, 1, 13) AS hour, sum(step = 'upsert-lead') AS leads,
      sum(step = 'sync' AND outcome = 'failed') AS failed
    FROM timeline WHERE step IN ('upsert-lead', 'sync') AND at >= ?
    GROUP BY hour ORDER BY hour`);
  const selectLastInbox = db.prepare('SELECT received_at FROM inbox ORDER BY id DESC LIMIT 1');

  // One prepared statement per combination of filters (at most 2 · 2 · 7 of them).
  const listStatements = new Map<string, StatementSync>();
  const listStatement = (query: ReferralListQuery): StatementSync => {
    const conditions = [
      ...(query.search ? [SEARCH_CONDITION] : []),
      ...(query.status ? ['r.status = :status'] : []),
      ...(query.outcome ? [OUTCOME_CONDITIONS[query.outcome]] : []),
    ];
    const key = `${Boolean(query.search)}/${Boolean(query.status)}/${query.outcome ?? ''}`;
    let statement = listStatements.get(key);
    if (!statement) {
      statement = db.prepare(`
        SELECT 1 AS has_record, ${SUMMARY_COLUMNS}
        FROM referrals r ${JOINS}
        ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY r.seen_at DESC, r.referral_id DESC
        LIMIT :limit OFFSET :offset`);
      listStatements.set(key, statement);
    }
    return statement;
  };

  return {
    async recordReferral(record) {
      guard(() => inTransaction(db, () => upsertReferral.run(record), 'relaxed'));
    },

    async listReferrals(query) {
      const statement = listStatement(query);
      const search = query.search?.trim() ?? '';
      const rows = guard(
        () =>
          statement.all({
            limit: query.limit + 1,
            offset: query.offset,
            ...(query.search
              ? { prefix: `${escapeLike(search.toLowerCase())}%`, contains: `%${escapeLike(search)}%` }
              : {}),
            ...(query.status ? { status: query.status } : {}),
          }) as Row[],
      );
      return { items: rows.slice(0, query.limit).map(rowToSummary), hasMore: rows.length > query.limit };
    },

    async referralSummary(referralId) {
      const row = guard(() => selectSummary.get(referralId) as Row);
      const known =
        integerOf(row, 'has_record') === 1 ||
        integerOf(row, 'has_inbox') === 1 ||
        optionalTextOf(row, 'lead_id') !== null ||
        optionalTextOf(row, 'dead_code') !== null ||
        integerOf(row, 'running') === 1 ||
        optionalIntegerOf(row, 'pending_attempts') !== null;
      return known ? rowToSummary(row) : null;
    },

    async inboxOf(referralId, limit) {
      return guard(() => selectInbox.all(referralId, limit) as Row[]).map(rowToInboxEntry);
    },

    async syncActivity(since) {
      return guard(() => selectActivity.all(since) as Row[]).map((row) => ({
        hour: `${textOf(row, 'hour')}:00:00.000Z`,
        leadsWritten: integerOf(row, 'leads'),
        failed: integerOf(row, 'failed'),
      }));
    },

    async lastInboxAt() {
      const row = guard(() => selectLastInbox.get() as Row | undefined);
      return row ? textOf(row, 'received_at') : null;
    },
  };
}

function outcomeOf(row: Row): ReferralOutcome {
  if (optionalTextOf(row, 'dead_code') !== null) return 'dead-lettered';
  if (integerOf(row, 'running') === 1) return 'syncing';
  const attempts = optionalIntegerOf(row, 'pending_attempts');
  if (attempts !== null) return attempts > 0 ? 'retrying' : 'queued';
  return optionalTextOf(row, 'lead_id') === null ? 'not-synced' : 'synced';
}

function rowToSummary(row: Row): ReferralSummary {
  const outcome = outcomeOf(row);
  const seenAt = optionalTextOf(row, 'seen_at');
  return {
    referralId: referralKeyOf(row, 'referral_id') as ReferralKey,
    record:
      integerOf(row, 'has_record') === 1 && seenAt !== null
        ? {
            name: optionalTextOf(row, 'name'),
            customerName: optionalTextOf(row, 'customer_name'),
            status: optionalTextOf(row, 'status'),
            substatus: optionalTextOf(row, 'substatus'),
            updatedAt: optionalTextOf(row, 'updated_at'),
            seenAt,
          }
        : null,
    leadId: optionalTextOf(row, 'lead_id'),
    syncedAt: optionalTextOf(row, 'synced_at'),
    outcome,
    errorCode:
      outcome === 'dead-lettered'
        ? optionalTextOf(row, 'dead_code')
        : outcome === 'retrying'
          ? optionalTextOf(row, 'pending_code')
          : null,
  };
}

function rowToInboxEntry(row: Row): StoredInboxEntry {
  return {
    id: String(integerOf(row, 'id')),
    receivedAt: textOf(row, 'received_at'),
    eventName: textOf(row, 'event_name'),
    resourceUri: textOf(row, 'resource_uri'),
    kind: textOf(row, 'kind') as InboxKind,
    rawBody: textOf(row, 'raw_body'),
    headers: JSON.parse(textOf(row, 'headers')) as Record<string, string>,
  };
}

/** `%`, `_` and the escape itself match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
