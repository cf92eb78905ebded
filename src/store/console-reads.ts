/**
 * What the operator console (src/admin/) reads from the store beyond the sync engine's own methods, part
 * of the `Store` port (ports.ts). Every query is paged or bounded and served by an index, so pages stay
 * fast with 100,000 referrals (SQLite: migration 0004-console.sql).
 *
 * Glossary
 * - referral record: a referral's display fields as the connector last read them from Partner Center
 *   (`recordReferral`, after each read of a sync). Display only: a sync always re-reads the referral.
 * - outcome: where a referral stands for the connector, from its jobs and its link (`ReferralOutcome`).
 */
import type { ReferralKey } from '../core/domain.ts';
import type { InboxKind } from './ports.ts';

export type ReferralRecord = {
  referralId: ReferralKey;
  name: string | null;
  customerName: string | null;
  status: string | null;
  substatus: string | null;
  /** Partner Center's `updatedDateTime` of the version read (ISO-8601). */
  updatedAt: string | null;
  /** When the connector read it (ISO-8601); lists show the most recently read first. */
  seenAt: string;
};

/**
 * - `dead-lettered`: it has a dead letter (whatever else it has);
 * - `syncing`: a worker holds its job;
 * - `retrying`: a pending job that failed before (its `errorCode` says why);
 * - `queued`: a pending job not yet attempted;
 * - `synced`: none of the above, and it has a lead;
 * - `not-synced`: none of the above and no lead yet.
 */
export type ReferralOutcome = 'dead-lettered' | 'syncing' | 'retrying' | 'queued' | 'synced' | 'not-synced';

export const REFERRAL_OUTCOMES: readonly ReferralOutcome[] = [
  'dead-lettered',
  'syncing',
  'retrying',
  'queued',
  'synced',
  'not-synced',
];

export type ReferralSummary = {
  referralId: ReferralKey;
  /** Null when the connector has not read the referral yet (or only before migration 0004). */
  record: Omit<ReferralRecord, 'referralId'> | null;
  leadId: string | null;
  /** When its link was last saved (the last successful sync). */
  syncedAt: string | null;
  outcome: ReferralOutcome;
  /** The dead letter's or the retrying job's error code. */
  errorCode: string | null;
};

export type ReferralListQuery = {
  /**
   * Free text: a referral id or lead id (whole, or the start of one), or part of the referral's name or
   * its customer's name (case-insensitive).
   */
  search?: string;
  /** Partner Center status, e.g. `New`, `Active`, `Closed`. */
  status?: string;
  outcome?: ReferralOutcome;
  offset: number;
  limit: number;
};

export type ReferralPage = {
  items: ReferralSummary[];
  /** Whether a page follows this one. */
  hasMore: boolean;
};

export type StoredInboxEntry = {
  id: string;
  receivedAt: string;
  eventName: string;
  resourceUri: string;
  kind: InboxKind;
  rawBody: string;
  headers: Record<string, string>;
};

/** Syncs ending in one UTC hour: a lead written or confirmed, and failed attempts. */
export type SyncHour = {
  /** Start of the hour, ISO-8601 (`2026-12-01T14:00:00.000Z`). */
  hour: string;
  leadsWritten: number;
  failed: number;
};

export type ConsoleReads = {
  /** Inserts or replaces the referral's record (display fields), in its own short transaction. */
  recordReferral(record: ReferralRecord): Promise<void>;
  /** Referrals the connector has read, most recently read first, filtered and paged. */
  listReferrals(query: ReferralListQuery): Promise<ReferralPage>;
  /** One referral: its record, link and jobs; null when the store holds nothing about it. */
  referralSummary(referralId: ReferralKey): Promise<ReferralSummary | null>;
  /** The raw callbacks kept for the referral (within inbox retention), newest first. */
  inboxOf(referralId: ReferralKey, limit: number): Promise<StoredInboxEntry[]>;
  /**
   * Per UTC hour since `since` (ISO-8601), oldest first, hours without syncs left out: timeline steps
   * `upsert-lead` (any outcome: the lead was written or confirmed) and `sync` with outcome `failed`.
   */
  syncActivity(since: string): Promise<SyncHour[]>;
  /** When the newest callback was received; null when none is kept. */
  lastInboxAt(): Promise<string | null>;
};
