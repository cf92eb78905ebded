/**
 * Scenario 6 — scale-out on PostgreSQL. Event → lead throughput and latency with 1, 2 and 3 connector
 * instances sharing one PostgreSQL schema, and one instance on SQLite beside them, all behind the same
 * round-robin load balancer and at the same offered load: a burst above what one instance keeps up
 * with, Dataverse's limits lifted (concurrency too) so the emulator limits nothing. On two cores more
 * processes add no CPU, so the question is what coordinating through the database costs: the goal is
 * that 2 and 3 instances keep ≥ 0.9× the throughput of one. The configurations are measured in turn,
 * run after run, so that the machine's swings fall on all of them alike.
 *
 * Then failover: 3 instances under a steady load with 200 ms added to every Dataverse call (so syncs
 * are in flight), one SIGKILLed; the jobs it held are read from the database at once, and the figure is
 * the time until the last of them has synced on another instance (goal ≤ 15 s).
 *
 * And the database's own cost: statements the instances sent (counted on node-postgres's client in each
 * connector process) per sync completed, webhooks and heartbeats included.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceProtectionLimits } from '@referral-connector/emulators';
import { LIFTED_DATAVERSE_LIMITS } from '../support/bench-world.ts';
import { type ConnectorCluster, startConnectorCluster } from '../support/connector-cluster.ts';
import type { ConnectorStats } from '../support/connector-protocol.ts';
import { backendCpuMs, cpuSpentMs } from '../support/postgres-backend-cpu.ts';
import { probePostgres, withPostgres } from '../support/postgres-client.ts';
import type { ScenarioContext } from '../support/scenario-context.ts';
import { atSteadyRate, waitSettled } from '../support/settle.ts';
import { median, percentile, round } from '../support/stats.ts';

export const SCALE_OUT_POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Above what one instance sustains on these machines (~200–300 a second), so each drains a backlog. */
export const SCALE_OUT_RATE_PER_SECOND = 400;
const FAILOVER_RATE_PER_SECOND = 100;
const FAILOVER_DATAVERSE_LATENCY_MS = 200;
/**
 * Partner Center's dispatcher keeps 8 deliveries in flight by default (an emulator choice: the real
 * figure is unknown); at 8, the ingress round trip, not the connector, set the pace of every
 * configuration here (~40–60 syncs a second on PostgreSQL in quick runs, all of it waiting for delivery).
 */
const DISPATCHER_CONCURRENCY = 64;
/** Nothing the emulator enforces binds: requests, execution time and requests in flight all lifted. */
const UNLIMITED: Partial<ServiceProtectionLimits> = {
  ...LIFTED_DATAVERSE_LIMITS,
  concurrentRequests: 10_000,
};

export type ScaleOutRun = {
  events: number;
  /** Referrals whose lead was written. */
  measured: number;
  /** Leads written per second, from the first create to the last lead written. */
  eventsPerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** The latency in two parts, p50 / p99: create → job committed (delivery and ingress), job → lead. */
  toJobMs: { p50: number | null; p99: number | null };
  jobToLeadMs: { p50: number | null; p99: number | null };
  sendSeconds: number;
  /** First create → last lead written. */
  drainSeconds: number;
  /** Syncs completed over the run, by any instance. */
  syncs: number;
  /** Statements the instances sent to PostgreSQL over the run (null on SQLite). */
  statements: number | null;
  /** The most frequent statements of the run, by their first 60 characters, per completed sync. */
  statementsPerSync: Record<string, number> | null;
  /**
   * CPU milliseconds per completed sync over the run: the connector processes, PostgreSQL's backends
   * serving them (null on SQLite, or when the server is not on this machine), the harness (emulators,
   * dispatcher, load balancer). On two cores, 2,000 ms of CPU a second is all there is.
   */
  cpuMsPerSync: { connectors: number | null; database: number | null; harness: number | null };
  /** Webhooks each instance answered over the run. */
  webhooksByInstance: number[];
};

export type ScaleOutVariant = {
  store: 'sqlite' | 'postgres';
  instances: number;
  eventsPerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Statements per completed sync (PostgreSQL), median of the runs. */
  queriesPerSync: number | null;
  /** Medians of the runs' `cpuMsPerSync`. */
  cpuMsPerSync: { connectors: number | null; database: number | null; harness: number | null };
  runs: ScaleOutRun[];
};

export type FailoverFigures = {
  instances: number;
  /** Running jobs the killed instance held, read from the database right after the kill. */
  strandedJobs: number;
  /** SIGKILL → the first of them synced elsewhere. */
  firstResumedSeconds: number | null;
  /** SIGKILL → the last of them synced elsewhere: the failover time. */
  lastResumedSeconds: number | null;
  /** Deliveries the balancer could hand to nobody during the run (should be 0: two instances live). */
  unanswered: { noUpstream: number; upstreamFailed: number };
};

export type ScaleOutFigures = {
  eventsPerSecond1: number | null;
  eventsPerSecond2: number | null;
  eventsPerSecond3: number | null;
  /** Throughput of 2 and 3 instances ÷ that of one, same load (goal ≥ 0.9). */
  ratio2: number | null;
  ratio3: number | null;
  failoverSeconds: number | null;
  /** Statements per sync with 3 instances (each configuration's is in `variants`). */
  queriesPerSync: number | null;
  /** How statements were counted. */
  queriesCountedBy: string;
  ratePerSecond: number;
  eventsPerRun: number;
  variants: {
    sqlite: ScaleOutVariant;
    postgres1: ScaleOutVariant;
    postgres2: ScaleOutVariant;
    postgres3: ScaleOutVariant;
  };
  failover: FailoverFigures | null;
};

type VariantName = keyof ScaleOutFigures['variants'];

export async function runScaleOut(ctx: ScenarioContext): Promise<ScaleOutFigures | null> {
  const unavailable = await probePostgres(SCALE_OUT_POSTGRES_URL);
  if (unavailable) {
    ctx.log(`scale-out skipped: no PostgreSQL (${unavailable}); set BENCH_POSTGRES_URL`);
    return null;
  }
  const events = ctx.quick ? 800 : 2_000;
  const plan: Array<[VariantName, Parameters<typeof startConnectorCluster>[2]['store']]> = [
    ['sqlite', { kind: 'sqlite' }],
    ['postgres1', { kind: 'postgres', url: SCALE_OUT_POSTGRES_URL, instances: 1 }],
    ['postgres2', { kind: 'postgres', url: SCALE_OUT_POSTGRES_URL, instances: 2 }],
    ['postgres3', { kind: 'postgres', url: SCALE_OUT_POSTGRES_URL, instances: 3 }],
  ];
  const clusters = new Map<VariantName, ConnectorCluster>();
  const runs = new Map<VariantName, ScaleOutRun[]>(plan.map(([name]) => [name, []]));
  let failover: FailoverFigures | null = null;
  try {
    for (const [name, store] of plan) {
      const cluster = await startConnectorCluster(ctx, `scale-out-${name}`, {
        seed: `bench-scale-out-${name}`,
        store,
        dataverseLimits: UNLIMITED,
        dispatcherConcurrency: DISPATCHER_CONCURRENCY,
      });
      clusters.set(name, cluster);
      await warmUp(cluster);
    }
    for (let run = 1; run <= ctx.runs; run++) {
      for (const [name] of plan) {
        const cluster = clusters.get(name) as ConnectorCluster;
        const result = await measureRun(cluster, events, SCALE_OUT_RATE_PER_SECOND);
        runs.get(name)?.push(result);
        ctx.log(
          `scale-out ${name} run ${run}: ${result.eventsPerSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms ` +
            `(to job ${result.toJobMs.p50} / ${result.toJobMs.p99}, job to lead ${result.jobToLeadMs.p50} / ${result.jobToLeadMs.p99}) ` +
            `(${result.measured}/${result.events} leads, drained in ${result.drainSeconds} s; ` +
            `webhooks by instance ${result.webhooksByInstance.join('/')}` +
            `${result.statements === null ? '' : `; ${result.statements} statements for ${result.syncs} syncs`}; ` +
            `CPU ms per sync: connectors ${result.cpuMsPerSync.connectors}, database ${result.cpuMsPerSync.database}, harness ${result.cpuMsPerSync.harness})`,
        );
      }
    }
    // The failover runs on the 3 instances alone: the other clusters' idle processes go first.
    for (const name of ['sqlite', 'postgres1', 'postgres2'] as const) {
      await clusters.get(name)?.close();
      clusters.delete(name);
    }
    failover = await measureFailover(ctx, clusters.get('postgres3') as ConnectorCluster);
  } finally {
    for (const cluster of clusters.values()) await cluster.close();
  }

  const variant = (name: VariantName, store: 'sqlite' | 'postgres', instances: number): ScaleOutVariant => {
    const list = runs.get(name) ?? [];
    return {
      store,
      instances,
      eventsPerSecond: round(median(list.map((r) => r.eventsPerSecond)), 0),
      p50Ms: round(median(list.map((r) => r.p50Ms))),
      p99Ms: round(median(list.map((r) => r.p99Ms))),
      queriesPerSync: round(
        median(list.map((r) => (r.statements === null || r.syncs === 0 ? null : r.statements / r.syncs))),
        1,
      ),
      cpuMsPerSync: {
        connectors: round(median(list.map((r) => r.cpuMsPerSync.connectors)), 2),
        database: round(median(list.map((r) => r.cpuMsPerSync.database)), 2),
        harness: round(median(list.map((r) => r.cpuMsPerSync.harness)), 2),
      },
      runs: list,
    };
  };
  const variants = {
    sqlite: variant('sqlite', 'sqlite', 1),
    postgres1: variant('postgres1', 'postgres', 1),
    postgres2: variant('postgres2', 'postgres', 2),
    postgres3: variant('postgres3', 'postgres', 3),
  };
  const ratio = (n: number | null) => {
    const one = variants.postgres1.eventsPerSecond;
    return n === null || !one ? null : round(n / one, 2);
  };
  return {
    eventsPerSecond1: variants.postgres1.eventsPerSecond,
    eventsPerSecond2: variants.postgres2.eventsPerSecond,
    eventsPerSecond3: variants.postgres3.eventsPerSecond,
    ratio2: ratio(variants.postgres2.eventsPerSecond),
    ratio3: ratio(variants.postgres3.eventsPerSecond),
    failoverSeconds: failover?.lastResumedSeconds ?? null,
    queriesPerSync: variants.postgres3.queriesPerSync,
    queriesCountedBy:
      'statements sent by node-postgres clients (pooled and LISTEN session) in every connector process, ' +
      'webhooks, heartbeats and periodic passes included, over the syncs completed in the same runs',
    ratePerSecond: SCALE_OUT_RATE_PER_SECOND,
    eventsPerRun: events,
    variants,
    failover,
  };
}

/** Two seconds at the measured rate: every instance's hot paths compiled, tokens and certificates cached. */
async function warmUp(cluster: ConnectorCluster): Promise<void> {
  const { world } = cluster.bench;
  await atSteadyRate(2 * SCALE_OUT_RATE_PER_SECOND, SCALE_OUT_RATE_PER_SECOND, () =>
    world.referrals.create({}, { as: 'microsoft' }),
  );
  const [first] = cluster.children;
  if (!first || !(await waitSettled(world, first, 120_000)))
    throw new Error(`${cluster.name} warm-up did not settle`);
}

async function measureRun(cluster: ConnectorCluster, events: number, rate: number): Promise<ScaleOutRun> {
  const { world } = cluster.bench;
  const createdAt = new Map<string, number>();
  const latencies = new Map<string, number>();
  const toJob: number[] = [];
  const jobToLead: number[] = [];
  let lastLeadAt = 0;
  let syncs = 0;
  const unsubscribe = cluster.onSettled((event) => {
    if (event.outcome !== 'synced') return;
    syncs += 1;
    if (event.leadWrittenAt === undefined) return;
    const key = event.referralId.toLowerCase();
    const t0 = createdAt.get(key);
    if (t0 === undefined || latencies.has(key)) return;
    latencies.set(key, event.leadWrittenAt - t0);
    toJob.push(event.firstEnqueuedAt - t0);
    jobToLead.push(event.leadWrittenAt - event.firstEnqueuedAt);
    lastLeadAt = Math.max(lastLeadAt, event.leadWrittenAt);
  });
  const before = await cluster.stats();
  const databaseBefore = cluster.schema ? await backendCpuMs(SCALE_OUT_POSTGRES_URL, cluster.schema) : null;
  const harnessBefore = process.cpuUsage();
  const answeredBefore = cluster.forwarder.answered();
  const started = Date.now();
  const { elapsedMs } = await atSteadyRate(events, rate, () => {
    const t0 = Date.now();
    const referral = world.referrals.create({}, { as: 'microsoft' });
    createdAt.set(referral.id.toLowerCase(), t0);
  });
  // No polling of the instances while they drain (each poll is statements too): the leads arrive over
  // IPC, and the echoes of the write-backs are in once Partner Center has nothing left to deliver.
  const deadline = Date.now() + 300_000;
  while (latencies.size < events && Date.now() < deadline) await sleep(50);
  await world.webhooks.idle();
  await sleep(200);
  unsubscribe();
  const harnessUsed = process.cpuUsage(harnessBefore);
  const after = await cluster.stats();
  const databaseAfter = cluster.schema ? await backendCpuMs(SCALE_OUT_POSTGRES_URL, cluster.schema) : null;
  const cpuMs = (list: readonly ConnectorStats[]) =>
    list.reduce((sum, stats) => sum + stats.cpuUserMs + stats.cpuSystemMs, 0);
  const perSync = (ms: number | null) => (ms === null || syncs === 0 ? null : round(ms / syncs, 2));
  const statements = cluster.schema
    ? after.reduce((sum, s) => sum + s.postgresStatements, 0) -
      before.reduce((sum, s) => sum + s.postgresStatements, 0)
    : null;
  const byText = new Map<string, number>();
  for (const [sign, list] of [
    [1, after],
    [-1, before],
  ] as const)
    for (const stats of list)
      for (const [text, n] of Object.entries(stats.postgresStatementsByText))
        byText.set(text, (byText.get(text) ?? 0) + sign * n);
  const statementsPerSync =
    cluster.schema && syncs > 0
      ? Object.fromEntries(
          [...byText]
            .filter(([, n]) => n > 0)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 12)
            .map(([text, n]) => [text, round(n / syncs, 2) ?? 0]),
        )
      : null;
  const samples = [...latencies.values()];
  const drainSeconds = ((lastLeadAt || Date.now()) - started) / 1000;
  return {
    events,
    measured: samples.length,
    eventsPerSecond: samples.length > 0 ? round(samples.length / drainSeconds, 0) : null,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    toJobMs: { p50: percentile(toJob, 50), p99: percentile(toJob, 99) },
    jobToLeadMs: { p50: percentile(jobToLead, 50), p99: percentile(jobToLead, 99) },
    sendSeconds: round(elapsedMs / 1000, 2) ?? 0,
    drainSeconds: round(drainSeconds, 2) ?? 0,
    syncs,
    statements,
    statementsPerSync,
    cpuMsPerSync: {
      connectors: perSync(cpuMs(after) - cpuMs(before)),
      database: perSync(databaseBefore && databaseAfter ? cpuSpentMs(databaseBefore, databaseAfter) : null),
      harness: perSync((harnessUsed.user + harnessUsed.system) / 1000),
    },
    webhooksByInstance: cluster.forwarder.answered().map((n, i) => n - (answeredBefore[i] ?? 0)),
  };
}

async function measureFailover(ctx: ScenarioContext, cluster: ConnectorCluster): Promise<FailoverFigures> {
  const { world } = cluster.bench;
  const victim = cluster.children.at(-1);
  if (!victim || !cluster.schema || cluster.children.length < 2)
    throw new Error('failover needs 2+ instances');
  const schema = cluster.schema;
  world.traffic.setFaults({ dataverse: { latencyMs: FAILOVER_DATAVERSE_LATENCY_MS } });
  const syncedAt = new Map<string, number>();
  const unsubscribe = cluster.onSettled((event, receivedAt) => {
    if (event.outcome === 'synced') syncedAt.set(event.referralId.toLowerCase(), receivedAt);
  });
  const unansweredBefore = cluster.forwarder.unanswered();
  const load = atSteadyRate(FAILOVER_RATE_PER_SECOND * 30, FAILOVER_RATE_PER_SECOND, () =>
    world.referrals.create({}, { as: 'microsoft' }),
  );
  try {
    await sleep(8_000);
    const killedAt = Date.now();
    await cluster.kill(victim);
    // The dead process can change nothing now: what it held is exactly what is running under its pid.
    const stranded = await withPostgres(`${SCALE_OUT_POSTGRES_URL}`, async (client) => {
      const { rows } = await client.query<{ referral_id: string }>(
        `SELECT j.referral_id FROM ${schema}.jobs j JOIN ${schema}.instances i ON i.id = j.instance_id
         WHERE j.state = 'running' AND i.pid = $1`,
        [victim.pid],
      );
      return rows.map((row) => row.referral_id.toLowerCase());
    });
    for (const key of stranded) syncedAt.delete(key);
    const deadline = killedAt + 120_000;
    while (stranded.some((key) => !syncedAt.has(key)) && Date.now() < deadline) await sleep(50);
    const resumed = stranded.flatMap((key) => {
      const at = syncedAt.get(key);
      return at === undefined ? [] : [(at - killedAt) / 1000];
    });
    await load;
    const [first] = cluster.children;
    if (first) await waitSettled(world, first, 120_000);
    const unanswered = cluster.forwarder.unanswered();
    const figures: FailoverFigures = {
      instances: cluster.children.length + 1,
      strandedJobs: stranded.length,
      firstResumedSeconds: resumed.length > 0 ? round(Math.min(...resumed), 1) : null,
      lastResumedSeconds:
        resumed.length === stranded.length && resumed.length > 0 ? round(Math.max(...resumed), 1) : null,
      unanswered: {
        noUpstream: unanswered.noUpstream - unansweredBefore.noUpstream,
        upstreamFailed: unanswered.upstreamFailed - unansweredBefore.upstreamFailed,
      },
    };
    ctx.log(
      `scale-out failover: ${figures.strandedJobs} running jobs stranded by the SIGKILL, first synced elsewhere ` +
        `after ${figures.firstResumedSeconds} s, last after ${figures.lastResumedSeconds} s`,
    );
    return figures;
  } finally {
    unsubscribe();
    world.traffic.setFaults({ dataverse: { latencyMs: 0 } });
  }
}
