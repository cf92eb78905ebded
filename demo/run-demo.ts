/**
 * Drives a demo: Microsoft creates referrals (and edits some), Partner Center notifies, the connector
 * syncs; waits until every referral has its lead and its write-back, or until the deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { crmLeads } from './crm-leads.ts';
import { type DemoSummary, summarize } from './demo-summary.ts';
import type { Demo } from './start-demo.ts';

export type RunDemoOptions = {
  referrals: number;
  /** Share of referrals that Microsoft edits after creating them. */
  updateShare?: number;
  timeoutMs?: number;
  onProgress?: (progress: { leads: number; writtenBack: number; referrals: number }) => void;
};

export type DemoRun = { summary: DemoSummary; converged: boolean; elapsedMs: number };

export async function runDemo(demo: Demo, options: RunDemoOptions): Promise<DemoRun> {
  const { world } = demo;
  const started = Date.now();
  // Event → lead latency: from Microsoft's create to the first lead write of that referral.
  const createdAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  const unsubscribe = demo.onSettled((event) => {
    if (event.outcome !== 'synced') return;
    const key = event.job.referralId.toLowerCase();
    const t0 = createdAt.get(key);
    if (t0 === undefined) return;
    latenciesMs.push(event.result.leadWrittenAt - t0);
    createdAt.delete(key);
  });
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
    const summary = await currentSummary(demo, latenciesMs);
    options.onProgress?.({
      leads: summary.leads,
      writtenBack: summary.writtenBack,
      referrals: summary.referrals,
    });
    const stats = await demo.connector.backend.queue.stats();
    const settled = stats.pending === 0 && stats.running === 0;
    if (settled && summary.writtenBack + summary.deadLettered >= summary.referrals) {
      converged = true;
      break;
    }
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  unsubscribe();
  return { summary: await currentSummary(demo, latenciesMs), converged, elapsedMs: Date.now() - started };
}

export async function currentSummary(demo: Demo, latenciesMs: readonly number[]): Promise<DemoSummary> {
  const { world, connector } = demo;
  const counters = world.traffic.counters();
  const stats = await connector.backend.queue.stats();
  return summarize({
    referrals: world.referrals.all(),
    leads: crmLeads(world, connector.config.crm),
    deadLettered: stats.dead,
    apiCalls: Object.fromEntries(Object.entries(counters).map(([service, c]) => [service, c.total])),
    latenciesMs,
  });
}
