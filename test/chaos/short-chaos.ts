/**
 * A shorter chaos run for a CRM other than Dynamics (whose full run is chaos.test.ts): hundreds of
 * referrals and deliveries with duplicates and reordering, the CRM answering with its own faults, the
 * Referrals API failing, the store refusing writes now and then, and the connector SIGKILLed mid-run. At
 * the end every referral has exactly one lead with the documented fields and its id written back, nothing
 * is dead-lettered, and every acknowledged callback was stored and acted on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorWorld, FaultSettings, Referral } from '@referral-connector/emulators';
import { createRandom } from '@referral-connector/emulators';
import { afterAll, expect, it } from 'vitest';
import { createBacklogProbe } from './backlog-probe.ts';
import type { ChaosStore } from './chaos-store.ts';
import { type ChaosWorld, startChaosWorld } from './chaos-world.ts';
import { auditDeliveries } from './delivery-audit.ts';
import { waitFor } from './dynamics-chaos.ts';
import { startReferralLoad } from './referral-load.ts';
import { createStoreLockFaults, type StoreLockFaults } from './store-lock-faults.ts';

const PLAN = {
  referrals: 300,
  // Salesforce's own refusals are tested in the contract suite; here every referral can sync.
  unsyncableEvery: Number.POSITIVE_INFINITY,
  rejectedCompany: '',
  updates: 400,
  durationMs: 12_000,
  ticks: 60,
};

export type ShortChaosSpec = {
  crm: 'salesforce' | 'hubspot';
  /** The CRM's own faults; the Referrals API and the dispatcher get the same everywhere. */
  crmFaults: FaultSettings;
  /** The CRM's leads for a referral: each with its id and what the emulator holds. */
  leadsOf(world: EmulatorWorld, referral: Referral): Array<{ id: string; differences: string[] }>;
};
const LEASE_SECONDS = 5;
const STORE_LOCK = { everyMs: 600, holdMs: 150 };

let chaos: ChaosWorld | undefined;
let lock: StoreLockFaults | undefined;
let store: ChaosStore | undefined;
let dataDir: string | undefined;
let passed = false;

afterAll(async () => {
  await store?.close();
  await lock?.stop();
  await chaos?.fleet.stop(5_000);
  await chaos?.close();
  if (passed && dataDir) rmSync(dataDir, { recursive: true, force: true });
  else if (dataDir) console.log(`chaos data directory kept: ${dataDir}`);
}, 30_000);

export function describeShortChaos(spec: ShortChaosSpec): void {
  it(`keeps exactly one correct ${spec.crm} lead per referral through faults, duplicates and a SIGKILL`, async () => {
    const started = Date.now();
    dataDir = mkdtempSync(join(tmpdir(), `rc-chaos-${spec.crm}-`));
    chaos = await startChaosWorld({
      dataDir,
      crm: spec.crm,
      seed: process.env.CHAOS_SEED ?? `chaos-${spec.crm}`,
      dispatcherRetryDelaysMs: [250, 500, 1_000, 2_000, 4_000, 6_000, 8_000],
      dispatcherConcurrency: 16,
      reorderHoldMs: 500,
      connector: {
        // Production attempts (12) and workers (64); only leases and back-off are compressed.
        sync: { leaseSeconds: LEASE_SECONDS, backoffBaseMs: 100, backoffCapMs: 2_000 },
        store: { busyTimeoutMs: 10 },
        log: { level: 'warn' },
      },
    });
    const { world, fleet, databaseFile } = chaos;
    const [connector] = fleet.instances;
    if (!connector || !databaseFile) throw new Error('one connector on SQLite expected');
    await fleet.start();
    world.traffic.setFaults({
      ...spec.crmFaults,
      referrals: { '5xx': 0.05 },
      dispatcher: { duplicate: 0.1, reorder: 0.05 },
    });
    lock = createStoreLockFaults(databaseFile);
    lock.start(STORE_LOCK);

    const load = startReferralLoad(world, PLAN, createRandom(`chaos-${spec.crm}-load`));
    store = chaos.openStore();
    const probe = createBacklogProbe(world, store);
    await waitFor(() => load.created() >= PLAN.referrals / 2, 60_000);
    await fleet.killAndRestart(connector, 300);
    await load.done;
    await lock.stop();
    await waitFor(
      async () => {
        if (!(await probe.settled())) return false;
        await sleep(300);
        return probe.settled();
      },
      120_000,
      probe.describe,
    );
    await fleet.stop();

    const deadLetters = await store.deadLetters();
    const deliveries = auditDeliveries(world, await store.auditRows(), load.unsyncable);

    const problems: string[] = [];
    let leads = 0;
    for (const served of world.referrals.all()) {
      const found = spec.leadsOf(world, served);
      leads += found.length;
      const [lead] = found;
      if (found.length !== 1 || !lead) {
        problems.push(`${served.id}: ${found.length} leads`);
        continue;
      }
      if (served.externalReferenceId !== lead.id)
        problems.push(`${served.id}: externalReferenceId ${served.externalReferenceId} ≠ ${lead.id}`);
      if (served.status !== 'New' || served.substatus !== 'Pending')
        problems.push(`${served.id}: ${served.status}/${served.substatus}`);
      for (const difference of lead.differences) problems.push(`${served.id}: ${difference}`);
    }

    const crm = world.traffic.counters()[spec.crm];
    const deliveryCount = world.webhooks.deliveries().length;
    console.log(
      [
        `${spec.crm} chaos: ${world.referrals.all().length} referrals, ${load.updated()} Microsoft edits, ${deliveryCount} deliveries (${world.webhooks.counters().duplicated} duplicated)`,
        `  ${spec.crm} ${crm.total} requests, injected ${JSON.stringify(crm.injected)}`,
        `  callbacks ${deliveries.acknowledged} acknowledged, ${deliveries.stored} stored; synced after ${deliveries.syncedAfter}, already seen ${deliveries.alreadySeen}`,
        `  ${connector.kills} SIGKILL, ${lock.holds} store-lock holds; ${leads} leads, ${deadLetters.length} dead letters; ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );

    expect(problems.slice(0, 20)).toEqual([]);
    expect(leads).toBe(PLAN.referrals);
    expect(deadLetters).toEqual([]);
    expect(deliveries.problems.slice(0, 20)).toEqual([]);
    expect(deliveries.acknowledged).toBe(deliveryCount);
    // The run was hostile: every kind of Salesforce fault happened, and the connector was killed.
    expect(crm.injected['5xx']).toBeGreaterThan(0);
    expect(connector.kills).toBe(1);
    passed = true;
  }, 180_000);
}
