/**
 * The demo (and the end-to-end tests): the emulated world and a real connector in one process. The
 * connector is configured exactly as for the real services, only with the emulators' URLs, the
 * development credentials and the emulators' trust anchors: nothing emulator-specific leaks into it.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultSettings } from '@referral-connector/emulators';
import {
  connectorConfig,
  DEV_CREDENTIALS,
  type EmulatedCrm,
  type EmulatorWorld,
  startEmulators,
} from '@referral-connector/emulators';
import { loginWithDeviceCode } from '../src/auth/device-code-login.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { type Connector, createConnector } from '../src/connector.ts';
import type { Logger } from '../src/observability/logger.ts';
import { registerWebhook } from '../src/partner-center/register-webhook.ts';
import type { SettledJob } from '../src/sync/sync-workers.ts';
import type { DemoTarget } from './run-demo.ts';

export type DemoOptions = {
  dataDir: string;
  logger: Logger;
  seed?: string;
  faults?: FaultSettings;
  concurrency?: number;
  /** Which emulated CRM receives the leads; Dynamics 365 unless said. */
  crm?: EmulatedCrm;
  /** Extra configuration keys, as flags would give them. */
  overrides?: Record<string, unknown>;
  onSettled?: (event: SettledJob) => void;
  /** Waits between webhook delivery attempts; Partner Center's own schedule (minutes) by default. */
  dispatcherRetryDelaysMs?: readonly number[];
};

export type Demo = DemoTarget & {
  world: EmulatorWorld;
  connector: Connector;
  connectorUrl: string;
  /** The operator console's URL. */
  adminUrl: string;
  /** A link that signs a browser in to the console (the demo's console token). */
  adminLink: string;
  /** Every settled sync job; returns an unsubscribe function. */
  onSettled(listener: (event: SettledJob) => void): () => void;
  close(): Promise<void>;
};

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const world = await startEmulators({
    seed: options.seed ?? 'demo',
    ...(options.faults ? { faults: options.faults } : {}),
    // Device code sign-in needs a person at a browser; in the demo the development user approves at once.
    entra: { deviceCodeAutoApprove: DEV_CREDENTIALS.username, deviceCodeIntervalSeconds: 0.05 },
    ...(options.dispatcherRetryDelaysMs
      ? { webhooks: { retryDelaysMs: options.dispatcherRetryDelaysMs } }
      : {}),
  });
  try {
    const tlsCaFile = join(options.dataDir, 'emulators-tls-ca.pem');
    const signingRootFile = join(options.dataDir, 'emulators-signing-root.pem');
    writeFileSync(tlsCaFile, world.tlsCaPem ?? '');
    writeFileSync(signingRootFile, world.signingRootPem);
    const config = loadConfig({
      env: {},
      ignoreDefaultFile: true,
      overrides: {
        // The console signs in with a token made for this run, or with Microsoft as the development user.
        'admin.enabled': true,
        'admin.token': randomBytes(32).toString('base64url'),
        'admin.clientId': world.credentials.clientId,
        'admin.clientSecret': world.credentials.clientSecret,
        'admin.allowedUsers': [world.credentials.username],
        ...connectorConfig(world, {
          dataDir: options.dataDir,
          tlsCaFile,
          signingRootsFile: signingRootFile,
          crm: options.crm ?? 'dynamics',
        }),
        ...(options.concurrency ? { 'sync.concurrency': options.concurrency } : {}),
        ...options.overrides,
      },
    });
    const listeners = new Set<(event: SettledJob) => void>();
    const connector = await createConnector(config, {
      logger: options.logger,
      onSettled: (event) => {
        options.onSettled?.(event);
        for (const listener of listeners) listener(event);
      },
    });
    await loginWithDeviceCode(connector.partnerCenterApp, config.partnerCenter.referralsAudience, () => {});
    const connectorUrl = await connector.start();
    const adminUrl = connector.admin?.url() ?? '';
    const adminLink = connector.admin?.tokenSignInLink() ?? adminUrl;
    // Sign in with Microsoft returns to the console's exact address, registered on the emulated app.
    world.entra
      .findApp(world.credentials.clientId)
      ?.redirectUris.push(`${adminUrl}/auth/callback`, `${adminUrl}/auth/signed-out`);
    const registered = await registerWebhook(
      connector.webhooks,
      {
        webhookUrl: `${connectorUrl}/webhooks/partner-center`,
        webhookEvents: [...config.partnerCenter.webhookEvents],
        signatureInMsSignatureHeader: false,
      },
      { overwriteForeign: false },
    );
    if (registered.outcome === 'foreign_url')
      throw new Error('the emulated tenant already had a webhook registration');
    const onSettled = (listener: (event: SettledJob) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    return {
      world,
      connector,
      connectorUrl,
      adminUrl,
      adminLink,
      crm: config.crm,
      queueStats: () => connector.backend.queue.stats(),
      watchLeadWrites() {
        // The first synced job of each referral reports when its lead was written.
        const written = new Map<string, number>();
        const stop = onSettled((event) => {
          const key = event.job.referralId.toLowerCase();
          if (event.outcome === 'synced' && !written.has(key)) written.set(key, event.result.leadWrittenAt);
        });
        return { writtenAt: async () => written, stop };
      },
      onSettled,
      async close() {
        await connector.stop(5_000);
        await world.close();
      },
    };
  } catch (error) {
    await world.close();
    throw error;
  }
}
