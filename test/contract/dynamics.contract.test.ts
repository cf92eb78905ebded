import { setTimeout as sleep } from 'node:timers/promises';
import { createDynamicsAdapter } from '../../src/crm/dynamics/dynamics-adapter.ts';
import { startConnectorWorld } from '../support/connector-world.ts';
import { describeCrmAdapterContract, staleFirst } from './crm-adapter.contract.ts';

const DELTA_TOKEN_LIFETIME_MS = 7 * 86_400_000;

describeCrmAdapterContract({
  name: 'Dynamics 365 (Dataverse emulator)',
  // Dataverse keeps qualified and disqualified leads read-only.
  readOnlyAfter: ['qualified', 'disqualified'],
  async start() {
    const cw = await startConnectorWorld();
    const { dataverse, traffic } = cw.world;
    const control = (path: string, body: unknown) =>
      cw.http('control').send({
        method: 'PUT',
        url: `${cw.world.urls.control}${path}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    return {
      adapter: (options = {}) => {
        const tokens = cw.appTokens(cw.world.dataverseOrgUrl);
        return createDynamicsAdapter({
          url: cw.world.dataverseOrgUrl,
          apiVersion: 'v9.2',
          referralIdColumn: 'new_referralid',
          referralUrlColumn: 'new_referralurl',
          http: cw.http('dataverse'),
          tokens: options.staleFirstToken ? staleFirst(tokens, 'eyJhbGciOiJub25lIn0.e30.') : tokens,
        });
      },
      leadsFor: (key) =>
        dataverse
          .leads()
          .filter((lead) => lead.new_referralid === key)
          .map((lead) => ({ leadId: String(lead.leadid), referralKey: String(lead.new_referralid) })),
      async sellerDecides(leadId, decision) {
        if (decision === 'qualified') dataverse.sellerQualify(leadId);
        else dataverse.sellerUpdate(leadId, { statecode: 2, statuscode: 6 });
      },
      failAllCalls(kind) {
        if (kind === 'unavailable') {
          traffic.setFaults({ dataverse: { '5xx': 1 } });
          return {};
        }
        traffic.setFaults({ dataverse: { '429': 1, retryAfterSeconds: 9 } });
        return { retryAfterMs: 9_000 };
      },
      async clearFaults() {
        traffic.setFaults({});
        await control('/dataverse/delta-token-lifetime', { lifetimeMs: DELTA_TOKEN_LIFETIME_MS });
      },
      // Dataverse forgets delta tokens after their lifetime (7 days by default).
      async expireCursor(cursor) {
        await control('/dataverse/delta-token-lifetime', { lifetimeMs: 1 });
        await sleep(20);
        return cursor;
      },
      invalidDraft: (draft) => ({ ...draft, referralUrl: `https://x.example/${'r'.repeat(600)}` }),
      close: () => cw.close(),
    };
  },
});
