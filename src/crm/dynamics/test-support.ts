import { type LeadDraft, toReferralKey } from '../../core/index.ts';

/** A complete LeadDraft as the mapping makes one; tests change what they are about. */
export function leadDraft(overrides: Partial<LeadDraft> = {}): LeadDraft {
  const referralId = overrides.referralId ?? toReferralKey('3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10');
  return {
    referralId,
    referralUrl: `https://partner.microsoft.com/referrals/${referralId}`,
    topic: 'Northwind Traders - Azure migration',
    companyName: 'Northwind Traders',
    contact: {
      firstName: 'Alex',
      lastName: 'Rivera',
      email: 'alex.rivera@northwind.example',
      phone: '+15550100',
      jobTitle: 'CTO',
    },
    address: {
      line1: '1 Sample Street',
      line2: null,
      city: 'Springfield',
      stateOrProvince: 'IL',
      postalCode: '62701',
      country: 'US',
    },
    description: 'Customer wants to move two datacenters to Azure this fiscal year.',
    estimatedAmount: 250000,
    currencyCode: 'USD',
    estimatedCloseDate: '2026-09-30',
    source: 'external-referral',
    ...overrides,
  };
}
