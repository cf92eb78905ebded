import { DEV_SALESFORCE } from '@referral-connector/emulators';
import { createApiUsageGuard } from '../../src/crm/salesforce/api-usage-guard.ts';
import { createSalesforceAdapter } from '../../src/crm/salesforce/salesforce-adapter.ts';
import { createSalesforceTokenProvider } from '../../src/crm/salesforce/salesforce-tokens.ts';
import { startConnectorWorld } from '../support/connector-world.ts';
import { describeCrmAdapterContract, staleFirst } from './crm-adapter.contract.ts';

/** How long the adapter pauses the org when its daily allocation is used up. */
const LIMIT_PAUSE_MS = 300_000;

describeCrmAdapterContract({
  name: 'Salesforce (Salesforce emulator)',
  // Only a converted lead is read-only; a disqualified one ("Closed - Not Converted") can still be edited.
  readOnlyAfter: ['qualified'],
  async start() {
    const cw = await startConnectorWorld();
    const { salesforce, traffic } = cw.world;
    const instanceUrl = cw.world.urls.salesforce;
    return {
      adapter: (options = {}) => {
        const http = cw.http('salesforce', { budget: { concurrency: 25 } });
        const tokens = createSalesforceTokenProvider({
          instanceUrl,
          grant: {
            kind: 'client_credentials',
            clientId: DEV_SALESFORCE.clientId,
            clientSecret: DEV_SALESFORCE.clientSecret,
          },
          http,
        });
        return createSalesforceAdapter({
          instanceUrl,
          apiVersion: 'v62.0',
          referralIdField: 'Referral_Id__c',
          referralUrlField: 'Referral_URL__c',
          leadSource: 'Partner Referral',
          disqualifiedStatuses: ['Closed - Not Converted'],
          countryPicklists: false,
          http,
          tokens: options.staleFirstToken ? staleFirst(tokens, '00Dstale!session') : tokens,
          usage: createApiUsageGuard({ share: 1, pauseMs: LIMIT_PAUSE_MS }),
          limitPauseMs: LIMIT_PAUSE_MS,
        });
      },
      leadsFor: (key) =>
        salesforce
          .findByExternalId(key, 'Referral_Id__c')
          .map((lead) => ({ leadId: String(lead.Id), referralKey: String(lead.Referral_Id__c) })),
      async sellerDecides(leadId, decision) {
        if (decision === 'qualified') salesforce.convert(leadId);
        else salesforce.setStatus(leadId, 'Closed - Not Converted');
      },
      failAllCalls(kind) {
        if (kind === 'unavailable') {
          traffic.setFaults({ salesforce: { '5xx': 1 } });
          return {};
        }
        // Salesforce has no 429: the org's allocation (or its concurrent long-request limit) answers 403
        // REQUEST_LIMIT_EXCEEDED, with no Retry-After; the adapter pauses for its configured time.
        traffic.setFaults({ salesforce: { '429': 1 } });
        return { retryAfterMs: LIMIT_PAUSE_MS };
      },
      async clearFaults() {
        traffic.setFaults({});
      },
      cursorNeverExpires:
        'the Salesforce feed is a SOQL query on SystemModstamp: its cursor is a timestamp the org cannot forget',
      invalidDraft: (draft) => ({ ...draft, referralUrl: `https://x.example/${'r'.repeat(600)}` }),
      close: () => cw.close(),
    };
  },
});
