import type { LeadFieldLimits } from '../../mapping/index.ts';

/**
 * Salesforce `Lead` field lengths (spec crm.md §B2). The description is capped by the mapping (2,000) far
 * below the 32,000 of `Description`.
 */
export const SALESFORCE_LEAD_LIMITS: LeadFieldLimits = {
  topic: 255,
  companyName: 255,
  contact: { firstName: 40, lastName: 80, email: 80, phone: 40, jobTitle: 128 },
  address: { city: 40, stateOrProvince: 80, postalCode: 20, country: 80 },
};

/** `Street` is one textarea for both address lines. */
export const STREET_MAX_LENGTH = 255;
