import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKey, leadDraft } from '../../../test/contract/crm-adapter.contract.ts';
import { type ConnectorWorld, startConnectorWorld } from '../../../test/support/connector-world.ts';
import { ConfigError } from '../../config/config-error.ts';
import type { HttpClientOptions } from '../../net/http-client.ts';
import type { CrmContext } from '../create-crm-adapter.ts';
import { hubspotConfigSchema } from './hubspot-config.ts';
import { createHubSpotAdapterFromConfig } from './hubspot-from-config.ts';

let cw: ConnectorWorld;
beforeAll(async () => {
  cw = await startConnectorWorld();
});
afterAll(() => cw?.close());

function contextRecordingBudgets(
  budgets: Array<{ remote: string; budget: HttpClientOptions['budget'] }>,
): CrmContext {
  return {
    authorityHost: cw.world.urls.entra,
    partnerCenterApp: {},
    httpClient: (remote, budget) => {
      budgets.push({ remote, budget });
      return cw.http(remote, budget ? { budget } : {});
    },
    entraHttp: cw.http('entra'),
  };
}

describe('the HubSpot adapter as configured', () => {
  it('writes with the configured private-app token, within its share of the portal’s burst limit', async () => {
    const budgets: Array<{ remote: string; budget: HttpClientOptions['budget'] }> = [];
    const config = hubspotConfigSchema.parse({
      baseUrl: cw.world.urls.hubspot,
      accessToken: cw.world.hubspot.accessToken,
      object: 'deals',
      limits: { requestsPerTenSeconds: 190, share: 0.4 },
    });
    const crm = createHubSpotAdapterFromConfig(config, contextRecordingBudgets(budgets));
    const key = freshKey();
    try {
      expect(await crm.upsertLead(leadDraft({ referralId: key }))).toMatchObject({ created: true });
    } finally {
      await crm.close();
    }
    expect(budgets).toEqual([
      { remote: 'hubspot', budget: { concurrency: 10, windowMs: 10_000, requestsPerWindow: 76 } },
    ]);
    expect(cw.world.hubspot.findByProperty('deals', 'referral_id', key)).toBeDefined();
  });

  it('refuses to start without an access token, naming the key and its environment variable', () => {
    const build = () =>
      createHubSpotAdapterFromConfig(hubspotConfigSchema.parse({}), contextRecordingBudgets([]));
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/crm\.hubspot\.accessToken.*CRM_HUBSPOT_ACCESS_TOKEN/);
  });

  it('refuses a portal time zone that does not exist', () => {
    expect(hubspotConfigSchema.safeParse({ portalTimeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(hubspotConfigSchema.parse({ portalTimeZone: 'Europe/Berlin' }).portalTimeZone).toBe(
      'Europe/Berlin',
    );
  });
});
