/**
 * Chaos (issue 5): a thousand referrals and thousands of signed deliveries against emulators that fail on
 * purpose, a connector process killed with SIGKILL mid-run and restarted, and a store that refuses writes
 * now and then. At the end every syncable referral has exactly one correct lead and its write-back, the
 * dead-letter list holds exactly the referrals the CRM rejects, and nothing else is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRandom } from '@referral-connector/emulators';
import { afterAll, expect, it } from 'vitest';
import { createSqliteBackend } from '../../src/store/sqlite/create-sqlite-backend.ts';
import { type BacklogProbe, createBacklogProbe } from './backlog-probe.ts';
import { collectFigures, formatFigures } from './chaos-figures.ts';
import { type ChaosWorld, startChaosWorld } from './chaos-world.ts';
import { type ConnectorProcess, createConnectorProcess } from './connector-process.ts';
import { auditDeliveries } from './delivery-audit.ts';
import { checkOutcome } from './outcome-check.ts';
import { startReferralLoad } from './referral-load.ts';
import { createStoreLockFaults, type StoreLockFaults } from './store-lock-faults.ts';

const REJECTED_COMPANY = 'Chaos Rejected Holdings';
const PLUGIN_MESSAGE = 'Leads for Chaos Rejected Holdings are blocked by the compliance plug-in.';
const PLAN = {
  referrals: 1_000,
  unsyncableEvery: 100,
  rejectedCompany: REJECTED_COMPANY,
  updates: 1_300,
  durationMs: 36_000,
  ticks: 150,
};
// Above the minimums (10% 5xx and 5% 429 at Dataverse, 5% 5xx at the Referrals API), so the
// seeded draws stay above them; the run asserts the shares it actually got.
const FAULTS = {
  dataverse: { '5xx': 0.12, '429': 0.07 },
  referrals: { '5xx': 0.065 },
  dispatcher: { duplicate: 0.1, reorder: 0.05 },
};
/**
 * Share of referrals created at which the connector is killed, once it has run `MIN_UPTIME_MS` again. The
 * last kill comes when every referral exists, with hundreds of jobs still to run.
 */
const KILL_AT = [0.2, 0.5, 1];
const MIN_UPTIME_MS = 6_000;
/**
 * The killed process's running jobs come back when their lease expires: the restarted connector
 * recovers expired leases every half lease, so it restarts at once and picks them up within ~5 s.
 */
const LEASE_SECONDS = 5;
const RESTART_AFTER_MS = 300;
const STORE_LOCK = { everyMs: 600, holdMs: 150 };
const CONVERGE_TIMEOUT_MS = 120_000;

let chaos: ChaosWorld | undefined;
let connector: ConnectorProcess | undefined;
let lock: StoreLockFaults | undefined;
let backlog: BacklogProbe | undefined;
/** Removed once the run passed; kept (with `connector.log`) to look into a failure. */
let dataDir: string | undefined;
let passed = false;

afterAll(async () => {
  backlog?.close();
  await lock?.stop();
  await connector?.stop(5_000);
  await chaos?.close();
  if (passed && dataDir) rmSync(dataDir, { recursive: true, force: true });
  else if (dataDir) console.log(`chaos data directory kept: ${dataDir}`);
}, 30_000);

it('keeps exactly one correct lead per syncable referral through faults, duplicates and SIGKILLs', async () => {
  const started = Date.now();
  dataDir = mkdtempSync(join(tmpdir(), 'rc-chaos-'));
  chaos = await startChaosWorld({
    dataDir,
    // CHAOS_SEED=… draws another load and fault schedule, to soak the suite locally.
    seed: process.env.CHAOS_SEED ?? 'chaos',
    // Ten attempts span ~38 s: an event first tried just before a kill outlives two restarts.
    dispatcherRetryDelaysMs: [250, 500, 1_000, 2_000, 4_000, 6_000, 8_000],
    dispatcherConcurrency: 16,
    reorderHoldMs: 500,
    rejectLeads: [{ column: 'companyname', equals: REJECTED_COMPANY, message: PLUGIN_MESSAGE }],
    connector: {
      sync: {
        // Attempts are the production default (12): transient faults hit ~25% of syncs, and a referral
        // must sync within the attempts a real deployment has. Workers are half the default 64: back-off
        // is compressed below, Dataverse's execution-time window (300 s) is not, and 64 workers on two
        // shared cores trip it for long enough that a rejected referral used its 12 attempts on 429s
        // before it reached the plug-in's 400 (seen once: dead-lettered as dataverse_throttled).
        concurrency: 32,
        leaseSeconds: LEASE_SECONDS,
        backoffBaseMs: 100,
        backoffCapMs: 2_000,
      },
      // A write waits this long for another connection's lock, then the webhook gets 503.
      store: { busyTimeoutMs: 10 },
      log: { level: 'warn' },
    },
  });
  const { world } = chaos;
  connector = createConnectorProcess({
    configFile: chaos.configFile,
    logFile: join(dataDir, 'connector.log'),
    port: chaos.port,
  });
  await connector.start();
  chaos.setFaults(FAULTS);
  lock = createStoreLockFaults(chaos.databaseFile);
  lock.start(STORE_LOCK);

  const load = startReferralLoad(world, PLAN, createRandom('chaos-load'));
  const probe = createBacklogProbe(world, chaos.databaseFile);
  backlog = probe;
  const phases: string[] = [];
  const mark = (what: string) => phases.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);
  for (const [index, share] of KILL_AT.entries()) {
    const upSince = Date.now();
    await waitFor(
      () => load.created() >= share * PLAN.referrals && Date.now() - upSince >= MIN_UPTIME_MS,
      60_000,
    );
    mark(`SIGKILL ${index + 1}: ${load.created()} referrals created; ${probe.describe().split('\n')[0]}`);
    await connector.kill();
    // The lock faults go on: start-up waits out a busy store instead of exiting.
    await sleep(RESTART_AFTER_MS);
    await connector.start();
    mark(`restarted, healthy`);
  }
  await load.done;
  mark('load done');
  // Store faults end with the load, so the backlog drains and the check below can read the store.
  await lock.stop();

  // Twice in a row: a job settling can make one more write-back event.
  await waitFor(
    async () => {
      if (!probe.settled()) return false;
      await sleep(300);
      return probe.settled();
    },
    CONVERGE_TIMEOUT_MS,
    probe.describe,
  );
  mark('converged');
  await connector.stop();

  const backend = createSqliteBackend({ path: chaos.databaseFile });
  const deadLetters = await backend.queue.deadLetters();
  await backend.close();
  const deliveries = auditDeliveries(world, chaos.databaseFile, load.unsyncable);

  const currencies = world.dataverse.currencies();
  const outcome = checkOutcome(world, {
    referralsUrl: chaos.referralsUrl,
    referralUrlColumn: chaos.referralUrlColumn,
    currencyIdOf: (iso) =>
      currencies.find((c) => c.isocurrencycode === iso)?.transactioncurrencyid as string | undefined,
    referralIdColumn: chaos.referralIdColumn,
    unsyncable: load.unsyncable,
  });
  const figures = collectFigures(
    world,
    chaos.databaseFile,
    {
      referrals: world.referrals.all().length,
      microsoftUpdates: load.updated(),
      kills: connector.kills,
      storeLockHolds: lock.holds,
      leads: outcome.leads,
      duplicateLeads: outcome.duplicateLeads,
      lost: outcome.lost,
      deadLettered: deadLetters.length,
      unsyncable: load.unsyncable.size,
      deliveryAudit: deliveries,
      elapsedMs: Date.now() - started,
    },
    load.unsyncable,
  );
  console.log(`${phases.join('\n')}\n${formatFigures(figures)}`);
  for (const problems of [outcome.problems, deliveries.problems])
    if (problems.length > 0) console.log(problems.slice(0, 20).join('\n'));

  // Every 200 the connector gave is in its inbox and was acted on: synced after it arrived, already
  // seen by the last sync, or (for a referral the CRM rejects) dead-lettered again after it.
  expect(deliveries.problems.slice(0, 20)).toEqual([]);
  expect(deliveries.acknowledged).toBe(figures.deliveries);
  expect(deliveries.syncedAfter + deliveries.alreadySeen + deliveries.deadLetteredAfter).toBe(
    deliveries.stored,
  );
  expect(outcome.problems.slice(0, 20)).toEqual([]);
  expect(outcome.duplicateLeads).toBe(0);
  expect(figures.leads).toBe(PLAN.referrals - load.unsyncable.size);
  expect(deadLetters.map((d) => ({ referralId: d.referralId, code: d.error.code })).sort(byReferral)).toEqual(
    [...load.unsyncable].map((id) => ({ referralId: id, code: 'dataverse_rejected' })).sort(byReferral),
  );
  for (const dead of deadLetters) expect(dead.error.message).toContain(PLUGIN_MESSAGE);
  expect(figures.deliveriesGivenUp).toBe(0);

  // The run was as hostile as the issue asks.
  expect(figures.referrals).toBeGreaterThanOrEqual(1_000);
  expect(figures.deliveries).toBeGreaterThanOrEqual(3_000);
  expect(figures.duplicatedDeliveries).toBeGreaterThan(0);
  expect(figures.reorderedDeliveries).toBeGreaterThan(0);
  expect(figures.dataverse5xx / figures.dataverseRequests).toBeGreaterThanOrEqual(0.1);
  expect(figures.dataverse429 / figures.dataverseRequests).toBeGreaterThanOrEqual(0.05);
  expect(figures.referrals5xx / figures.referralsRequests).toBeGreaterThanOrEqual(0.05);
  expect(figures.ingressRefused503 / figures.deliveries).toBeGreaterThanOrEqual(0.02);
  expect(figures.kills).toBeGreaterThanOrEqual(3);
  passed = true;
}, 240_000);

function byReferral(a: { referralId: string }, b: { referralId: string }): number {
  return a.referralId.localeCompare(b.referralId);
}

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms\n${describe()}`);
    await sleep(50);
  }
}
