/**
 * `npm run bench` — runs the scenarios, prints a markdown table of figures against targets, and writes
 * them with the machine and the date to bench/results/latest.json (and, with --save, to
 * bench/results/YYYY-MM-DD.json). Benchmarks report; a missed target never fails the command.
 *
 *   --quick              shortened scenarios (~2 minutes)
 *   --only a,b           only these scenarios: ingress, e2e, calls, backlog, footprint, scale-out
 *                        (scale-out needs PostgreSQL: BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *   --runs N             repetitions per measurement (default 3; figures are medians)
 *   --backlog-runs N     repetitions of the backlog (default 1: one 20,000-event drain takes ~3 minutes)
 *   --from dist|source   compiled connector (default, as deployed) or the TypeScript sources
 *   --profile            CPU-profile every connector and print where its time went
 *   --save               also write bench/results/<date>.json
 *   --output FILE        write the JSON there instead of bench/results/latest.json (e.g. profiling runs)
 *   --keep-work          keep the scratch directory (data dirs, connector logs) and print where it is
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBacklog } from './scenarios/backlog.ts';
import { runCalls } from './scenarios/calls.ts';
import { runE2e } from './scenarios/e2e.ts';
import { runFootprint } from './scenarios/footprint.ts';
import { runIngress } from './scenarios/ingress.ts';
import { runScaleOut } from './scenarios/scale-out.ts';
import { startBenchSigner } from './support/bench-signer.ts';
import { buildConnector, type ConnectorRuntime, connectorModule } from './support/connector-build.ts';
import { connectorSettings } from './support/connector-child.ts';
import type { ConnectorStats } from './support/connector-protocol.ts';
import { formatProfile, type ProfileSummary, summarizeCpuProfile } from './support/cpu-profile-summary.ts';
import { calibrate, cpuShares, describeMachine, readCpuTimes } from './support/machine.ts';
import { renderTable } from './support/report-table.ts';
import type { ScenarioContext, ScenarioName } from './support/scenario-context.ts';
import { MB, round } from './support/stats.ts';
import { judgeAll, type Target } from './support/targets.ts';

const SCENARIOS: readonly ScenarioName[] = ['ingress', 'e2e', 'calls', 'backlog', 'footprint', 'scale-out'];
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string' },
    'backlog-runs': { type: 'string' },
    from: { type: 'string', default: 'dist' },
    profile: { type: 'boolean', default: false },
    save: { type: 'boolean', default: false },
    'keep-work': { type: 'boolean', default: false },
    output: { type: 'string' },
  },
});

const selected = args.only ? (args.only.split(',') as ScenarioName[]) : SCENARIOS;
for (const name of selected) {
  if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario '${name}' (${SCENARIOS.join(', ')})`);
}
const runtime = args.from as ConnectorRuntime;
if (runtime !== 'dist' && runtime !== 'source') throw new Error('--from is dist or source');
const runs = Number(args.runs ?? 3);
const backlogRuns = Number(args['backlog-runs'] ?? 1);

const startedAt = new Date();
const wallStart = performance.now();
const workDir = mkdtempSync(join(tmpdir(), 'referral-connector-bench-'));
const log = (message: string) =>
  process.stderr.write(`[bench ${((performance.now() - wallStart) / 1000).toFixed(0)}s] ${message}\n`);

log(`building the connector (${runtime}) …`);
const built = runtime === 'dist' ? buildConnector() : undefined;
const signer = await startBenchSigner();
const connectors: Array<{
  scenario: string;
  nonDefault: boolean;
  maxRssMb: number;
  rssAtStopMb: number;
  heapUsedAtStopMb: number;
  /** User + system CPU of the whole connector process, start to stop. */
  cpuSeconds: number;
}> = [];
const cpuProfileDir = args.profile ? join(workDir, 'profiles') : undefined;
const ctx: ScenarioContext = {
  quick: args.quick,
  runs,
  signer,
  connectorModule: connectorModule(runtime, built),
  workDir,
  cpuProfileDir,
  log,
  recordConnector(scenario: string, stats: ConnectorStats, options = {}) {
    connectors.push({
      scenario,
      nonDefault: options.nonDefault ?? false,
      maxRssMb: round(stats.maxRssBytes / MB) ?? 0,
      rssAtStopMb: round(stats.rssBytes / MB) ?? 0,
      heapUsedAtStopMb: round(stats.heapUsedBytes / MB) ?? 0,
      cpuSeconds: round((stats.cpuUserMs + stats.cpuSystemMs) / 1000, 2) ?? 0,
    });
  },
};

const settings = connectorSettings();
const results: Record<string, unknown> = {
  date: startedAt.toISOString(),
  machine: describeMachine(),
  mode: args.quick ? 'quick' : 'full',
  runs,
  connectorRuntime: runtime,
  /** What every connector process ran with: the launcher's memory settings, BENCH_CONNECTOR_NODE_FLAGS. */
  connectorNodeFlags: settings.nodeFlags,
  connectorEnv: settings.env,
  source: describeSource(),
  /** Other work on the machine skews every figure; 1-minute load average before and after. */
  loadAverage: { atStart: round(loadavg()[0] ?? 0, 2), atEnd: null as number | null },
  /** `calibrate()` in the harness before and after the scenarios, ms: lower is a faster machine. */
  calibrationMs: { atStart: calibrate(), atEnd: null as number | null },
};
const timings: Record<
  string,
  {
    wallSeconds: number;
    harnessCpuSeconds: number;
    machineCpu: { busy: number; steal: number } | null;
    /** How late the harness's event loop ran (emulators, dispatcher), sampled every 10 ms. */
    harnessEventLoopDelayMs: { p50: number; p99: number };
  }
> = {};
const extraTargets: Target[] = [];

const LAG_RESOLUTION_MS = 10;
/** The histogram holds the sampling interval plus the delay: keep the delay. */
const lateBy = (nanoseconds: number) => Math.max(0, round(nanoseconds / 1e6 - LAG_RESOLUTION_MS, 1) ?? 0);

function roundShares(shares: { busy: number; steal: number } | null) {
  return shares && { busy: round(shares.busy, 3) ?? 0, steal: round(shares.steal, 3) ?? 0 };
}

async function scenario<T>(name: ScenarioName, work: () => Promise<T>): Promise<T | null> {
  if (!selected.includes(name)) return null;
  log(`${name} …`);
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const machineCpu = readCpuTimes();
  // The emulators run here: a late harness answers late, which the connector's figures then carry.
  const harnessLag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  harnessLag.enable();
  try {
    return await work();
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return null;
  } finally {
    const used = process.cpuUsage(cpu);
    timings[name] = {
      wallSeconds: round((performance.now() - wall) / 1000) ?? 0,
      harnessCpuSeconds: round((used.user + used.system) / 1e6) ?? 0,
      machineCpu: roundShares(cpuShares(machineCpu, readCpuTimes())),
      harnessEventLoopDelayMs: {
        p50: lateBy(harnessLag.percentile(50)),
        p99: lateBy(harnessLag.percentile(99)),
      },
    };
    harnessLag.disable();
  }
}

try {
  results.ingress = await scenario('ingress', () => runIngress(ctx));
  const e2e = await scenario('e2e', () => runE2e(ctx));
  results.e2e = e2e;
  if (e2e) {
    const threshold = e2e.addedLatency.targetP50Ms;
    extraTargets.push({
      key: 'e2e.addedLatency.p50Ms',
      label: `Event → lead p50, +${e2e.addedLatency.addedMs} ms per call`,
      unit: 'ms',
      comparison: '<=',
      threshold,
    });
  }
  results.callsPerReferral = await scenario('calls', () => runCalls(ctx));
  results.backlog = await scenario('backlog', () => runBacklog({ ...ctx, runs: backlogRuns }));
  const peak = connectors.filter((c) => !c.nonDefault);
  const footprint = await scenario('footprint', () => runFootprint(ctx, !args.quick && runtime === 'dist'));
  results.footprint = {
    readyMs: footprint?.readyMs ?? null,
    idleRssMb: footprint?.idleRssMb ?? null,
    peakRssMb: peak.length > 0 ? Math.max(...peak.map((c) => c.maxRssMb)) : null,
    idleWaitMs: 3_000,
    startup: footprint,
    connectors,
  };
  // Last, so that its extra connector processes (listed in footprint.connectors, not in the peak) come after.
  results.scaleOut = await scenario('scale-out', () => runScaleOut(ctx));
} finally {
  await signer.close();
}

results.timings = timings;
(results.loadAverage as { atEnd: number | null }).atEnd = round(loadavg()[0] ?? 0, 2);
(results.calibrationMs as { atEnd: number | null }).atEnd = calibrate();
results.durationSeconds = round((performance.now() - wallStart) / 1000, 0);
const verdicts = judgeAll(results, extraTargets);
results.targets = verdicts;
if (cpuProfileDir) results.profiles = summarizeProfiles(cpuProfileDir);

mkdirSync(RESULTS_DIR, { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
writeFileSync(args.output ?? join(RESULTS_DIR, 'latest.json'), json);
if (args.save) writeFileSync(join(RESULTS_DIR, `${startedAt.toISOString().slice(0, 10)}.json`), json);
if (!args['keep-work']) rmSync(workDir, { recursive: true, force: true });
else log(`work directory kept: ${workDir}`);

const machine = describeMachine();
process.stdout.write(
  `\n## Results — ${startedAt.toISOString().slice(0, 10)}, ${results.mode}, ${machine.cores} cores, ` +
    `${(machine.memoryMb / 1024).toFixed(0)} GB, Node ${machine.node}\n\n${renderTable(verdicts)}\n\n` +
    `Machine: calibration ${JSON.stringify(results.calibrationMs)} ms; CPU steal by scenario ` +
    `${Object.entries(timings)
      .map(([name, t]) => `${name} ${t.machineCpu ? `${(t.machineCpu.steal * 100).toFixed(1)} %` : '–'}`)
      .join(', ')}.\n` +
    `Met ${verdicts.filter((v) => v.met).length} of ${verdicts.filter((v) => v.met !== null).length} measured targets; ` +
    `written to ${args.output ?? 'bench/results/latest.json'} in ${results.durationSeconds} s.\n`,
);

/** Which code was measured: the commit, and whether src/ had changes not yet committed. */
function describeSource(): { commit: string | null; srcModified: boolean | null } {
  const git = (...gitArgs: string[]) =>
    execFileSync('git', gitArgs, {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
    }).trim();
  try {
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      srcModified: git('status', '--porcelain', 'src') !== '',
    };
  } catch {
    return { commit: null, srcModified: null };
  }
}

function summarizeProfiles(dir: string): Record<string, ProfileSummary[]> {
  const summaries: Record<string, ProfileSummary[]> = {};
  for (const scenarioDir of readdirSync(dir)) {
    for (const file of readdirSync(join(dir, scenarioDir)).filter((f) => f.endsWith('.cpuprofile'))) {
      const summary = summarizeCpuProfile(join(dir, scenarioDir, file));
      summaries[scenarioDir] = [...(summaries[scenarioDir] ?? []), summary];
      process.stdout.write(`\n### CPU profile: ${scenarioDir} (${file})\n${formatProfile(summary)}\n`);
    }
  }
  return summaries;
}
