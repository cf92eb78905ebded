import type { HubSpotObject } from '../../src/crm/hubspot/hubspot-config.ts';
import {
  createTestHubSpotAdapter,
  DECISION_STAGES,
  prepareTestPortal,
} from '../../src/crm/hubspot/test-support.ts';
import { startConnectorWorld } from '../support/connector-world.ts';
import { describeCrmAdapterContract, staleFirst } from './crm-adapter.contract.ts';

/** HubSpot answers a throttled private app with no Retry-After; its window is ten seconds (§C5). */
const TEN_SECONDLY_PAUSE = 1_000;

for (const object of ['leads', 'deals'] as const satisfies readonly HubSpotObject[]) {
  describeCrmAdapterContract({
    name: `HubSpot ${object} (HubSpot emulator)`,
    // HubSpot lets a record in a closed stage be edited: nothing is read-only.
    readOnlyAfter: [],
    async start() {
      const cw = await startConnectorWorld();
      prepareTestPortal(cw);
      const { hubspot, traffic } = cw.world;
      return {
        adapter: (options = {}) =>
          createTestHubSpotAdapter(cw, {
            object,
            ...(options.staleFirstToken
              ? { tokens: (tokens) => staleFirst(tokens, 'pat-na1-00000000-0000-0000-0000-000000000000') }
              : {}),
          }),
        leadsFor: (key) =>
          hubspot
            .objects(object)
            .filter((record) => record.properties.referral_id === key)
            .map((record) => ({ leadId: record.id, referralKey: String(record.properties.referral_id) })),
        async sellerDecides(leadId, decision) {
          hubspot.moveToStage(object, leadId, DECISION_STAGES[object][decision]);
        },
        failAllCalls(kind) {
          traffic.setFaults({ hubspot: kind === 'unavailable' ? { '5xx': 1 } : { '429': 1 } });
          return kind === 'unavailable' ? {} : { retryAfterMs: TEN_SECONDLY_PAUSE };
        },
        async clearFaults() {
          traffic.setFaults({});
        },
        // HubSpot refuses an e-mail address without a top-level domain (INVALID_EMAIL).
        invalidDraft: (draft) => ({
          ...draft,
          contact: { ...draft.contact, email: 'alex.rivera@northwind' },
        }),
        cursorNeverExpires:
          'the cursor is our own (a last-modified time and what was reported near it), not a token HubSpot keeps',
        close: () => cw.close(),
      };
    },
  });
}
