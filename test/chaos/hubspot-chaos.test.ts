import { expectedHubSpotRecord, leadDifferences } from '@referral-connector/test-kit';
import { toReferralKey } from '../../src/core/index.ts';
import { describeShortChaos } from './short-chaos.ts';

describeShortChaos({
  crm: 'hubspot',
  // HubSpot answers 5xx and ten-secondly 429s (its limits are also enforced by the emulated portal).
  crmFaults: { hubspot: { '5xx': 0.08, '429': 0.05 } },
  leadsOf: (world, referral) =>
    world.hubspot
      .objects('leads')
      .filter((record) => record.properties.referral_id === toReferralKey(referral.id))
      .map((record) => ({
        id: record.id,
        differences: leadDifferences(expectedHubSpotRecord(referral, { object: 'leads' }), record.properties),
      })),
});
