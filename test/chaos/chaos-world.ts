/**
 * The emulated world plus everything the connector processes need before their first start: free ports
 * kept across restarts, the trust anchors, a YAML configuration per instance, a signed-in Partner Center
 * user in the store, and the webhook registered: at the connector's own URL when one connector runs on
 * SQLite, at a round-robin load balancer in front of the instances when several share PostgreSQL. The
 * sign-in and registration run in this process with a connector built from the first instance's file,
 * as `auth login` and `webhooks register` would.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataverseOptions, FaultSettings } from '@referral-connector/emulators';
import {
  DEV_CREDENTIALS,
  DEV_HUBSPOT,
  DEV_SALESFORCE,
  type EmulatorWorld,
  startEmulators,
} from '@referral-connector/emulators';
import { type ConfigTree, deepMerge } from '../../demo/config-file.ts';
import { type ConnectorFleet, createConnectorFleet } from '../../demo/connector-fleet.ts';
import { type RoundRobinForwarder, startRoundRobinForwarder } from '../../demo/round-robin-forwarder.ts';
import { loginWithDeviceCode } from '../../src/auth/device-code-login.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createConnector } from '../../src/connector.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { registerWebhook } from '../../src/partner-center/register-webhook.ts';
import { databasePath } from '../../src/store/sqlite/database-path.ts';
import { type ChaosStore, openPostgresChaosStore, openSqliteChaosStore } from './chaos-store.ts';

/** The chaos suites run the connector from its sources, as `node src/main.ts serve`. */
export const CONNECTOR_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

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
  /** PostgreSQL shared by the instances; SQLite in the data directory when absent (one instance). */
  postgres?: { url: string; schema: string };
  /** Connector processes (default 1); several need `postgres`, and get a load balancer in front. */
  instances?: number;
};

export type ChaosWorld = {
  world: EmulatorWorld;
  /** The connector processes, not started yet. */
  fleet: ConnectorFleet;
  /** In front of the instances when there are several. */
  forwarder: RoundRobinForwarder | undefined;
  /** The single instance's SQLite file; undefined on PostgreSQL. */
  databaseFile: string | undefined;
  /** A reader of the store the instances share, for the checks. */
  openStore(): ChaosStore;
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
  let forwarder: RoundRobinForwarder | undefined;
  try {
    const instances = options.instances ?? 1;
    if (instances > 1 && !options.postgres) throw new Error('several instances need PostgreSQL');
    const tlsCaFile = join(options.dataDir, 'emulators-tls-ca.pem');
    const signingRootFile = join(options.dataDir, 'emulators-signing-root.pem');
    writeFileSync(tlsCaFile, world.tlsCaPem ?? '');
    writeFileSync(signingRootFile, world.signingRootPem);
    const base: ConfigTree = {
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
      ...(options.postgres && {
        store: { url: options.postgres.url, schema: options.postgres.schema },
        // One key for every instance: the sign-in is sealed once in the shared store and opened by all.
        secrets: { encryptionKey: randomBytes(32).toString('base64') },
      }),
    };
    if (instances > 1) {
      // The CRM counts all instances' requests together: each keeps to its share of the request budgets.
      base.crm = deepMerge(base.crm as ConfigTree, { instanceShare: 1 / instances });
      forwarder = await startRoundRobinForwarder();
    }
    const fleet = await createConnectorFleet({
      count: instances,
      dir: options.dataDir,
      config: deepMerge(base, options.connector),
      ...(forwarder ? { forwarder } : {}),
      entry: CONNECTOR_MAIN,
    });
    const first = fleet.instances[0];
    if (!first) throw new Error('no instance');
    const webhookUrl = `${forwarder?.url ?? `http://127.0.0.1:${first.port}`}/webhooks/partner-center`;

    const config = loadConfig({ file: first.configFile, env: {}, ignoreDefaultFile: true });
    const connector = await createConnector(config, { logger: createLogger({ level: 'silent' }) });
    try {
      await loginWithDeviceCode(connector.partnerCenterApp, config.partnerCenter.referralsAudience, () => {});
      const registered = await registerWebhook(
        connector.webhooks,
        {
          webhookUrl,
          webhookEvents: [...config.partnerCenter.webhookEvents],
          signatureInMsSignatureHeader: false,
        },
        { overwriteForeign: false },
      );
      if (registered.outcome === 'foreign_url') throw new Error('the emulated tenant already had a webhook');
    } finally {
      await connector.stop(1_000);
    }

    const databaseFile = options.postgres ? undefined : databasePath(config.dataDir);
    const { postgres } = options;
    return {
      world,
      fleet,
      forwarder,
      databaseFile,
      openStore: () =>
        postgres
          ? openPostgresChaosStore(postgres.url, postgres.schema)
          : openSqliteChaosStore(databaseFile as string),
      referralsUrl: config.partnerCenter.referralsUrl,
      referralIdColumn: config.crm.dynamics.referralIdColumn,
      referralUrlColumn: config.crm.dynamics.referralUrlColumn,
      setFaults: (faults) => world.traffic.setFaults(faults),
      async close() {
        await forwarder?.close();
        await world.close();
      },
    };
  } catch (error) {
    await forwarder?.close();
    await world.close();
    throw error;
  }
}
