/**
 * Drives a demo: Microsoft creates referrals (and edits some), Partner Center notifies, the connector
 * syncs; waits until every referral has its lead and its write-back, or until the deadline. Works on
 * the in-process demo and on a fleet of connector processes alike (`DemoTarget`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorWorld } from '@referral-connector/emulators';
import type { Config } from '../src/config/config-schema.ts';
import type { QueueStats } from '../src/store/ports.ts';
import { crmLeads } from './crm-leads.ts';
import { type DemoSummary, summarize } from './demo-summary.ts';

/** What a run drives and reads. */
export type DemoTarget = {
  world: EmulatorWorld;
  crm: Config['crm'];
  queueStats(): Promise<QueueStats>;
  /** Notes, from now on, when each referral's lead is first written. */
  watchLeadWrites(): LeadWriteWatch;
};

export type LeadWriteWatch = {
  /** When the lead of each of these referrals was first written (ms since the epoch), by lower-case id. */
  writtenAt(referralIds: readonly string[]): Promise<Map<string, number>>;
  stop(): void;
};

export type RunDemoOptions = {
  referrals: number;
  /** Share of referrals that Microsoft edits after creating them. */
  updateShare?: number;
  timeoutMs?: number;
  onProgress?: (progress: { leads: number; writtenBack: number; referrals: number }) => void;
  /** While this says so, the run is not over even if everything synced (faults still scheduled). */
  busy?: () => boolean;
};

export type DemoRun = { summary: DemoSummary; converged: boolean; elapsedMs: number };

export async function runDemo(demo: DemoTarget, options: RunDemoOptions): Promise<DemoRun> {
  const { world } = demo;
  const started = Date.now();
  // Event → lead latency: from Microsoft's create to the first lead write of that referral.
  const createdAt = new Map<string, number>();
  const leadWrites = demo.watchLeadWrites();
  const ids: string[] = [];
  for (let i = 0; i < options.referrals; i++) {
    const referral = world.referrals.create({}, { as: 'microsoft' });
    createdAt.set(referral.id.toLowerCase(), Date.now());
    ids.push(referral.id);
  }
  const updates = Math.round(options.referrals * (options.updateShare ?? 0.2));
  for (const id of ids.slice(0, updates)) {
    const current = world.referrals.get(id);
    const value = Number(current?.details?.dealValue ?? 10_000);
    world.referrals.update(id, { details: { dealValue: Math.round(value * 1.1) } });
  }

  const deadline = started + (options.timeoutMs ?? 120_000);
  let converged = false;
  for (;;) {
    const summary = await currentSummary(demo, []);
    options.onProgress?.({
      leads: summary.leads,
      writtenBack: summary.writtenBack,
      referrals: summary.referrals,
    });
    const stats = await demo.queueStats();
    const settled = stats.pending === 0 && stats.running === 0 && !options.busy?.();
    if (settled && summary.writtenBack + summary.deadLettered >= summary.referrals) {
      converged = true;
      break;
    }
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  const written = await leadWrites.writtenAt(ids);
  leadWrites.stop();
  const latenciesMs = [...written].flatMap(([key, at]) => {
    const t0 = createdAt.get(key);
    return t0 === undefined ? [] : [at - t0];
  });
  return { summary: await currentSummary(demo, latenciesMs), converged, elapsedMs: Date.now() - started };
}

export async function currentSummary(demo: DemoTarget, latenciesMs: readonly number[]): Promise<DemoSummary> {
  const { world } = demo;
  const counters = world.traffic.counters();
  const stats = await demo.queueStats();
  return summarize({
    referrals: world.referrals.all(),
    leads: crmLeads(world, demo.crm),
    deadLettered: stats.dead,
    apiCalls: Object.fromEntries(Object.entries(counters).map(([service, c]) => [service, c.total])),
    latenciesMs,
  });
}
