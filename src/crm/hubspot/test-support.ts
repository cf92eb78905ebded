/**
 * A HubSpot adapter against the emulated portal, built with the configuration's defaults (as
 * `hubspot-from-config.ts` would), for the adapter's tests and the contract suite.
 */
import type { ConnectorWorld } from '../../../test/support/connector-world.ts';
import type { TokenProvider } from '../../auth/token-provider.ts';
import type { HttpClient } from '../../net/http-client.ts';
import type { CrmAdapter } from '../crm-adapter.ts';
import { createHubSpotAdapter } from './hubspot-adapter.ts';
import { createHubSpotClient } from './hubspot-client.ts';
import { type HubSpotObject, hubspotConfigSchema } from './hubspot-config.ts';
import { createPrivateAppToken } from './private-app-token.ts';

export type TestAdapterOptions = {
  object: HubSpotObject;
  /** Another token provider (a stale first token). */
  tokens?: (tokens: TokenProvider) => TokenProvider;
  http?: HttpClient;
  searchesPerSecond?: number;
  now?: () => number;
  portalTimeZone?: string;
  referralUrlProperty?: string;
};

/** The admin's set-up the adapter needs beyond the emulator's defaults: a unique `referral_id` on contacts. */
export function prepareTestPortal(cw: ConnectorWorld): void {
  if (cw.world.hubspot.properties('contacts').some((p) => p.name === 'referral_id')) return;
  cw.world.hubspot.createProperty('contacts', {
    name: 'referral_id',
    label: 'Referral ID',
    type: 'string',
    fieldType: 'text',
    groupName: 'contactinformation',
    hasUniqueValue: true,
  });
}

export function createTestHubSpotAdapter(cw: ConnectorWorld, options: TestAdapterOptions): CrmAdapter {
  const config = hubspotConfigSchema.parse({ baseUrl: cw.world.urls.hubspot, object: options.object });
  const stages = options.object === 'leads' ? config.leads : config.deals;
  const tokens = createPrivateAppToken(cw.world.hubspot.accessToken, config.baseUrl);
  return createHubSpotAdapter({
    client: createHubSpotClient({
      baseUrl: config.baseUrl,
      http: options.http ?? cw.http('hubspot'),
      tokens: options.tokens ? options.tokens(tokens) : tokens,
      portalTimeZone: options.portalTimeZone ?? config.portalTimeZone,
      tokenKey: 'crm.hubspot.accessToken',
      searchesPerSecond: options.searchesPerSecond ?? config.limits.searchesPerSecond,
      ...(options.now ? { now: options.now } : {}),
    }),
    object: options.object,
    referralIdProperty: config.referralIdProperty,
    contactReferralIdProperty: config.contactReferralIdProperty,
    referralUrlProperty: options.referralUrlProperty,
    pipeline: stages.pipeline,
    initialStage: stages.initialStage,
    qualifiedStages: stages.qualifiedStages,
    disqualifiedStages: stages.disqualifiedStages,
    currency: config.deals.currency,
  });
}

/** The stage a seller moves a record to for each decision (the emulated portal's default pipelines). */
export const DECISION_STAGES: Record<HubSpotObject, { qualified: string; disqualified: string }> = {
  leads: { qualified: 'qualified-stage-id', disqualified: 'unqualified-stage-id' },
  deals: { qualified: 'closedwon', disqualified: 'closedlost' },
};
