import type { LeadFieldLimits } from '../../mapping/index.ts';

/**
 * Dataverse `lead` columns (spec crm.md §A3). `referralUrl` has no limit here: it is built from a fixed
 * template and a GUID, and its custom column is sized by the adapter that creates it.
 */
export const DATAVERSE_LEAD_LIMITS: LeadFieldLimits = {
  topic: 300,
  companyName: 100,
  description: 2000,
  contact: { firstName: 50, lastName: 50, email: 100, phone: 50, jobTitle: 100 },
  address: { line1: 250, line2: 250, city: 80, stateOrProvince: 50, postalCode: 20, country: 80 },
};
