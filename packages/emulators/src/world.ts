/**
 * The emulated world: Entra ID, Partner Center (referrals, webhooks, signed dispatch) and Dataverse on
 * one server, https by default with a throw-away CA. Used by tests, benchmarks, `demo` and `emulate`.
 */
import fastify from 'fastify';
import { createControlRoutes } from './control/control-routes.ts';
import { DEV_CREDENTIALS, PARTNER_CENTER_AUDIENCES } from './credentials.ts';
import { createDataverseEmulator, type DataverseOptions, type DataverseState } from './dataverse/index.ts';
import { createEntraEmulator, type EntraOptions, type EntraState } from './entra/index.ts';
import { createHubSpotEmulator, type HubSpotOptions, type HubSpotState } from './hubspot/index.ts';
import {
  createReferralsEmulator,
  type ReferralsOptions,
  type ReferralsState,
} from './partner-center/referrals/index.ts';
import {
  createWebhooksEmulator,
  type WebhooksOptions,
  type WebhooksState,
} from './partner-center/webhooks/index.ts';
import {
  createSalesforceEmulator,
  type SalesforceOptions,
  type SalesforceState,
} from './salesforce/index.ts';
import { createAccessTokens } from './shared/access-tokens.ts';
import type { EmulatedService, EmulatorContext } from './shared/emulated-service.ts';
import { listenOnLoopback } from './shared/listen.ts';
import { createRandom } from './shared/random.ts';
import { createTlsMaterial } from './shared/tls.ts';
import { createTraffic, type FaultSettings, type Traffic } from './shared/traffic.ts';

export type EmulatorWorldOptions = {
  seed?: string | number;
  /** 0 (default) picks a free port. */
  port?: number;
  /** https with a generated CA (default), or plain http. */
  https?: boolean;
  faults?: FaultSettings;
  entra?: EntraOptions;
  referrals?: ReferralsOptions;
  webhooks?: WebhooksOptions;
  dataverse?: DataverseOptions;
  hubspot?: HubSpotOptions;
  salesforce?: SalesforceOptions;
  now?: () => number;
};

/** Base URLs under which each real service's documented paths follow. */
export type EmulatorUrls = {
  entra: string;
  referrals: string;
  webhooks: string;
  dataverse: string;
  /** HubSpot's API root: `${hubspot}/crm/v3/objects/…` are the real paths. */
  hubspot: string;
  /** Salesforce My Domain (instance URL): `${salesforce}/services/oauth2/token`, `…/services/data/v62.0/…`. */
  salesforce: string;
  control: string;
};

export type EmulatorWorld = {
  urls: EmulatorUrls;
  /** Dataverse organization URL (the token audience): `dataverse` without `/api/data/v9.2`. */
  dataverseOrgUrl: string;
  credentials: typeof DEV_CREDENTIALS;
  /** PEM of the CA of the emulators' TLS certificate (undefined over http). */
  tlsCaPem: string | undefined;
  /** PEM of the root of the webhook-signing chain, for the connector's trusted roots. */
  signingRootPem: string;
  /**
   * Host and port the signing certificate and its intermediate are served from (`localhost:51234`), as
   * a connector's certificate-host allow-list names a host on a port other than 443.
   */
  certificateHost: string;
  traffic: Traffic;
  entra: EntraState;
  referrals: ReferralsState;
  webhooks: WebhooksState;
  dataverse: DataverseState;
  hubspot: HubSpotState;
  salesforce: SalesforceState;
  close(): Promise<void>;
};

export async function startEmulators(options: EmulatorWorldOptions = {}): Promise<EmulatorWorld> {
  const https = options.https ?? true;
  const random = createRandom(options.seed ?? 'referral-connector');
  const now = options.now ?? Date.now;
  const traffic = createTraffic({ random: random.fork('faults') });
  if (options.faults) traffic.setFaults(options.faults);
  let origin = '';
  const ctx: EmulatorContext = {
    traffic,
    tokens: await createAccessTokens({ now }),
    random,
    now,
    origin: () => origin,
  };

  const tls = https
    ? await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] })
    : undefined;
  const entra = createEntraEmulator(ctx, options.entra);
  const referrals = createReferralsEmulator(ctx, options.referrals);
  const webhooks = await createWebhooksEmulator(ctx, {
    ...(tls ? { trustCa: tls.caPem } : {}),
    ...options.webhooks,
  });
  const dataverse = createDataverseEmulator(ctx, options.dataverse);
  const hubspot = createHubSpotEmulator(ctx, options.hubspot);
  const salesforce = createSalesforceEmulator(ctx, options.salesforce);
  const services: EmulatedService<unknown>[] = [entra, referrals, webhooks, dataverse, hubspot, salesforce];

  const app = fastify({
    ...(tls ? { https: { key: tls.keyPem, cert: tls.certPem } } : {}),
    logger: false,
    bodyLimit: 8 * 1024 * 1024,
    // Dataverse alternate-key URLs and OData queries get long.
    routerOptions: { maxParamLength: 2000 },
  });
  for (const service of services) {
    await app.register(service.routes, { prefix: service.prefix });
    if (service.control) await app.register(service.control, { prefix: `/control/${service.name}` });
  }
  await app.register(
    createControlRoutes({
      traffic,
      signingRootPem: () => webhooks.state.signingRootPem,
      tlsCaPem: tls?.caPem,
      services: services.filter((s) => s.control).map((s) => s.name),
    }),
    { prefix: '/control' },
  );

  origin = await listenOnLoopback(app, {
    https,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  const dataverseOrgUrl = `${origin}/dataverse`;
  entra.state.addResource({
    audience: dataverseOrgUrl,
    delegatedScopes: ['user_impersonation'],
    appRoles: [],
  });
  referrals.state.onChange((change) => webhooks.state.notify(change));

  return {
    urls: {
      entra: origin,
      referrals: `${origin}${referrals.prefix}`,
      webhooks: `${origin}/partner-center/webhooks/v1`,
      dataverse: `${origin}${dataverse.prefix}`,
      hubspot: `${origin}${hubspot.prefix}`,
      salesforce: salesforce.state.myDomainUrl(),
      control: `${origin}/control`,
    },
    dataverseOrgUrl,
    credentials: DEV_CREDENTIALS,
    tlsCaPem: tls?.caPem,
    signingRootPem: webhooks.state.signingRootPem,
    certificateHost: new URL(origin).host,
    traffic,
    entra: entra.state,
    referrals: referrals.state,
    webhooks: webhooks.state,
    dataverse: dataverse.state,
    hubspot: hubspot.state,
    salesforce: salesforce.state,
    async close() {
      for (const service of services) await service.close?.();
      await app.close();
    },
  };
}

export { PARTNER_CENTER_AUDIENCES };
