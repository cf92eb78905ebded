/**
 * Builds a connector from its configuration: store and queue, HTTP clients per remote, token providers,
 * the Partner Center and CRM clients, the workers and the HTTP server. `serve` and `demo` both use it;
 * nothing here knows whether the remotes are real or emulated.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { createMsalApp, createMsalPublicApp } from './auth/msal-app.ts';
import { createSecretBox } from './auth/secret-box.ts';
import { createTokenCachePlugin } from './auth/token-cache-plugin.ts';
import {
  createAppTokenProvider,
  createDelegatedTokenProvider,
  type TokenProvider,
} from './auth/token-provider.ts';
import { ConfigError } from './config/config-error.ts';
import type { Config } from './config/config-schema.ts';
import { requireKeys } from './config/load-config.ts';
import type { CrmAdapter } from './crm/crm-adapter.ts';
import { createDynamicsAdapter } from './crm/dynamics/dynamics-adapter.ts';
import { createHttpApp } from './http/create-http-app.ts';
import { createCertificateSource } from './ingress/certificate-source.ts';
import { createIngressCounters } from './ingress/ingress-counters.ts';
import { createIngressRoutes } from './ingress/ingress-route.ts';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './net/http-client.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { createReferralsClient, type ReferralsClient } from './partner-center/referrals-client.ts';
import { createWebhooksClient, type WebhooksClient } from './partner-center/webhooks-client.ts';
import type { StorageBackend } from './store/ports.ts';
import { pruneExpired } from './store/prune-expired.ts';
import { createSqliteBackend } from './store/sqlite/create-sqlite-backend.ts';
import { databasePath } from './store/sqlite/database-path.ts';
import { whileBusy } from './store/store-errors.ts';
import { type CrmChangePoller, createCrmChangePoller } from './sync/crm-change-poller.ts';
import { createPeriodicTask } from './sync/periodic-task.ts';
import { createReconciler, type Reconciler } from './sync/reconciler.ts';
import { syncReferral } from './sync/sync-referral.ts';
import { createSyncWorkers, type SettledJob, type SyncWorkers } from './sync/sync-workers.ts';

export const PARTNER_CENTER_TOKEN_CACHE = 'msal-cache/partner-center';
/** Inbox and timeline retention is applied at start and then hourly. */
const PRUNE_INTERVAL_MS = 3_600_000;

export type Connector = {
  config: Config;
  backend: StorageBackend;
  referrals: ReferralsClient;
  webhooks: WebhooksClient;
  crm: CrmAdapter;
  tokens: { referrals: TokenProvider; webhooks: TokenProvider; crm: TokenProvider };
  /** The msal app of the Partner Center registration, for `auth login`. */
  partnerCenterApp: ReturnType<typeof createMsalPublicApp>;
  workers: SyncWorkers;
  reconciler: Reconciler;
  crmChanges: CrmChangePoller;
  app: FastifyInstance;
  metrics: ReturnType<typeof createMetrics>;
  ingressCounters: ReturnType<typeof createIngressCounters>;
  /** Binds the HTTP server and starts the workers; returns the server's base URL. */
  start(options?: { workers?: boolean }): Promise<string>;
  /** Stops taking webhooks (503), lets running syncs finish within the deadline, closes everything. */
  stop(deadlineMs?: number): Promise<void>;
};

export type ConnectorOptions = {
  logger: Logger;
  onSettled?: (event: SettledJob) => void;
  now?: () => number;
};

export async function createConnector(config: Config, options: ConnectorOptions): Promise<Connector> {
  requireKeys(
    config,
    ['partnerCenter.tenantId', 'partnerCenter.clientId', 'crm.dynamics.url'],
    'to connect Partner Center and Dynamics 365',
  );
  const { logger } = options;
  const extraCaPem = config.tls.extraCaFile ? readFileSync(config.tls.extraCaFile, 'utf8') : undefined;
  // Every client is closed on stop, so no keep-alive connection outlives the connector.
  const clients: HttpClient[] = [];
  const client = (remote: string, budget?: HttpClientOptions['budget']): HttpClient => {
    const created = createHttpClient({
      remote,
      ...(extraCaPem ? { extraCaPem } : {}),
      ...(budget ? { budget } : {}),
    });
    clients.push(created);
    return created;
  };

  mkdirSync(config.dataDir, { recursive: true });
  const backend = await whileBusy(() =>
    createSqliteBackend({
      path: databasePath(config.dataDir),
      maxAttempts: config.sync.maxAttempts,
      backoffBaseMs: config.sync.backoffBaseMs,
      backoffCapMs: config.sync.backoffCapMs,
      synchronous: config.store.synchronous,
      busyTimeoutMs: config.store.busyTimeoutMs,
      minSyncIntervalMs: config.sync.minIntervalMs,
    }),
  );
  const box = createSecretBox(config.secrets.encryptionKey);
  if (!box.encrypts) {
    logger.warn('secrets.encryptionKey is not set: the Partner Center refresh token is stored unencrypted');
  }

  const entraHttp = client('entra');
  const pc = config.partnerCenter;
  const partnerCenterRegistration = {
    authorityHost: config.entra.authorityHost,
    tenantId: pc.tenantId as string,
    clientId: pc.clientId as string,
    clientSecret: pc.clientSecret,
  };
  const partnerCenterApp = createMsalPublicApp(
    partnerCenterRegistration,
    entraHttp,
    createTokenCachePlugin(backend.store, box, PARTNER_CENTER_TOKEN_CACHE),
  );
  // Without a secret the webhook API is called with the signed-in user's token (App+User works there too).
  const partnerCenterAppOnly = pc.clientSecret
    ? createMsalApp(partnerCenterRegistration, entraHttp)
    : undefined;
  const dyn = config.crm.dynamics;
  const crmApp = dyn.clientId
    ? createMsalApp(
        {
          authorityHost: config.entra.authorityHost,
          tenantId: dyn.tenantId ?? (pc.tenantId as string),
          clientId: dyn.clientId,
          clientSecret: dyn.clientSecret,
          certificateFile: dyn.certificateFile,
          certificateThumbprint: dyn.certificateThumbprint,
        },
        entraHttp,
      )
    : partnerCenterAppOnly;
  if (!crmApp) {
    throw new ConfigError(
      [
        {
          path: 'crm.dynamics.clientId',
          problem: 'Dataverse needs an app-only (application user) registration',
        },
        {
          path: 'partnerCenter.clientSecret',
          problem: 'or the Partner Center app with a secret, reused for Dataverse',
        },
      ],
      'Dataverse credentials',
    );
  }
  const tokens = {
    referrals: createDelegatedTokenProvider(partnerCenterApp, pc.referralsAudience),
    webhooks: partnerCenterAppOnly
      ? createAppTokenProvider(partnerCenterAppOnly, pc.webhooksAudience)
      : createDelegatedTokenProvider(partnerCenterApp, pc.webhooksAudience),
    crm: createAppTokenProvider(crmApp, dyn.url as string),
  };

  const referrals = createReferralsClient({
    baseUrl: pc.referralsUrl,
    http: client('referrals'),
    tokens: tokens.referrals,
  });
  const webhooks = createWebhooksClient({
    baseUrl: pc.webhooksUrl,
    http: client('webhooks'),
    tokens: tokens.webhooks,
  });
  const crm = createDynamicsAdapter({
    url: dyn.url as string,
    apiVersion: dyn.apiVersion,
    referralIdColumn: dyn.referralIdColumn,
    referralUrlColumn: dyn.referralUrlColumn,
    // Stay under the org's service-protection limits instead of provoking 429s.
    http: client('dataverse', {
      concurrency: dyn.limits.concurrency,
      windowMs: dyn.limits.windowSeconds * 1000,
      requestsPerWindow: dyn.limits.requestsPerWindow,
      executionMsPerWindow: dyn.limits.executionSecondsPerWindow * 1000,
    }),
    tokens: tokens.crm,
  });

  const metrics = createMetrics();
  const workers = createSyncWorkers({
    queue: backend.queue,
    sync: (job) =>
      syncReferral(
        job.referralId,
        { referrals, crm, store: backend.store, writeBack: config.sync.writeBack },
        { leadChanged: job.reason === 'crm-change' },
      ),
    concurrency: config.sync.concurrency,
    leaseMs: config.sync.leaseSeconds * 1000,
    workerId: `worker-${process.pid}`,
    logger,
    onSettled: (event) => {
      if (event.outcome === 'synced') {
        metrics.syncs.inc({ outcome: 'synced', code: 'ok' });
        metrics.syncSeconds.observe(
          (event.result.leadWrittenAt - event.job.firstEnqueuedAt.getTime()) / 1000,
        );
      } else {
        metrics.syncs.inc({ outcome: event.outcome, code: event.code });
      }
      options.onSettled?.(event);
    },
  });

  const reconciler = createReconciler({
    referrals,
    store: backend.store,
    queue: backend.queue,
    logger,
    intervalMs: config.sync.reconcileIntervalSeconds * 1000,
    lookbackMs: config.sync.reconcileLookbackHours * 3_600_000,
  });

  const crmChanges = createCrmChangePoller({
    crm,
    store: backend.store,
    queue: backend.queue,
    logger,
    intervalMs: config.sync.crmPollSeconds * 1000,
  });

  const certificates = createCertificateSource({
    allowedHosts: pc.certificateHosts,
    issuerHosts: pc.issuerCertificateHosts,
    ...(pc.trustedRootsFile ? { trustedRootsPem: readFileSync(pc.trustedRootsFile, 'utf8') } : {}),
    ...(pc.intermediatesFile ? { intermediatesPem: readFileSync(pc.intermediatesFile, 'utf8') } : {}),
    ...(extraCaPem ? { downloadCaPem: extraCaPem } : {}),
  });
  const ingressCounters = createIngressCounters();
  let accepting = false;
  const app = await createHttpApp({
    logger,
    metrics,
    queue: backend.queue,
    isAccepting: () => accepting,
    ingress: createIngressRoutes({
      verifier: { lookupCertificate: certificates.lookup, now: options.now ?? Date.now },
      accept: async (entry) => {
        await backend.store.recordInbox({
          ...entry,
          receivedAt: entry.receivedAt.toISOString(),
        });
      },
      bodyLimit: config.server.bodyLimitBytes,
      counters: ingressCounters,
    }),
  });

  const pruner = createPeriodicTask({
    run: (signal) =>
      pruneExpired(
        backend.store,
        { inboxDays: config.store.inboxRetentionDays, timelineDays: config.store.timelineRetentionDays },
        { signal },
      ),
    intervalMs: PRUNE_INTERVAL_MS,
    runAtStart: true,
    onResult: (pruned) => {
      if (pruned.inbox + pruned.timeline > 0) logger.info(pruned, 'pruned inbox and timeline past retention');
    },
    onError: (error) => logger.warn({ err: error }, 'pruning failed; next pass retries'),
  });

  let workersStarted = false;
  return {
    config,
    backend,
    referrals,
    webhooks,
    crm,
    tokens,
    partnerCenterApp,
    workers,
    reconciler,
    crmChanges,
    app,
    metrics,
    ingressCounters,
    async start(startOptions = {}) {
      await whileBusy(() => backend.queue.recoverExpiredLeases());
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      accepting = true;
      if (startOptions.workers !== false) {
        workers.start();
        reconciler.start();
        crmChanges.start();
        pruner.start();
        workersStarted = true;
      }
      return address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    },
    async stop(deadlineMs = 10_000) {
      accepting = false;
      if (workersStarted)
        await Promise.all([reconciler.stop(), crmChanges.stop(), pruner.stop(), workers.stop(deadlineMs)]);
      await app.close();
      await Promise.allSettled([certificates.close(), ...clients.map((http) => http.close())]);
      await backend.close();
    },
  };
}
