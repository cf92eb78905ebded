/**
 * The port every CRM implements. Few required methods: upsert a lead keyed by the referral, and read a
 * lead's state. Batch writes and a change feed are optional capabilities the sync engine checks for.
 */
import type { LeadDraft, LeadState, ReferralKey } from '../core/index.ts';

export type UpsertResult = LeadState & { created: boolean };

export type CrmAdapter = {
  readonly kind: string;
  /**
   * Creates the lead for `draft.referralId`, or updates the one that exists, in one idempotent call on the
   * referral key (never check-then-create). Throws RemoteError; `dead_letter` with code `lead_closed`
   * when the CRM refuses to change a closed lead.
   */
  upsertLead(draft: LeadDraft): Promise<UpsertResult>;
  /** The lead for a referral, or null when none exists. */
  readLead(referralId: ReferralKey): Promise<LeadState | null>;
  close(): Promise<void>;
};
