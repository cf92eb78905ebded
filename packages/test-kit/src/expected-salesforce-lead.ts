/**
 * The Salesforce `Lead` the connector must write for a referral: the documented neutral lead
 * (expected-lead.ts) in the fields src/crm/salesforce/README.md names (spec crm.md §B2 for the fields and
 * their lengths), NOT computed with the connector's own code.
 */
import type { Referral } from '@referral-connector/emulators';
import { checkLengths, expectedLead } from './expected-lead.ts';

export type ExpectedSalesforceLeadOptions = {
  /** `partnerCenter.referralsUrl`: the lead links to the referral at `<referralsUrl>/<id>`. */
  referralsUrl: string;
  /** `crm.salesforce.referralIdField` (default `Referral_Id__c`). */
  referralIdField?: string;
  /** `crm.salesforce.referralUrlField` (default `Referral_URL__c`). */
  referralUrlField?: string;
  /** `crm.salesforce.leadSource` (default `Partner Referral`). */
  leadSource?: string;
};

export type SalesforceLeadFields = Record<string, string | number | null>;

/** What Salesforce itself writes for a required field left empty (the adapter's README). */
const NOT_PROVIDED = '[not provided]';

/** Lead field lengths, spec crm.md §B2 (Title: the standard 128). */
const FIELD_LENGTHS: Record<string, number> = {
  FirstName: 40,
  LastName: 80,
  Company: 255,
  Title: 128,
  Email: 80,
  Phone: 40,
  Street: 255,
  City: 40,
  State: 80,
  PostalCode: 20,
  Country: 80,
};

export function expectedSalesforceLead(
  referral: Referral,
  options: ExpectedSalesforceLeadOptions,
): SalesforceLeadFields {
  const lead = expectedLead(referral);
  const { contact, address } = lead;
  const street = [address.line1, address.line2].filter((line) => line !== null).join('\n');
  const fields: SalesforceLeadFields = {
    [options.referralIdField ?? 'Referral_Id__c']: lead.referralKey,
    [options.referralUrlField ?? 'Referral_URL__c']: `${options.referralsUrl}/${referral.id}`,
    LastName: contact.lastName ?? NOT_PROVIDED,
    FirstName: contact.firstName,
    Company: lead.companyName ?? NOT_PROVIDED,
    Title: contact.jobTitle,
    Email: contact.email,
    Phone: contact.phone,
    Street: street === '' ? null : street,
    City: address.city,
    State: address.stateOrProvince,
    PostalCode: address.postalCode,
    Country: address.country,
    Description: lead.description,
    LeadSource: options.leadSource ?? 'Partner Referral',
  };
  checkLengths(fields, FIELD_LENGTHS);
  return fields;
}
