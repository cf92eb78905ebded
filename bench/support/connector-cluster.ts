/**
 * Connector processes behind the demo's round-robin load balancer, registered as the webhook URL: N
 * instances on one PostgreSQL schema (made for the cluster, dropped at close), or one on SQLite behind
 * the same balancer so that the two stores are compared on the same path. Every instance runs with the
 * default settings; the first signs in and registers, the others find the sign-in in the shared store.
 */
import { randomBytes } from 'node:crypto';
import type { ServiceProtectionLimits } from '@referral-connector/emulators';
import pg from 'pg';
import { type RoundRobinForwarder, startRoundRobinForwarder } from '../../demo/round-robin-forwarder.ts';
import { type BenchWorld, dataverseLimitsConfig, startBenchWorld } from './bench-world.ts';
import { type ConnectorChild, startConnector } from './connector-child.ts';
import type { ConnectorStats, SettledWire } from './connector-protocol.ts';
import { withPostgres } from './postgres-client.ts';
import type { ScenarioContext } from './scenario-context.ts';

export type ClusterStore = { kind: 'sqlite' } | { kind: 'postgres'; url: string; instances: number };

export type ConnectorCluster = {
  name: string;
  bench: BenchWorld;
  forwarder: RoundRobinForwarder;
  /** Instances still running (a killed one is taken out). */
  readonly children: readonly ConnectorChild[];
  /** The schema on PostgreSQL. */
  schema: string | undefined;
  /** Every settled sync of any instance, with when the harness received it; returns an unsubscribe. */
  onSettled(listener: (event: SettledWire, receivedAt: number) => void): () => void;
  stats(): Promise<ConnectorStats[]>;
  /** SIGKILLs one instance; the balancer then finds its port closed and hands its share to the others. */
  kill(child: ConnectorChild): Promise<void>;
  close(): Promise<void>;
};

export async function startConnectorCluster(
  ctx: ScenarioContext,
  name: string,
  options: {
    seed: string;
    store: ClusterStore;
    dataverseLimits: Partial<ServiceProtectionLimits>;
    dispatcherConcurrency?: number;
  },
): Promise<ConnectorCluster> {
  const bench = await startBenchWorld({
    seed: options.seed,
    signer: ctx.signer,
    workDir: ctx.workDir,
    dataverseLimits: options.dataverseLimits,
    ...(options.dispatcherConcurrency ? { dispatcherConcurrency: options.dispatcherConcurrency } : {}),
  });
  const forwarder = await startRoundRobinForwarder();
  const { store } = options;
  const schema = store.kind === 'postgres' ? `bench_${randomBytes(6).toString('hex')}` : undefined;
  const children: ConnectorChild[] = [];
  const listeners = new Set<(event: SettledWire, receivedAt: number) => void>();
  const close = async () => {
    for (const child of children.splice(0))
      ctx.recordConnector(name, await child.stop(), { nonDefault: true });
    await forwarder.close();
    await bench.close();
    if (store.kind === 'postgres' && schema) await dropSchema(store.url, schema);
  };
  try {
    const shared = {
      ...dataverseLimitsConfig(options.dataverseLimits),
      ...(store.kind === 'postgres'
        ? {
            'store.url': store.url,
            'store.schema': schema,
            'secrets.encryptionKey': randomBytes(32).toString('base64'),
            // Each keeps to its share of the CRM's budgets, as the README tells operators (lifted here).
            'crm.instanceShare': 1 / store.instances,
          }
        : {}),
    };
    const start = (index: number) => {
      const setup = bench.connectorSetup(`${name}-${index + 1}`, shared);
      return startConnector({
        module: ctx.connectorModule,
        overrides: setup.overrides,
        login: index === 0,
        workers: true,
        registerWebhook: index === 0,
        webhookUrl: forwarder.url,
        logFile: setup.logFile,
      });
    };
    children.push(await start(0));
    const count = store.kind === 'postgres' ? store.instances : 1;
    children.push(...(await Promise.all(Array.from({ length: count - 1 }, (_, i) => start(i + 1)))));
    forwarder.setUpstreams(children.map((child) => child.url));
    for (const child of children)
      child.onSettled((event) => {
        const receivedAt = Date.now();
        for (const listener of listeners) listener(event, receivedAt);
      });
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }

  return {
    name,
    bench,
    forwarder,
    children,
    schema,
    onSettled(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => Promise.all(children.map((child) => child.stats())),
    async kill(child) {
      await child.kill();
      children.splice(children.indexOf(child), 1);
    },
    close,
  };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  await withPostgres(url, (client) =>
    client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`),
  );
}
