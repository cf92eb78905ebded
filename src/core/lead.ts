import type { ReferralKey } from './domain.ts';

/** What a lead's own status says about the referral, independent of the CRM. */
export const LEAD_PHASES = ['open', 'qualified', 'disqualified'] as const;
export type LeadPhase = (typeof LEAD_PHASES)[number];

/** Adapters translate it to their picklist: Dataverse `leadsourcecode` 3, Salesforce "Partner Referral", … */
export const LEAD_SOURCE = 'external-referral';
export type LeadSource = typeof LEAD_SOURCE;

/**
 * `null` everywhere means "the referral has no value for this": the referral owns the mapped fields, so an
 * adapter writes `null` as a clear and the lead keeps mirroring the referral.
 */
export type LeadContact = {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
};

export type LeadAddress = {
  line1: string | null;
  line2: string | null;
  city: string | null;
  stateOrProvince: string | null;
  postalCode: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
};

/**
 * Fields of the partner's own CRM (a Dataverse custom column, a Salesforce `Deal_Size__c`, a HubSpot
 * property) by their CRM name, filled by the `mapping.extra` configuration; adapters write them verbatim
 * after their own fields.
 */
export type LeadExtraFields = Record<string, string | number | boolean | null>;

/**
 * The CRM-neutral lead we write for one referral. Lengths are not CRM-limited here: adapters apply their
 * column limits (see `applyFieldLimits` in src/mapping), except the description, capped at 2000 characters
 * (the smallest memo among the supported CRMs).
 */
export type LeadDraft = {
  /** The value of the alternate-key / external-id / unique column: one lead per referral. */
  referralId: ReferralKey;
  referralUrl: string;
  topic: string;
  companyName: string | null;
  contact: LeadContact;
  address: LeadAddress;
  description: string | null;
  estimatedAmount: number | null;
  /** ISO 4217, upper case. */
  currencyCode: string | null;
  /** `YYYY-MM-DD`: a date, not an instant — the calendar date of the referral's closing time as written. */
  estimatedCloseDate: string | null;
  source: LeadSource;
  /** Absent when the mapping has none, so a draft without extras hashes exactly as before they existed. */
  extra?: LeadExtraFields;
};

/**
 * The lead as the sync needs to see it, produced by each adapter from its own status model:
 * - Dataverse: statecode 0 → open, 1 → qualified, 2 → disqualified; `crmStatus` the statuscode (e.g. "6"),
 *   `reason` its label ("No Longer Interested").
 * - Salesforce: `IsConverted` → qualified; a closed, unconverted `Status` ("Closed - Not Converted") →
 *   disqualified; anything else → open; `crmStatus` the Status api name.
 * - HubSpot: stage `qualified-stage-id` → qualified, `unqualified-stage-id` → disqualified, else open
 *   (contacts: `hs_lead_status` UNQUALIFIED → disqualified); `crmStatus` the stage or status id.
 */
export type LeadState = {
  leadId: string;
  phase: LeadPhase;
  /** The CRM's own status value, verbatim; for timelines and support, never for decisions. */
  crmStatus: string;
  /** Human reason, mainly why a lead was disqualified; may become the referral's `statusReason`. */
  reason?: string;
  /** ISO-8601 UTC, when the CRM last changed the lead. */
  modifiedAt?: string;
};
