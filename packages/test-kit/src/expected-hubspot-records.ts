/**
 * The HubSpot contact and lead (or deal) the connector must write for a referral: the documented neutral
 * lead (expected-lead.ts) in the properties src/crm/hubspot/README.md names, NOT computed with the
 * connector's own code. Every HubSpot value is a string.
 */
import type { Referral } from '@referral-connector/emulators';
import { expectedLead } from './expected-lead.ts';

export type HubSpotProperties = Record<string, string | null>;

/** The contact's properties; only values the referral has (a contact is shared, nothing is cleared). */
export function expectedHubSpotContact(referral: Referral): HubSpotProperties {
  const { contact, address, companyName, referralKey } = expectedLead(referral);
  const street = [address.line1, address.line2].filter((line) => line !== null).join(', ');
  const values: HubSpotProperties = {
    email: contact.email,
    firstname: contact.firstName,
    lastname: contact.lastName,
    phone: contact.phone,
    jobtitle: contact.jobTitle,
    company: companyName,
    address: street === '' ? null : street,
    city: address.city,
    state: address.stateOrProvince,
    zip: address.postalCode,
    country: address.country,
  };
  const written = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
  return contact.email === null ? { ...written, referral_id: referralKey } : written;
}

/** The lead's or deal's own properties as created (the stage is the seller's afterwards). */
export function expectedHubSpotRecord(
  referral: Referral,
  options: { object: 'leads' | 'deals'; currency?: string },
): HubSpotProperties {
  const lead = expectedLead(referral);
  if (options.object === 'leads') {
    return { hs_lead_name: lead.topic, referral_id: lead.referralKey, hs_pipeline: 'lead-pipeline-id' };
  }
  const currency = options.currency ?? 'USD';
  return {
    dealname: lead.topic,
    referral_id: lead.referralKey,
    pipeline: 'default',
    description: lead.description,
    closedate: lead.closeDate === null ? null : `${lead.closeDate}T12:00:00.000Z`,
    ...(lead.dealValue === null || lead.currencyCode === currency
      ? { amount: lead.dealValue === null ? null : String(lead.dealValue) }
      : {}),
  };
}
