/**
 * The emulated world plus everything the connector process needs before its first start: a free port
 * kept across restarts, the trust anchors, a YAML configuration, a signed-in Partner Center user in the
 * SQLite file, and the webhook registered at the connector's URL. The sign-in and registration run in
 * this process with a connector built from the same file, as `auth login` and `webhooks register` would.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { DataverseOptions, FaultSettings } from '@referral-connector/emulators';
import {
  DEV_CREDENTIALS,
  DEV_HUBSPOT,
  DEV_SALESFORCE,
  type EmulatorWorld,
  startEmulators,
} from '@referral-connector/emulators';
import { stringify } from 'yaml';
import { loginWithDeviceCode } from '../../src/auth/device-code-login.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createConnector } from '../../src/connector.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { registerWebhook } from '../../src/partner-center/register-webhook.ts';

export type ChaosWorldOptions = {
  dataDir: string;
  seed: string;
  dispatcherRetryDelaysMs: readonly number[];
  dispatcherConcurrency: number;
  reorderHoldMs: number;
  rejectLeads?: DataverseOptions['rejectLeads'];
  /** Which emulated CRM receives the leads; Dynamics 365 unless said. */
  crm?: 'dynamics' | 'salesforce' | 'hubspot';
  /** Connector configuration beyond the world's URLs and credentials, as nested YAML. */
  connector: Record<string, unknown>;
};

export type ChaosWorld = {
  world: EmulatorWorld;
  configFile: string;
  databaseFile: string;
  port: number;
  /** `partnerCenter.referralsUrl` as configured: leads link to `<referralsUrl>/<id>`. */
  referralsUrl: string;
  referralIdColumn: string;
  referralUrlColumn: string;
  setFaults(faults: FaultSettings): void;
  close(): Promise<void>;
};

export async function startChaosWorld(options: ChaosWorldOptions): Promise<ChaosWorld> {
  const world = await startEmulators({
    seed: options.seed,
    entra: { deviceCodeAutoApprove: DEV_CREDENTIALS.username, deviceCodeIntervalSeconds: 0.05 },
    webhooks: {
      retryDelaysMs: options.dispatcherRetryDelaysMs,
      concurrency: options.dispatcherConcurrency,
      reorderHoldMs: options.reorderHoldMs,
    },
    ...(options.rejectLeads ? { dataverse: { rejectLeads: options.rejectLeads } } : {}),
  });
  try {
    const port = await freePort();
    const tlsCaFile = join(options.dataDir, 'emulators-tls-ca.pem');
    const signingRootFile = join(options.dataDir, 'emulators-signing-root.pem');
    writeFileSync(tlsCaFile, world.tlsCaPem ?? '');
    writeFileSync(signingRootFile, world.signingRootPem);
    const configFile = join(options.dataDir, 'referral-connector.yaml');
    const base = {
      dataDir: options.dataDir,
      server: { host: '127.0.0.1', port },
      entra: { authorityHost: world.urls.entra },
      partnerCenter: {
        tenantId: world.credentials.tenant,
        clientId: world.credentials.clientId,
        clientSecret: world.credentials.clientSecret,
        referralsUrl: world.urls.referrals,
        webhooksUrl: world.urls.webhooks,
        certificateHosts: [world.certificateHost],
        issuerCertificateHosts: [world.certificateHost],
        trustedRootsFile: signingRootFile,
      },
      crm:
        options.crm === 'hubspot'
          ? {
              kind: 'hubspot',
              hubspot: {
                baseUrl: world.urls.hubspot,
                accessToken: DEV_HUBSPOT.accessToken,
                limits: { requestsPerTenSeconds: world.hubspot.limits().tenSecondly, share: 1 },
              },
            }
          : options.crm === 'salesforce'
            ? {
                kind: 'salesforce',
                salesforce: {
                  instanceUrl: world.urls.salesforce,
                  clientId: DEV_SALESFORCE.clientId,
                  clientSecret: DEV_SALESFORCE.clientSecret,
                },
              }
            : { dynamics: { url: world.dataverseOrgUrl } },
      tls: { extraCaFile: tlsCaFile },
    };
    writeFileSync(configFile, stringify(deepMerge(base, options.connector)));

    const config = loadConfig({ file: configFile, env: {}, ignoreDefaultFile: true });
    const connector = await createConnector(config, { logger: createLogger({ level: 'silent' }) });
    try {
      await loginWithDeviceCode(connector.partnerCenterApp, config.partnerCenter.referralsAudience, () => {});
      const registered = await registerWebhook(
        connector.webhooks,
        {
          webhookUrl: `http://127.0.0.1:${port}/webhooks/partner-center`,
          webhookEvents: [...config.partnerCenter.webhookEvents],
          signatureInMsSignatureHeader: false,
        },
        { overwriteForeign: false },
      );
      if (registered.outcome === 'foreign_url') throw new Error('the emulated tenant already had a webhook');
    } finally {
      await connector.stop(1_000);
    }

    return {
      world,
      configFile,
      databaseFile: join(options.dataDir, 'referral-connector.db'),
      port,
      referralsUrl: config.partnerCenter.referralsUrl,
      referralIdColumn: config.crm.dynamics.referralIdColumn,
      referralUrlColumn: config.crm.dynamics.referralUrlColumn,
      setFaults: (faults) => world.traffic.setFaults(faults),
      close: () => world.close(),
    };
  } catch (error) {
    await world.close();
    throw error;
  }
}

/** A port nobody listens on now, so the connector can keep it across restarts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

type Tree = Record<string, unknown>;
function deepMerge(base: Tree, extra: Tree): Tree {
  const merged: Tree = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] = isTree(current) && isTree(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
