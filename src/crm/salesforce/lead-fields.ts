/**
 * LeadDraft → Salesforce `Lead` fields (pure). Fields and lengths: spec crm.md §B2, §B9. The referral id
 * is the upsert key in the URL and never repeated in the body (spec §B3); `Status` is the seller's and
 * never written (a new lead gets the org's default status).
 */
import type { LeadDraft } from '../../core/index.ts';
import { applyFieldLimits, type MappingWarning } from '../../mapping/index.ts';
import { truncateText } from '../../mapping/truncate-text.ts';
import { SALESFORCE_LEAD_LIMITS, STREET_MAX_LENGTH } from './lead-field-limits.ts';

/** What Salesforce itself writes for a required Web-to-Lead field the visitor left empty. */
export const NOT_PROVIDED = '[not provided]';

export type LeadFieldOptions = {
  referralUrlField?: string | undefined;
  leadSource: string;
  /** The org has State and Country/Territory picklists: write the ISO code to `CountryCode`. */
  countryPicklists: boolean;
};

export function toLeadFields(
  mapped: LeadDraft,
  options: LeadFieldOptions,
): { fields: Record<string, unknown>; warnings: MappingWarning[] } {
  const { draft, warnings } = applyFieldLimits(mapped, SALESFORCE_LEAD_LIMITS);
  const { contact, address } = draft;
  const street = [address.line1, address.line2].filter((line) => line !== null).join('\n');
  const fields: Record<string, unknown> = {
    // LastName and Company are required on Lead.
    LastName: contact.lastName ?? NOT_PROVIDED,
    FirstName: contact.firstName,
    Company: draft.companyName ?? NOT_PROVIDED,
    Title: contact.jobTitle,
    Email: contact.email,
    Phone: contact.phone,
    Street: street === '' ? null : truncateText(street, STREET_MAX_LENGTH),
    City: address.city,
    State: address.stateOrProvince,
    PostalCode: address.postalCode,
    [options.countryPicklists ? 'CountryCode' : 'Country']: address.country,
    Description: draft.description,
    LeadSource: options.leadSource,
  };
  if (options.referralUrlField) fields[options.referralUrlField] = draft.referralUrl;
  // The org's own fields (mapping.extra), verbatim and last: one named like ours replaces it.
  Object.assign(fields, draft.extra);
  return { fields, warnings };
}
