/**
 * LeadDraft → Dataverse `lead` columns (pure). Column names, types and lengths: spec crm.md §A3.
 * Strings longer than their column are shortened by the mapping's field limits, not rejected by Dataverse; the
 * referral id lives in the URL's alternate key and is never repeated in the body (a key column in an
 * update body is dropped by Dataverse, and on create the URL's value is copied in).
 */
import type { LeadDraft } from '../../core/index.ts';
import { applyFieldLimits, type MappingWarning } from '../../mapping/index.ts';
import { DATAVERSE_LEAD_LIMITS } from './lead-column-limits.ts';

/** Dataverse `leadsourcecode` 3 = "External Referral". */
const LEAD_SOURCE_EXTERNAL_REFERRAL = 3;

export type LeadColumnOptions = {
  referralUrlColumn?: string | undefined;
  /** transactioncurrencyid of the draft's currency, when the org has it. */
  currencyId?: string | undefined;
};

export function toLeadColumns(
  mapped: LeadDraft,
  options: LeadColumnOptions,
): { columns: Record<string, unknown>; warnings: MappingWarning[] } {
  const { draft, warnings } = applyFieldLimits(mapped, DATAVERSE_LEAD_LIMITS);
  const columns: Record<string, unknown> = {
    subject: draft.topic,
    firstname: draft.contact.firstName,
    // lastname is required on the lead form; a referral without a contact name still needs a lead.
    lastname: draft.contact.lastName ?? (draft.companyName ?? draft.topic).slice(0, 50),
    companyname: draft.companyName,
    emailaddress1: draft.contact.email,
    telephone1: draft.contact.phone,
    jobtitle: draft.contact.jobTitle,
    address1_line1: draft.address.line1,
    address1_line2: draft.address.line2,
    address1_city: draft.address.city,
    address1_stateorprovince: draft.address.stateOrProvince,
    address1_postalcode: draft.address.postalCode,
    address1_country: draft.address.country,
    description: draft.description,
    estimatedclosedate: draft.estimatedCloseDate,
    leadsourcecode: LEAD_SOURCE_EXTERNAL_REFERRAL,
  };
  // An amount in an unknown currency would be read in the org's base currency: write neither then.
  if (options.currencyId) {
    columns.estimatedamount = draft.estimatedAmount;
    columns['transactioncurrencyid@odata.bind'] = `/transactioncurrencies(${options.currencyId})`;
  } else if (draft.currencyCode === null) {
    columns.estimatedamount = draft.estimatedAmount;
  }
  if (options.referralUrlColumn) columns[options.referralUrlColumn] = draft.referralUrl;
  // The organization's own columns (mapping.extra), verbatim and last: one named like ours replaces it.
  Object.assign(columns, draft.extra);
  return { columns, warnings };
}
