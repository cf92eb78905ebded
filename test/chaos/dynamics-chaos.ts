/**
 * Chaos (issue 5) on Dynamics 365, the full run: a thousand referrals and thousands of signed deliveries
 * against emulators that fail on purpose, connector processes killed with SIGKILL mid-run and restarted.
 * On SQLite one connector runs and a second connection takes the store's write lock now and then (ingress
 * 503s); on PostgreSQL several instances share the database behind a round-robin load balancer, and the
 * kills go round the instances. At the end every syncable referral has exactly one correct lead and its
 * write-back, the dead-letter list holds exactly the referrals the CRM rejects, and nothing else is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRandom } from '@referral-connector/emulators';
import { afterAll, expect, it } from 'vitest';
import {
  describePostgres,
  dropSchemas,
  type PostgresProbe,
  TEST_POSTGRES_URL,
  throwawaySchemaName,
} from '../support/postgres.ts';
import { type BacklogProbe, createBacklogProbe } from './backlog-probe.ts';
import { collectFigures, formatFigures } from './chaos-figures.ts';
import type { ChaosStore } from './chaos-store.ts';
import { type ChaosWorld, startChaosWorld } from './chaos-world.ts';
import { auditDeliveries } from './delivery-audit.ts';
import { checkOutcome } from './outcome-check.ts';
import { startReferralLoad } from './referral-load.ts';
import { createStoreLockFaults, type StoreLockFaults } from './store-lock-faults.ts';

export type DynamicsChaosVariant =
  | { store: 'sqlite' }
  /** Several instances on one PostgreSQL schema; `probe` from `requirePostgres()`. */
  | { store: 'postgres'; instances: number; probe: PostgresProbe };

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
 * Share of referrals created at which a connector is killed, once it has run `MIN_UPTIME_MS` again. The
 * last kill comes when every referral exists, with hundreds of jobs still to run. With several
 * instances, the kills go round them: each is killed once.
 */
const KILL_AT = [0.2, 0.5, 1];
const MIN_UPTIME_MS = 6_000;
/**
 * The killed process's running jobs come back when their lease expires: the restarted connector
 * recovers expired leases every half lease, so on SQLite it restarts at once and picks them up within
 * ~5 s. On PostgreSQL the other instances take them back once the dead one missed its heartbeats (10 s),
 * whatever the lease; the killed instance starts again a second later, as in the demo.
 */
const LEASE_SECONDS = 5;
const RESTART_AFTER_MS = { sqlite: 300, postgres: 1_000 };
const STORE_LOCK = { everyMs: 600, holdMs: 150 };
const CONVERGE_TIMEOUT_MS = 120_000;
const TIME_BUDGET_MS = { sqlite: 240_000, postgres: 300_000 };
/**
 * Workers in all: half the default 64. Back-off is compressed below, Dataverse's execution-time window
 * (300 s) is not, and 64 workers on two shared cores trip it for long enough that a rejected referral
 * used its 12 attempts on 429s before it reached the plug-in's 400 (seen once: dead-lettered as
 * dataverse_throttled). Each instance keeps its own request budget, so several instances share the 32.
 */
const WORKERS = 32;

export function describeDynamicsChaos(variant: DynamicsChaosVariant): void {
  const instances = variant.store === 'postgres' ? variant.instances : 1;
  const name =
    variant.store === 'sqlite'
      ? 'keeps exactly one correct lead per syncable referral through faults, duplicates and SIGKILLs'
      : `keeps exactly one correct lead per syncable referral with ${instances} instances on PostgreSQL through faults, duplicates and SIGKILLs of each`;
  if (variant.store === 'postgres')
    describePostgres(variant.probe, 'chaos on PostgreSQL', () => defineRun(variant, instances, name));
  else defineRun(variant, instances, name);
}

function defineRun(variant: DynamicsChaosVariant, instances: number, name: string): void {
  let chaos: ChaosWorld | undefined;
  let lock: StoreLockFaults | undefined;
  let store: ChaosStore | undefined;
  /** Removed once the run passed; kept (with the instances' logs, and the schema) to look into a failure. */
  let dataDir: string | undefined;
  let schema: string | undefined;
  let passed = false;

  afterAll(async () => {
    await store?.close();
    await lock?.stop();
    await chaos?.fleet.stop(5_000);
    await chaos?.close();
    if (passed && dataDir) rmSync(dataDir, { recursive: true, force: true });
    else if (dataDir) console.log(`chaos data directory kept: ${dataDir}`);
    if (passed && schema) await dropSchemas([schema]);
    else if (schema) console.log(`chaos schema kept: ${schema}`);
  }, 30_000);

  it(
    name,
    async () => {
      const started = Date.now();
      dataDir = mkdtempSync(join(tmpdir(), `rc-chaos-${variant.store}-`));
      schema = variant.store === 'postgres' ? throwawaySchemaName('chaos') : undefined;
      chaos = await startChaosWorld({
        dataDir,
        // CHAOS_SEED=… draws another load and fault schedule, to soak the suite locally.
        seed: process.env.CHAOS_SEED ?? 'chaos',
        // Ten attempts span ~38 s: an event first tried just before a kill outlives two restarts.
        dispatcherRetryDelaysMs: [250, 500, 1_000, 2_000, 4_000, 6_000, 8_000],
        dispatcherConcurrency: 16,
        reorderHoldMs: 500,
        rejectLeads: [{ column: 'companyname', equals: REJECTED_COMPANY, message: PLUGIN_MESSAGE }],
        ...(schema ? { postgres: { url: TEST_POSTGRES_URL, schema } } : {}),
        instances,
        connector: {
          sync: {
            // Attempts are the production default (12): transient faults hit ~25% of syncs, and a referral
            // must sync within the attempts a real deployment has.
            concurrency: Math.ceil(WORKERS / instances),
            leaseSeconds: LEASE_SECONDS,
            backoffBaseMs: 100,
            backoffCapMs: 2_000,
          },
          // SQLite: a write waits this long for another connection's lock, then the webhook gets 503.
          ...(variant.store === 'sqlite' ? { store: { busyTimeoutMs: 10 } } : {}),
          log: { level: 'warn' },
        },
      });
      const { world, fleet } = chaos;
      await fleet.start();
      chaos.setFaults(FAULTS);
      if (chaos.databaseFile) {
        lock = createStoreLockFaults(chaos.databaseFile);
        lock.start(STORE_LOCK);
      }

      const load = startReferralLoad(world, PLAN, createRandom('chaos-load'));
      store = chaos.openStore();
      const probe: BacklogProbe = createBacklogProbe(world, store);
      const phases: string[] = [];
      const mark = (what: string) => phases.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);
      for (const [index, share] of KILL_AT.entries()) {
        const upSince = Date.now();
        await waitFor(
          () => load.created() >= share * PLAN.referrals && Date.now() - upSince >= MIN_UPTIME_MS,
          60_000,
        );
        const instance = fleet.instances[index % instances];
        if (!instance) throw new Error('no instance to kill');
        mark(
          `SIGKILL ${index + 1} (instance ${instance.number}): ${load.created()} referrals created; ${(await probe.describe()).split('\n')[0]}`,
        );
        // SQLite: the lock faults go on, and start-up waits out a busy store instead of exiting.
        await fleet.killAndRestart(instance, RESTART_AFTER_MS[variant.store]);
        mark(`restarted, healthy`);
      }
      await load.done;
      mark('load done');
      // Store faults end with the load, so the backlog drains and the check below can read the store.
      await lock?.stop();

      // Twice in a row: a job settling can make one more write-back event.
      await waitFor(
        async () => {
          if (!(await probe.settled())) return false;
          await sleep(300);
          return probe.settled();
        },
        CONVERGE_TIMEOUT_MS,
        probe.describe,
      );
      mark('converged');
      await fleet.stop();

      const deadLetters = await store.deadLetters();
      const deliveries = auditDeliveries(world, await store.auditRows(), load.unsyncable);

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
        await store.syncFailures(),
        {
          referrals: world.referrals.all().length,
          microsoftUpdates: load.updated(),
          kills: fleet.kills,
          instances,
          deliveriesByInstance: chaos.forwarder?.answered() ?? [deliveries.acknowledged],
          storeLockHolds: lock?.holds ?? null,
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
      expect(
        deadLetters.map((d) => ({ referralId: d.referralId, code: d.error.code })).sort(byReferral),
      ).toEqual(
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
      if (variant.store === 'sqlite')
        expect(figures.ingressRefused503 / figures.deliveries).toBeGreaterThanOrEqual(0.02);
      expect(figures.kills).toBeGreaterThanOrEqual(3);
      // Several instances: each took its share of the webhooks (at least half an even one) and was killed.
      for (const answered of figures.deliveriesByInstance)
        expect(answered).toBeGreaterThanOrEqual(figures.deliveries / instances / 2);
      for (const instance of fleet.instances) expect(instance.kills).toBeGreaterThanOrEqual(1);
      passed = true;
    },
    TIME_BUDGET_MS[variant.store],
  );
}

function byReferral(a: { referralId: string }, b: { referralId: string }): number {
  return a.referralId.localeCompare(b.referralId);
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string | Promise<string> = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`condition not reached in ${timeoutMs} ms\n${await describe()}`);
    await sleep(50);
  }
}
