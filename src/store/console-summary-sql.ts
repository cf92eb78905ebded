/**
 * The SQL both backends use to derive a referral's console summary and outcome from its jobs and link:
 * the same text on SQLite and PostgreSQL, kept once. Fixed text, never built from input.
 */
import type { ReferralOutcome } from './console-reads.ts';

/** Whether the referral (`r`, its key column) has a running job: one probe of the partial unique index. */
export const RUNNING = `EXISTS (SELECT 1 FROM jobs x WHERE x.referral_id = r.referral_id AND x.state = 'running')`;

/** The columns every summary needs, over `r` (referrals), `l` (links), `d`/`p` (dead/pending job). */
export const SUMMARY_COLUMNS = `
  r.referral_id, r.name, r.customer_name, r.status, r.substatus, r.updated_at, r.seen_at,
  l.lead_id, l.synced_at,
  d.last_error_code AS dead_code,
  ${RUNNING} AS running,
  p.attempts AS pending_attempts, p.last_error_code AS pending_code`;

export const JOINS = `
  LEFT JOIN links l ON l.referral_id = r.referral_id
  LEFT JOIN jobs d ON d.referral_id = r.referral_id AND d.state = 'dead'
  LEFT JOIN jobs p ON p.referral_id = r.referral_id AND p.state = 'pending'`;

/** SQL conditions, one per outcome, mirroring `outcomeOf`: fixed text, never built from input. */
export const OUTCOME_CONDITIONS: Record<ReferralOutcome, string> = {
  'dead-lettered': 'd.id IS NOT NULL',
  syncing: `d.id IS NULL AND ${RUNNING}`,
  retrying: `d.id IS NULL AND NOT ${RUNNING} AND p.attempts > 0`,
  queued: `d.id IS NULL AND NOT ${RUNNING} AND p.attempts = 0`,
  synced: `d.id IS NULL AND NOT ${RUNNING} AND p.id IS NULL AND l.lead_id IS NOT NULL`,
  'not-synced': `d.id IS NULL AND NOT ${RUNNING} AND p.id IS NULL AND l.lead_id IS NULL`,
};
