/**
 * Builds a running connector from its configuration: store and queue, Partner Center access, the CRM
 * adapter `crm.kind` names, the workers, the periodic passes and the HTTP server. `serve` and `demo` use
 * it; commands that need less build only their parts (src/wiring/). Nothing here knows whether the
 * remotes are real or emulated.
 */
import type { FastifyInstance } from 'fastify';
import { type ConsoleServer, createConsoleServer } from './admin/console-server.ts';
import { rememberReferrals } from './admin/remember-referrals.ts';
import type { createMsalPublicApp } from './auth/msal-app.ts';
import type { Config } from './config/config-schema.ts';
import { readConfiguredPem } from './config/read-pem-file.ts';
import { createCrmAdapter } from './crm/create-crm-adapter.ts';
import type { CrmAdapter } from './crm/crm-adapter.ts';
import { createHttpApp } from './http/create-http-app.ts';
import { createCertificateSource } from './ingress/certificate-source.ts';
import { createIngressCounters } from './ingress/ingress-counters.ts';
import { createIngressRoutes } from './ingress/ingress-route.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics, exposeIngressCounters } from './observability/metrics.ts';
import type { ReferralsClient } from './partner-center/referrals-client.ts';
import type { WebhooksClient } from './partner-center/webhooks-client.ts';
import type { StorageBackend } from './store/ports.ts';
import { pruneExpired } from './store/prune-expired.ts';
import { type CrmChangePoller, createCrmChangePoller } from './sync/crm-change-poller.ts';
import { createPeriodicTask } from './sync/periodic-task.ts';
import { createReconciler, type Reconciler } from './sync/reconciler.ts';
import type { SettledJob } from './sync/sync-workers.ts';
import { openBackend } from './wiring/open-backend.ts';
import { createPartnerCenterAccess, type PartnerCenterAccess } from './wiring/partner-center-access.ts';
import { createRemoteClients } from './wiring/remote-clients.ts';
import { type StartedSyncWorkers, startSyncWorkers } from './wiring/start-sync-workers.ts';

/** Inbox and timeline retention is applied at start and then hourly. */
const PRUNE_INTERVAL_MS = 3_600_000;

export type Connector = {
  config: Config;
  backend: StorageBackend;
  referrals: ReferralsClient;
  webhooks: WebhooksClient;
  crm: CrmAdapter;
  /** The msal app of the Partner Center registration, for `auth login`. */
  partnerCenterApp: ReturnType<typeof createMsalPublicApp>;
  reconciler: Reconciler;
  crmChanges: CrmChangePoller;
  app: FastifyInstance;
  /** The operator console on its own listener (`admin.*`); undefined when `admin.enabled` is false. */
  admin: ConsoleServer | undefined;
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
  const { logger } = options;
  const clients = createRemoteClients(config);
  const backend = await openBackend(config);
  let partnerCenter: PartnerCenterAccess;
  let crm: CrmAdapter;
  try {
    partnerCenter = createPartnerCenterAccess(config, { secrets: backend.store, clients, logger });
    const { tenantId, clientId, clientSecret } = config.partnerCenter;
    crm = createCrmAdapter(config.crm, {
      authorityHost: config.entra.authorityHost,
      partnerCenterApp: { tenantId, clientId, clientSecret },
      httpClient: clients.client,
      entraHttp: clients.entra,
    });
  } catch (error) {
    // A configuration error leaves nothing open behind it.
    await Promise.allSettled([clients.closeAll(), backend.close()]);
    throw error;
  }
  const { referrals, webhooks } = partnerCenter;
  const pc = config.partnerCenter;

  const metrics = createMetrics();
  // Each referral a sync reads is also recorded for the console's pages.
  const syncReferrals = config.admin.enabled
    ? rememberReferrals(referrals, backend.store, { logger })
    : referrals;
  /** What serve's workers report for each settled sync: the metrics, then the caller's listener. */
  const onSettled = (event: SettledJob) => {
    if (event.outcome === 'synced') {
      metrics.syncs.inc({ outcome: 'synced', code: 'ok' });
      if (event.result.leadWrittenAt !== null)
        metrics.syncSeconds.observe(
          (event.result.leadWrittenAt - event.job.firstEnqueuedAt.getTime()) / 1000,
        );
    } else {
      metrics.syncs.inc({ outcome: event.outcome, code: event.code });
    }
    options.onSettled?.(event);
  };
  let workers: StartedSyncWorkers | undefined;

  const reconciler = createReconciler({
    referrals,
    store: backend.store,
    queue: backend.queue,
    logger,
    intervalMs: config.sync.reconcileIntervalSeconds * 1000,
    lookbackMs: config.sync.reconcileLookbackHours * 3_600_000,
    select: config.sync.select,
    lead: backend.leadership('reconciler'),
  });

  const crmChanges = createCrmChangePoller({
    crm,
    store: backend.store,
    queue: backend.queue,
    logger,
    intervalMs: config.sync.crmPollSeconds * 1000,
    lead: backend.leadership('crm-changes'),
  });

  const certificates = createCertificateSource({
    allowedHosts: pc.certificateHosts,
    issuerHosts: pc.issuerCertificateHosts,
    ...optional('trustedRootsPem', readConfiguredPem(config, 'partnerCenter.trustedRootsFile')?.pem),
    ...optional('intermediatesPem', readConfiguredPem(config, 'partnerCenter.intermediatesFile')?.pem),
    ...(clients.extraCaPem ? { downloadCaPem: clients.extraCaPem } : {}),
  });
  const ingressCounters = createIngressCounters();
  exposeIngressCounters(metrics, ingressCounters);
  let accepting = false;
  const app = await createHttpApp({
    logger,
    metrics,
    trustProxy: config.server.trustProxy,
    queue: backend.queue,
    isAccepting: () => accepting,
    ingress: createIngressRoutes({
      verifier: { lookupCertificate: certificates.lookup, now: options.now ?? Date.now },
      inbox: backend.store,
      bodyLimit: config.server.bodyLimitBytes,
      counters: ingressCounters,
    }),
  });

  const pruner = createPeriodicTask({
    lead: backend.leadership('pruning'),
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

  const admin = config.admin.enabled
    ? await createConsoleServer({
        config,
        store: backend.store,
        queue: backend.queue,
        referrals,
        webhooks,
        crm,
        partnerCenterApp: partnerCenter.app,
        entraHttp: clients.entra,
        logger,
        webhookUrl: () =>
          config.server.publicUrl
            ? `${config.server.publicUrl.replace(/\/+$/, '')}/webhooks/partner-center`
            : undefined,
      })
    : undefined;

  return {
    config,
    backend,
    referrals,
    webhooks,
    crm,
    partnerCenterApp: partnerCenter.app,
    reconciler,
    crmChanges,
    app,
    admin,
    metrics,
    ingressCounters,
    async start(startOptions = {}) {
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      accepting = true;
      if (admin) logger.info({ url: await admin.start() }, 'operator console serving');
      if (startOptions.workers !== false) {
        // Lease recovery, sync.select, the mapping and the heartbeat `backfill` looks for, as in every
        // process that works the queue.
        workers = await startSyncWorkers(
          config,
          { backend, referrals: syncReferrals, crm },
          { logger, kind: 'serve', onSettled },
        );
        reconciler.start();
        crmChanges.start();
        pruner.start();
      }
      return address;
    },
    async stop(deadlineMs = 10_000) {
      accepting = false;
      if (workers)
        await Promise.all([reconciler.stop(), crmChanges.stop(), pruner.stop(), workers.stop(deadlineMs)]);
      await Promise.all([app.close(), admin?.close()]);
      await Promise.allSettled([certificates.close(), clients.closeAll()]);
      await backend.close();
    },
  };
}

/** `{ [key]: value }` when there is a value, `{}` otherwise (for optional options). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
