import { expectedSalesforceLead, leadDifferences } from '@referral-connector/test-kit';
import { toReferralKey } from '../../src/core/index.ts';
import { describeShortChaos } from './short-chaos.ts';

describeShortChaos({
  crm: 'salesforce',
  // Salesforce answers 5xx, UNABLE_TO_LOCK_ROW, and ends sessions under the connector's feet.
  crmFaults: { salesforce: { '5xx': 0.08, lock: 0.05, sessionExpiry: 0.02 } },
  leadsOf: (world, referral) =>
    world.salesforce.findByExternalId(toReferralKey(referral.id), 'Referral_Id__c').map((lead) => ({
      id: String(lead.Id),
      differences: leadDifferences(
        expectedSalesforceLead(referral, { referralsUrl: `${world.urls.referrals}` }),
        lead,
      ),
    })),
});
