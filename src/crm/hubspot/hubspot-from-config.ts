/**
 * The HubSpot adapter as configured: the private app's static token, and a client that keeps the
 * connector within its share of the portal's limits — the burst limit per ten seconds and the search
 * limit per second, which the partner's other integrations use too.
 */
import { ConfigError } from '../../config/config-error.ts';
import type { CrmContext } from '../create-crm-adapter.ts';
import type { CrmAdapter } from '../crm-adapter.ts';
import { createHubSpotAdapter } from './hubspot-adapter.ts';
import { createHubSpotClient } from './hubspot-client.ts';
import type { HubSpotConfig } from './hubspot-config.ts';
import { createPrivateAppToken } from './private-app-token.ts';

const TOKEN_KEY = 'crm.hubspot.accessToken (CRM_HUBSPOT_ACCESS_TOKEN)';

export function createHubSpotAdapterFromConfig(config: HubSpotConfig, context: CrmContext): CrmAdapter {
  if (!config.accessToken)
    throw new ConfigError(
      [
        {
          path: 'crm.hubspot.accessToken',
          problem: "is required: the access token of the portal's private app for the connector",
        },
      ],
      'HubSpot',
    );
  const { limits } = config;
  const stages = config.object === 'leads' ? config.leads : config.deals;
  return createHubSpotAdapter({
    client: createHubSpotClient({
      baseUrl: config.baseUrl,
      http: context.httpClient('hubspot', {
        concurrency: limits.concurrency,
        windowMs: 10_000,
        requestsPerWindow: Math.max(1, Math.floor(limits.requestsPerTenSeconds * limits.share)),
      }),
      tokens: createPrivateAppToken(config.accessToken, config.baseUrl),
      portalTimeZone: config.portalTimeZone,
      tokenKey: TOKEN_KEY,
      searchesPerSecond: Math.max(1, Math.floor(limits.searchesPerSecond * limits.share)),
    }),
    object: config.object,
    referralIdProperty: config.referralIdProperty,
    contactReferralIdProperty: config.contactReferralIdProperty,
    referralUrlProperty: config.referralUrlProperty,
    pipeline: stages.pipeline,
    initialStage: stages.initialStage,
    qualifiedStages: stages.qualifiedStages,
    disqualifiedStages: stages.disqualifiedStages,
    currency: config.deals.currency,
  });
}
