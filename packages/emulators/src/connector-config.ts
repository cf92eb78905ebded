/**
 * The Referral Connector configuration that points a connector at an emulated world: every key, its
 * value, and why it has it. The emulators know all of it (their URLs, credentials, certificate host and
 * Dataverse limits) and never import the connector, so the mapping lives here once: `emulate
 * --write-config` writes it as YAML, the demo and the benchmarks pass it as overrides.
 */

import { DEV_HUBSPOT, DEV_SALESFORCE } from './credentials.ts';
import { DEFAULT_LIMITS, type ServiceProtectionLimits } from './dataverse/index.ts';
import type { EmulatorWorld } from './world.ts';

export type ConnectorSetting = {
  /** Configuration key as the connector spells it, e.g. `crm.dynamics.url`. */
  key: string;
  value: string | number | readonly string[];
  /** Why the key has this value against the emulators (written as a comment). */
  why: string;
};

export type ConnectorConfigOptions = {
  dataDir: string;
  /** PEM file holding the root of the emulated webhook-signing chain. */
  signingRootsFile: string;
  /** PEM file holding the CA of the emulators' https certificate; unused when they serve plain http. */
  tlsCaFile?: string;
  /** Where the connector listens; `publicUrl` is what `webhooks register` registers. */
  server?: { host: string; port: number; publicUrl?: string };
  /** Which emulated CRM receives the leads (`crm.kind`); Dynamics 365 unless said. */
  crm?: EmulatedCrm;
};

export const EMULATED_CRMS = ['dynamics', 'salesforce', 'hubspot'] as const;
export type EmulatedCrm = (typeof EMULATED_CRMS)[number];

export type ConnectorConfigWorld = Pick<
  EmulatorWorld,
  'urls' | 'dataverseOrgUrl' | 'credentials' | 'certificateHost' | 'tlsCaPem'
> & {
  dataverse: Pick<EmulatorWorld['dataverse'], 'limits'>;
  hubspot: Pick<EmulatorWorld['hubspot'], 'limits'>;
};

export function connectorSettings(
  world: ConnectorConfigWorld,
  options: ConnectorConfigOptions,
): ConnectorSetting[] {
  const server = options.server ?? { host: '127.0.0.1', port: 0 };
  const settings: ConnectorSetting[] = [
    {
      key: 'dataDir',
      value: options.dataDir,
      why: "the connector's database and its stored sign-in, for this emulated tenant only: the emulators make a new tenant each time they start, so delete it then",
    },
    {
      key: 'server.host',
      value: server.host,
      why: 'the emulated Partner Center delivers webhooks from this machine; nothing else needs to reach the connector',
    },
    {
      key: 'server.port',
      value: server.port,
      why: server.publicUrl ? 'where `serve` listens; publicUrl names the same port' : 'any free port',
    },
    {
      key: 'admin.port',
      value: 0,
      why: 'the operator console on any free port of 127.0.0.1 (`serve` logs its URL), so several connectors can run side by side',
    },
  ];
  if (server.publicUrl) {
    settings.push({
      key: 'server.publicUrl',
      value: server.publicUrl,
      why: '`webhooks register` registers <publicUrl>/webhooks/partner-center with the emulated Partner Center, which delivers there (plain http is accepted for loopback)',
    });
  }
  settings.push(
    {
      key: 'entra.authorityHost',
      value: world.urls.entra,
      why: 'the emulated Entra ID signs the users and apps in',
    },
    {
      key: 'partnerCenter.tenantId',
      value: world.credentials.tenant,
      why: "the emulated partner's tenant (a well-known development value)",
    },
    {
      key: 'partnerCenter.clientId',
      value: world.credentials.clientId,
      why: 'the development app registration the emulated tenant knows, allowed device code sign-in',
    },
    {
      key: 'partnerCenter.clientSecret',
      value: world.credentials.clientSecret,
      why: 'its development secret, public on purpose and accepted only by the emulators; with a secret the webhook API is called app-only and the same app serves Dataverse (it is an application user there)',
    },
    {
      key: 'partnerCenter.referralsUrl',
      value: world.urls.referrals,
      why: 'the emulated Referrals API',
    },
    {
      key: 'partnerCenter.webhooksUrl',
      value: world.urls.webhooks,
      why: 'the emulated webhook-registration API',
    },
    {
      key: 'partnerCenter.certificateHosts',
      value: [world.certificateHost],
      why: 'the emulated Partner Center serves its signing certificate from its own host, not from Azure blob storage',
    },
    {
      key: 'partnerCenter.issuerCertificateHosts',
      value: [world.certificateHost],
      why: 'and the intermediate certificate named in that certificate (AIA) too',
    },
    {
      key: 'partnerCenter.trustedRootsFile',
      value: options.signingRootsFile,
      why: 'the root of the emulated webhook-signing chain, made at start-up: without it every webhook is refused as certificate_untrusted',
    },
    ...crmSettings(world, options.crm ?? 'dynamics'),
  );
  if (world.tlsCaPem && options.tlsCaFile) {
    settings.push({
      key: 'tls.extraCaFile',
      value: options.tlsCaFile,
      why: "the CA of the emulators' https certificate, made at start-up (msal-node refuses a plain-http authority)",
    });
  }
  return settings;
}

function crmSettings(world: ConnectorConfigWorld, crm: EmulatedCrm): ConnectorSetting[] {
  if (crm === 'hubspot') {
    const limits = world.hubspot.limits();
    return [
      { key: 'crm.kind', value: 'hubspot', why: 'leads go to the emulated HubSpot portal' },
      {
        key: 'crm.hubspot.baseUrl',
        value: world.urls.hubspot,
        why: 'the emulated portal stands in for https://api.hubapi.com',
      },
      {
        key: 'crm.hubspot.accessToken',
        value: DEV_HUBSPOT.accessToken,
        why: "the emulated portal's private-app token (a well-known development value, every scope)",
      },
      {
        key: 'crm.hubspot.limits.requestsPerTenSeconds',
        value: limits.tenSecondly,
        why: "the emulated portal's per-10-second budget",
      },
      {
        key: 'crm.hubspot.limits.share',
        value: 1,
        why: 'no other integration uses the emulated portal, so the connector may take its whole budget',
      },
    ];
  }
  if (crm === 'salesforce') {
    return [
      { key: 'crm.kind', value: 'salesforce', why: 'leads go to the emulated Salesforce org' },
      {
        key: 'crm.salesforce.instanceUrl',
        value: world.urls.salesforce,
        why: "the emulated org's My Domain URL: the REST API and the token endpoint are under it",
      },
      {
        key: 'crm.salesforce.clientId',
        value: DEV_SALESFORCE.clientId,
        why: "the emulated org's connected app (a well-known development consumer key)",
      },
      {
        key: 'crm.salesforce.clientSecret',
        value: DEV_SALESFORCE.clientSecret,
        why: 'its development secret (client-credentials flow with the Run As user), accepted only by the emulators',
      },
    ];
  }
  return [
    {
      key: 'crm.dynamics.url',
      value: world.dataverseOrgUrl,
      why: 'the emulated Dataverse organization (also the audience of its tokens)',
    },
    ...limitSettings(world.dataverse.limits()),
  ];
}

/** The same settings as a key → value map: what a connector takes as overrides. */
export function connectorConfig(
  world: ConnectorConfigWorld,
  options: ConnectorConfigOptions,
): Record<string, unknown> {
  return Object.fromEntries(connectorSettings(world, options).map(({ key, value }) => [key, value]));
}

/**
 * The connector paces its Dataverse calls to the real service-protection limits; when the emulated
 * organization enforces others, the connector must pace to those instead, or it is slower than they
 * allow (limits lifted) or meets 429s it could have avoided (limits lowered).
 */
function limitSettings(limits: ServiceProtectionLimits): ConnectorSetting[] {
  const why =
    'the emulated Dataverse enforces other service-protection limits than the real one; the connector paces itself to them';
  const changed = (name: keyof ServiceProtectionLimits) => limits[name] !== DEFAULT_LIMITS[name];
  return [
    ...(changed('requestsPerWindow')
      ? [{ key: 'crm.dynamics.limits.requestsPerWindow', value: limits.requestsPerWindow, why }]
      : []),
    ...(changed('executionTimeMs')
      ? [{ key: 'crm.dynamics.limits.executionSecondsPerWindow', value: limits.executionTimeMs / 1000, why }]
      : []),
    ...(changed('windowMs')
      ? [{ key: 'crm.dynamics.limits.windowSeconds', value: limits.windowMs / 1000, why }]
      : []),
    ...(changed('concurrentRequests')
      ? [{ key: 'crm.dynamics.limits.concurrency', value: limits.concurrentRequests, why }]
      : []),
  ];
}
