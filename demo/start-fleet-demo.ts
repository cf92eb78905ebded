/**
 * The demo on PostgreSQL with several instances (`demo --store postgres://… --instances N`): the
 * emulated world in this process, N `serve` processes sharing a schema made for this run, and a
 * round-robin forwarder as the webhook URL Partner Center knows. The Partner Center user signs in and
 * the webhook is registered once, as `auth login` and `webhooks register` would, before the instances
 * start; every instance then reads the one sign-in from the shared store.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatedCrm, EmulatorWorld, FaultSettings } from '@referral-connector/emulators';
import { connectorConfig, DEV_CREDENTIALS, startEmulators } from '@referral-connector/emulators';
import { loginWithDeviceCode } from '../src/auth/device-code-login.ts';
import type { Config } from '../src/config/config-schema.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createConnector } from '../src/connector.ts';
import { toReferralKey } from '../src/core/domain.ts';
import type { Logger } from '../src/observability/logger.ts';
import { registerWebhook } from '../src/partner-center/register-webhook.ts';
import type { StorageBackend } from '../src/store/ports.ts';
import { createPostgresBackend } from '../src/store/postgres/create-postgres-backend.ts';
import { nestKeys } from './config-file.ts';
import { type ConnectorFleet, createConnectorFleet } from './connector-fleet.ts';
import { demoSchemaName, dropDemoSchema } from './demo-schema.ts';
import { type RoundRobinForwarder, startRoundRobinForwarder } from './round-robin-forwarder.ts';
import type { DemoTarget } from './run-demo.ts';

export type FleetDemoOptions = {
  /** `postgres://…`: the server and database; the demo makes a schema of its own there. */
  storeUrl: string;
  instances: number;
  /** Configuration files, the instances' data directories and their logs. */
  dataDir: string;
  logger: Logger;
  seed?: string;
  faults?: FaultSettings;
  crm?: EmulatedCrm;
  overrides?: Record<string, unknown>;
  dispatcherRetryDelaysMs?: readonly number[];
  /** Leave the schema in the database at the end (its name is in `schema`). */
  keepStore?: boolean;
};

export type FleetDemo = DemoTarget & {
  world: EmulatorWorld;
  fleet: ConnectorFleet;
  forwarder: RoundRobinForwarder;
  schema: string;
  /** A link that signs a browser in to the first instance's console. */
  adminLink: string;
  close(): Promise<void>;
};

export async function startFleetDemo(options: FleetDemoOptions): Promise<FleetDemo> {
  const schema = demoSchemaName();
  const world = await startEmulators({
    seed: options.seed ?? 'demo',
    ...(options.faults ? { faults: options.faults } : {}),
    entra: { deviceCodeAutoApprove: DEV_CREDENTIALS.username, deviceCodeIntervalSeconds: 0.05 },
    ...(options.dispatcherRetryDelaysMs
      ? { webhooks: { retryDelaysMs: options.dispatcherRetryDelaysMs } }
      : {}),
  });
  const opened: Array<() => Promise<unknown>> = [() => world.close()];
  const closeOpened = async () => {
    for (const close of opened.splice(0).reverse()) await close().catch(() => {});
    if (!options.keepStore) await dropDemoSchema(options.storeUrl, schema).catch(() => {});
  };
  try {
    const forwarder = await startRoundRobinForwarder();
    opened.push(() => forwarder.close());
    const tlsCaFile = join(options.dataDir, 'emulators-tls-ca.pem');
    const signingRootFile = join(options.dataDir, 'emulators-signing-root.pem');
    writeFileSync(tlsCaFile, world.tlsCaPem ?? '');
    writeFileSync(signingRootFile, world.signingRootPem);
    const adminToken = randomBytes(32).toString('base64url');
    const settings: Record<string, unknown> = {
      'admin.enabled': true,
      'admin.token': adminToken,
      'admin.clientId': world.credentials.clientId,
      'admin.clientSecret': world.credentials.clientSecret,
      'admin.allowedUsers': [world.credentials.username],
      ...connectorConfig(world, {
        dataDir: options.dataDir,
        tlsCaFile,
        signingRootsFile: signingRootFile,
        crm: options.crm ?? 'dynamics',
        // Every instance says the balancer is its public address: that is where Partner Center delivers.
        server: { host: '127.0.0.1', port: 0, publicUrl: forwarder.url },
      }),
      'store.url': options.storeUrl,
      'store.schema': schema,
      // One key for every instance: the sign-in is sealed once in the shared store and opened by all.
      'secrets.encryptionKey': randomBytes(32).toString('base64'),
      // The CRM counts all instances' requests together: each keeps to its share, as the README says.
      'crm.instanceShare': 1 / options.instances,
      ...options.overrides,
    };
    const config = loadConfig({ env: {}, ignoreDefaultFile: true, overrides: settings });
    await signInAndRegister(config, `${forwarder.url}/webhooks/partner-center`, options.logger);

    const fleet = await createConnectorFleet({
      count: options.instances,
      dir: options.dataDir,
      config: nestKeys(settings),
      forwarder,
      // node-postgres reads a password or TLS setting the URL leaves out from the environment, as libpq does.
      env: Object.fromEntries(
        Object.entries(process.env).filter((entry): entry is [string, string] => /^PG[A-Z]+$/.test(entry[0])),
      ),
    });
    opened.push(() => fleet.stop(5_000));
    // Sign in with Microsoft returns to each console's exact address, registered on the emulated app.
    world.entra
      .findApp(world.credentials.clientId)
      ?.redirectUris.push(
        ...fleet.instances.flatMap(({ adminPort }) => [
          `http://127.0.0.1:${adminPort}/auth/callback`,
          `http://127.0.0.1:${adminPort}/auth/signed-out`,
        ]),
      );
    await fleet.start();
    // The demo's own view of the store: queue figures and the timeline, read as `status` reads them.
    const reader: StorageBackend = await createPostgresBackend({
      url: options.storeUrl,
      schema,
      mustExist: true,
    });
    opened.push(() => reader.close());
    const firstAdmin = `http://127.0.0.1:${fleet.instances[0]?.adminPort}`;

    return {
      world,
      fleet,
      forwarder,
      schema,
      adminLink: `${firstAdmin}/auth/token?token=${encodeURIComponent(adminToken)}`,
      crm: config.crm,
      queueStats: () => reader.queue.stats(),
      watchLeadWrites: () => ({
        // The instances are other processes: each referral's timeline says when its lead was written.
        async writtenAt(referralIds) {
          const written = new Map<string, number>();
          for (const id of referralIds) {
            const steps = await reader.store.timeline(toReferralKey(id), 1_000);
            const writes = steps.filter(
              (step) => step.step === 'upsert-lead' && ['created', 'updated'].includes(step.outcome),
            );
            const first = writes.at(-1);
            if (first) written.set(id.toLowerCase(), Date.parse(first.at));
          }
          return written;
        },
        stop() {},
      }),
      close: closeOpened,
    };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}

/** `auth login` and `webhooks register`, in this process, on the shared store (migrating it). */
async function signInAndRegister(config: Config, webhookUrl: string, logger: Logger): Promise<void> {
  const connector = await createConnector(config, { logger });
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
    if (registered.outcome === 'foreign_url')
      throw new Error('the emulated tenant already had a webhook registration');
  } finally {
    await connector.stop(1_000);
  }
}
