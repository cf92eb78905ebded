/**
 * The port every CRM implements. Few required methods: upsert a lead keyed by the referral, and read a
 * lead's state. Batch writes, a change feed and setup checks are optional capabilities their users check for.
 */
import type { LeadDraft, LeadState, ReferralKey } from '../core/index.ts';
import type { SetupCheck } from '../core/setup-check.ts';
import type { MappingWarning } from '../mapping/mapping-warning.ts';
import { RemoteError } from '../net/remote-error.ts';

export type UpsertResult = LeadState & { created: boolean };

export type DecidedLeads = {
  referralKeys: ReferralKey[];
  /** Where the next call continues. */
  cursor: string;
  /** No cursor, or the CRM no longer knew it: every decided lead is listed, as a new starting point. */
  fromScratch: boolean;
};

export type CrmAdapter = {
  readonly kind: string;
  /**
   * Creates the lead for `draft.referralId`, or updates the one that exists, by idempotent writes keyed
   * on the referral (never check-then-create): one call where the CRM upserts on a key (Dataverse,
   * Salesforce). A CRM whose lead needs another record first (HubSpot: the customer's contact, then the
   * lead associated with it) makes each write keyed and idempotent on its own, so a crash or a retry
   * between them still ends with one of each. Throws RemoteError, classified by the adapter; a
   * `LeadClosedError` when the CRM refuses to change a closed lead (its state still reads with
   * `readLead`) — never from a CRM that lets closed leads be edited (HubSpot).
   */
  upsertLead(draft: LeadDraft): Promise<UpsertResult>;
  /** The lead for a referral, or null when none exists. */
  readLead(referralId: ReferralKey): Promise<LeadState | null>;
  /**
   * Optional change feed: the referral keys of leads a seller has qualified or disqualified since
   * `cursor` (null: from scratch). Their state may move the referral, while no referral event says so.
   */
  decidedLeads?(cursor: string | null): Promise<DecidedLeads>;
  /**
   * Optional pre-flight checks for `referral-connector doctor`: the CRM is reachable as the configured
   * identity, leads are readable and writable, the referral-id field and its key exist, configured
   * statuses exist. Reads only, never writes. Failures come back as `fail` lines, never as exceptions.
   */
  checkSetup?(needs: SetupNeeds): Promise<SetupCheck[]>;
  /**
   * Optional, for `mapping preview`: the fields an upsert of `draft` would send, by their CRM names, beside
   * the values the lead holds in the same fields now. Reads only, never writes.
   */
  readLeadFields?(draft: LeadDraft): Promise<LeadFieldsReading>;
  close(): Promise<void>;
};

/** What a sync would write to a referral's lead, and what the lead holds in those fields now. */
export type LeadFieldsReading = {
  /** Null when the referral has no lead yet. */
  leadId: string | null;
  /** CRM field → the value an upsert of the draft sends (after the adapter's own rules and limits). */
  fields: Record<string, unknown>;
  /** The same fields as the lead holds them; null when there is no lead. */
  current: Record<string, unknown> | null;
  /** What fitting the draft to the CRM's fields changed (`field_truncated`, `field_too_long`). */
  warnings: MappingWarning[];
};

/** What the configuration asks of the CRM beyond lead writes. */
export type SetupNeeds = {
  /** The change feed runs (`sync.crmPollSeconds` > 0): it needs what `decidedLeads` reads. */
  changeFeed: boolean;
  /**
   * Fields of the partner's own the mapping writes (`mapping.extra`): each must exist, be writable and
   * take the kind of value it gets (`any`: not known before a referral, e.g. from a lookup table).
   */
  extraFields?: readonly { name: string; kind: 'text' | 'number' | 'boolean' | 'any' }[];
};

/**
 * The CRM keeps a closed lead (qualified, converted, disqualified) read-only and refused the write. The
 * sync then reads the lead's state instead, so the seller's decision still reaches the referral.
 */
export class LeadClosedError extends RemoteError {
  constructor(fields: Omit<ConstructorParameters<typeof RemoteError>[0], 'disposition' | 'code'>) {
    super({ ...fields, disposition: 'dead_letter', code: 'lead_closed' });
  }
}
