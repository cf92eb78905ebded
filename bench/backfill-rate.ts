/**
 * How fast `backfill` syncs a tenant's existing referrals against Dataverse's service-protection limits
 * (6,000 requests and 1,200 s of execution per 5 minutes, 52 at once). Not a test and not part of
 * `npm run bench`: one run, printed.
 *
 *   node --conditions=referral-connector-source bench/backfill-rate.ts \
 *     [--referrals 5000] [--limits real|lifted] [--dataverse-latency-ms 0]
 *
 * (The condition runs the emulators package from its TypeScript sources, as the tests do.)
 *
 * The emulated world holds the referrals (mixed states and directions) before the connector starts;
 * `referral-connector backfill` runs as a child process, exactly as an operator runs it, with its own
 * workers (no serve). `--dataverse-latency-ms` adds time to every Dataverse answer (a real upsert takes
 * ~100–300 ms), which counts against the execution-time limit as on the real service.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand, startBackfillWorld } from '../test/backfill/backfill-world.ts';

const { values } = parseArgs({
  options: {
    referrals: { type: 'string', default: '5000' },
    limits: { type: 'string', default: 'real' },
    'dataverse-latency-ms': { type: 'string', default: '0' },
    'keep-work': { type: 'boolean', default: false },
  },
});
const referrals = Number(values.referrals);
const latencyMs = Number(values['dataverse-latency-ms']);
const lifted = values.limits === 'lifted';
// The benchmarks' own lifted limits (bench/README.md): a million requests a second, 52 at once.
const LIFTED = { requestsPerWindow: 1_000_000, executionTimeMs: 1_000_000_000, windowMs: 1_000 };

const dataDir = mkdtempSync(join(tmpdir(), 'rc-backfill-rate-'));
const world = await startBackfillWorld({
  dataDir,
  emulators: {
    seed: 'backfill-rate',
    referrals: { seedCount: referrals },
    dataverse: lifted ? { limits: LIFTED } : {},
    ...(latencyMs > 0 ? { faults: { dataverse: { latencyMs } } } : {}),
  },
  settings: { 'log.level': 'warn' },
});
try {
  const started = performance.now();
  const run = runCommand(world.configFile, ['backfill']);
  const { code, stdout, stderr } = await run.exited;
  const seconds = (performance.now() - started) / 1000;
  const dataverse = world.world.traffic.counters().dataverse;
  const throttled = Object.values(dataverse.byEndpoint).reduce((sum, e) => sum + (e.byStatus['429'] ?? 0), 0);
  const leads = world.world.dataverse.leads().length;
  const limits = world.world.dataverse.limits();
  const perWindow = (limits.requestsPerWindow / limits.windowMs) * 1000;
  process.stdout.write(
    [
      stdout.trim(),
      '',
      `exit ${code}; ${referrals} referrals, ${leads} leads, ${seconds.toFixed(1)} s wall (process start included)`,
      `leads/s ${(leads / seconds).toFixed(1)}; Dataverse requests ${dataverse.total} (${(dataverse.total / seconds).toFixed(1)}/s), 429s ${throttled}`,
      `Dataverse limits: ${limits.requestsPerWindow} requests / ${limits.windowMs / 1000} s (${perWindow.toFixed(1)}/s sustained), ${limits.executionTimeMs / 1000} s execution, ${limits.concurrentRequests} at once; latency added ${latencyMs} ms`,
      `by endpoint: ${JSON.stringify(Object.fromEntries(Object.entries(dataverse.byEndpoint).map(([k, v]) => [k, v.count])))}`,
      ...(code === 0 ? [] : ['', stderr.slice(-2000)]),
    ].join('\n'),
  );
  process.stdout.write('\n');
} finally {
  await world.close();
  if (!values['keep-work']) rmSync(dataDir, { recursive: true, force: true });
}
