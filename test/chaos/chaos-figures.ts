/**
 * The figures of a chaos run, read from where each fact lives: the emulators' traffic counters and
 * delivery log (what was sent and what was injected), the connector's store (sync failures on the
 * timeline), the load balancer (which instance answered), and the outcome computed by the test (leads,
 * duplicates, lost, dead-lettered).
 */
import type { EmulatorWorld } from '@referral-connector/emulators';
import type { DeliveryAudit } from './delivery-audit.ts';

export type RunOutcome = {
  referrals: number;
  microsoftUpdates: number;
  kills: number;
  /** Connector processes sharing the store. */
  instances: number;
  /** Deliveries each instance answered (through the load balancer; one instance: all of them). */
  deliveriesByInstance: number[];
  /** SQLite runs: times a second connection held the write lock (null on PostgreSQL). */
  storeLockHolds: number | null;
  leads: number;
  duplicateLeads: number;
  lost: number;
  deadLettered: number;
  unsyncable: number;
  deliveryAudit: Omit<DeliveryAudit, 'problems'>;
  elapsedMs: number;
};

export type ChaosFigures = RunOutcome & {
  deliveries: number;
  duplicatedDeliveries: number;
  reorderedDeliveries: number;
  deliveryAttempts: number;
  deliveryRetries: number;
  deliveriesGivenUp: number;
  ingressRefused503: number;
  dataverseRequests: number;
  dataverse5xx: number;
  dataverse429: number;
  referralsRequests: number;
  referrals5xx: number;
  syncRetries: number;
  /** Failed syncs of the syncable referral that had the most (compare with `sync.maxAttempts`). */
  mostSyncFailuresOfOneReferral: number;
};

export function collectFigures(
  world: EmulatorWorld,
  syncFailures: ReadonlyArray<{ referral: string; n: number }>,
  outcome: RunOutcome,
  unsyncableIds: ReadonlySet<string>,
): ChaosFigures {
  const unsyncable = new Set([...unsyncableIds].map((id) => id.toLowerCase()));
  const dispatch = world.webhooks.counters();
  const traffic = world.traffic.counters();
  const ingressRefused503 = world.webhooks
    .deliveries()
    .reduce((sum, delivery) => sum + delivery.attempts.filter((attempt) => attempt.status === 503).length, 0);
  // The margin below sync.maxAttempts: failed syncs of the referral that had the most (rejected ones aside).
  const mostFailures = syncFailures.find((row) => !unsyncable.has(row.referral))?.n ?? 0;
  return {
    ...outcome,
    deliveries: dispatch.sent + dispatch.duplicated,
    duplicatedDeliveries: dispatch.duplicated,
    reorderedDeliveries: dispatch.reordered,
    deliveryAttempts: dispatch.attempts,
    deliveryRetries: dispatch.failedAttempts,
    deliveriesGivenUp: dispatch.gaveUp,
    ingressRefused503,
    dataverseRequests: traffic.dataverse.total,
    dataverse5xx: traffic.dataverse.injected['5xx'],
    dataverse429: traffic.dataverse.injected['429'],
    referralsRequests: traffic.referrals.total,
    referrals5xx: traffic.referrals.injected['5xx'],
    syncRetries: syncFailures.reduce((sum, row) => sum + row.n, 0),
    mostSyncFailuresOfOneReferral: mostFailures,
  };
}

const share = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;

export function formatFigures(f: ChaosFigures): string {
  return [
    '── chaos run ───────────────────────────────────────────────',
    `events      ${f.referrals} referrals created, ${f.microsoftUpdates} Microsoft edits`,
    `            ${f.deliveries} webhook deliveries (${f.duplicatedDeliveries} duplicated, ${f.reorderedDeliveries} reordered), ${f.deliveryAttempts} attempts`,
    `faults      Dataverse ${f.dataverse5xx} × 5xx (${share(f.dataverse5xx, f.dataverseRequests)}), ${f.dataverse429} × 429 (${share(f.dataverse429, f.dataverseRequests)}) of ${f.dataverseRequests}`,
    `            Referrals API ${f.referrals5xx} × 5xx (${share(f.referrals5xx, f.referralsRequests)}) of ${f.referralsRequests}`,
    `            ingress 503 ${f.ingressRefused503} (${share(f.ingressRefused503, f.deliveries)} of deliveries${f.storeLockHolds === null ? '' : `; ${f.storeLockHolds} store-lock holds`})`,
    `            ${f.unsyncable} referrals the CRM rejects`,
    `callbacks   ${f.deliveryAudit.acknowledged} acknowledged, ${f.deliveryAudit.stored} in the inbox (${f.deliveryAudit.storedUnacknowledged} stored but unacknowledged)`,
    `            then synced ${f.deliveryAudit.syncedAfter}, already seen ${f.deliveryAudit.alreadySeen}, dead-lettered again ${f.deliveryAudit.deadLetteredAfter}`,
    `retries     ${f.deliveryRetries} delivery retries, ${f.syncRetries} sync retries, ${f.deliveriesGivenUp} deliveries given up`,
    `            at most ${f.mostSyncFailuresOfOneReferral} failed syncs for one syncable referral`,
    `instances   ${f.instances}; deliveries answered by each: ${f.deliveriesByInstance.join(', ')}`,
    `kills       ${f.kills} × SIGKILL + restart`,
    `leads       ${f.leads} leads, ${f.duplicateLeads} duplicates`,
    `lost        ${f.lost}`,
    `dead        ${f.deadLettered} dead-lettered`,
    `time        ${(f.elapsedMs / 1000).toFixed(1)} s`,
    '────────────────────────────────────────────────────────────',
  ].join('\n');
}
