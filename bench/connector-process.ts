/**
 * The connector under test, in a process of its own: built with `createConnector` exactly as `serve`
 * builds it, configured by the harness (env `BENCH_CONNECTOR_OPTIONS`), logging to stderr at the
 * configured level as `serve` does. It reports readiness, settled syncs and its memory over IPC.
 */
import pg from 'pg';
import { loginWithDeviceCode } from '../src/auth/device-code-login.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createConnector } from '../src/connector.ts';
import { createLogger } from '../src/observability/logger.ts';
import { registerWebhook } from '../src/partner-center/register-webhook.ts';
import {
  CONNECTOR_OPTIONS_ENV,
  type ConnectorProcessOptions,
  type ConnectorStats,
  type FromConnector,
  type SettledWire,
  type ToConnector,
} from './support/connector-protocol.ts';

const send = (message: FromConnector) => process.send?.(message);

/**
 * What the connector costs PostgreSQL: every statement goes through a node-postgres client's query()
 * (pooled or the LISTEN session), counted here as it is sent. pg_stat_statements is not installed on the
 * bench machines, and the server's own counters are shared with whatever else uses it.
 */
let postgresStatements = 0;
/** By the statement's first 60 characters, whitespace folded: which ones a sync costs. */
const statementsByText = new Map<string, number>();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  postgresStatements += 1;
  const [first] = args;
  const text = typeof first === 'string' ? first : String((first as { text?: unknown })?.text ?? '?');
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 60);
  statementsByText.set(key, (statementsByText.get(key) ?? 0) + 1);
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

async function main(): Promise<void> {
  const options = JSON.parse(process.env[CONNECTOR_OPTIONS_ENV] ?? '{}') as ConnectorProcessOptions;
  const config = loadConfig({ env: {}, ignoreDefaultFile: true, overrides: options.overrides });
  const configured = performance.now();
  const logger = createLogger({ level: config.log.level });
  let settled: SettledWire[] = [];
  const connector = await createConnector(config, {
    logger,
    onSettled: (event) => {
      settled.push(
        event.outcome === 'synced'
          ? {
              referralId: event.job.referralId,
              outcome: 'synced',
              lead: event.result.lead,
              leadWrittenAt: event.result.leadWrittenAt,
              firstEnqueuedAt: event.job.firstEnqueuedAt.getTime(),
            }
          : {
              referralId: event.job.referralId,
              outcome: event.outcome,
              code: event.code,
              firstEnqueuedAt: event.job.firstEnqueuedAt.getTime(),
            },
      );
    },
  });
  const created = performance.now();
  if (options.login) {
    await loginWithDeviceCode(connector.partnerCenterApp, config.partnerCenter.referralsAudience, () => {});
  }
  const loggedIn = performance.now();
  const url = await connector.start({ workers: options.workers });
  const listening = performance.now();
  if (options.registerWebhook) {
    await registerWebhook(
      connector.webhooks,
      {
        webhookUrl: `${options.webhookUrl ?? url}/webhooks/partner-center`,
        webhookEvents: [...config.partnerCenter.webhookEvents],
        signatureInMsSignatureHeader: false,
      },
      { overwriteForeign: true },
    );
  }
  const registered = performance.now();

  // Batched so that thousands of syncs a second cost a few IPC messages, not thousands.
  const flush = () => {
    if (settled.length === 0) return;
    send({ type: 'settled', events: settled });
    settled = [];
  };
  const flusher = setInterval(flush, 20);

  const stats = async (): Promise<ConnectorStats> => {
    const memory = process.memoryUsage();
    const usage = process.resourceUsage();
    const queue = await connector.backend.queue.stats();
    return {
      rssBytes: memory.rss,
      maxRssBytes: usage.maxRSS * 1024,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
      arrayBuffersBytes: memory.arrayBuffers,
      queue: { pending: queue.pending, due: queue.due, running: queue.running, dead: queue.dead },
      cpuUserMs: usage.userCPUTime / 1000,
      cpuSystemMs: usage.systemCPUTime / 1000,
      postgresStatements,
      postgresStatementsByText: Object.fromEntries(statementsByText),
    };
  };

  process.on('message', (raw) => {
    const message = raw as ToConnector;
    if (message.type === 'stats') {
      void stats().then((s) => send({ type: 'stats', stats: s }));
    } else if (message.type === 'stop') {
      void (async () => {
        const final = await stats();
        await connector.stop(5_000);
        clearInterval(flusher);
        flush();
        // Exiting (rather than waiting for handles to drain) also writes a --cpu-prof profile at once.
        process.send?.({ type: 'stopped', stats: final } satisfies FromConnector, () => process.exit(0));
      })();
    }
  });

  send({
    type: 'ready',
    url,
    phases: { configured, created, loggedIn, listening, registered },
  });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.send?.({ type: 'failed', message } satisfies FromConnector, () => process.exit(1));
});
