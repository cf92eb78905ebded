/**
 * Every callback the connector acknowledged, followed into its store. Partner Center's delivery log says
 * which deliveries got a 2xx; each must have its inbox row (the exact body that was signed). Then every
 * stored event must have been acted on:
 * - for a syncable referral, its last completed sync (`links.synced_at`) came after the event arrived, or
 *   had already seen the version the event announces (`ResourceChangeUtcDate` ≤ the synced referral's
 *   `updatedDateTime`): such an event, typically the echo of our own write-back, is recorded and
 *   enqueues nothing, by design;
 * - for a referral the CRM rejects, its dead letter is newer than the event (each event retried it).
 * Read from the connector's store (`ChaosStore.auditRows`) once it has stopped.
 */
import { type EmulatorWorld, serializePayload } from '@referral-connector/emulators';
import type { AuditRows } from './chaos-store.ts';

export type DeliveryAudit = {
  /** 2xx answers the dispatcher got. */
  acknowledged: number;
  /** Inbox rows of referral events. */
  stored: number;
  /** Rows beyond the acknowledged ones: committed, but the answer never reached Partner Center. */
  storedUnacknowledged: number;
  /** Stored events whose referral completed a sync after they arrived. */
  syncedAfter: number;
  /** Stored events announcing a version the referral's last sync had already seen. */
  alreadySeen: number;
  /** Stored events of referrals the CRM rejects, each followed by a newer dead letter. */
  deadLetteredAfter: number;
  /** One line per problem. */
  problems: string[];
};

export function auditDeliveries(
  world: EmulatorWorld,
  rows: AuditRows,
  unsyncable: ReadonlySet<string>,
): DeliveryAudit {
  const acknowledgedBodies = new Map<string, number>();
  let acknowledged = 0;
  for (const delivery of world.webhooks.deliveries()) {
    const answers = delivery.attempts.filter(
      (a) => a.status !== undefined && a.status >= 200 && a.status < 300,
    );
    if (answers.length === 0) continue;
    const body = serializePayload(delivery.payload).toString('utf8');
    acknowledgedBodies.set(body, (acknowledgedBodies.get(body) ?? 0) + answers.length);
    acknowledged += answers.length;
  }

  const { inbox } = rows;
  const links = new Map(rows.links.map((row) => [row.referral_id.toLowerCase(), row]));
  const dead = new Map(rows.dead.map((row) => [row.referral_id.toLowerCase(), row]));

  const problems: string[] = [];
  const storedBodies = new Map<string, number>();
  for (const row of inbox) storedBodies.set(row.raw_body, (storedBodies.get(row.raw_body) ?? 0) + 1);
  for (const [body, times] of acknowledgedBodies) {
    const kept = storedBodies.get(body) ?? 0;
    if (kept < times) problems.push(`acknowledged ${times}× but stored ${kept}×: ${body}`);
  }

  const unsyncableKeys = new Set([...unsyncable].map((id) => id.toLowerCase()));
  let syncedAfter = 0;
  let alreadySeen = 0;
  let deadLetteredAfter = 0;
  for (const row of inbox) {
    if (row.kind !== 'sync' || row.referral_id === null) continue;
    const key = row.referral_id.toLowerCase();
    const receivedAt = Date.parse(row.received_at);
    const announced = changeDateOf(row.raw_body);
    const event = `${row.referral_id}: event #${row.id} received ${row.received_at} (change ${announced})`;
    if (unsyncableKeys.has(key)) {
      const letter = dead.get(key);
      if (letter && letter.dead_at >= receivedAt) deadLetteredAfter += 1;
      else
        problems.push(
          `${event}: no dead letter after it (${letter ? new Date(letter.dead_at).toISOString() : 'none'})`,
        );
      continue;
    }
    const link = links.get(key);
    if (!link) {
      problems.push(`${event}: the referral never synced`);
    } else if (Date.parse(link.synced_at) >= receivedAt) {
      syncedAfter += 1;
    } else if (
      link.last_referral_updated_at &&
      utcOrder(link.last_referral_updated_at) >= utcOrder(announced)
    ) {
      alreadySeen += 1;
    } else {
      problems.push(
        `${event}: last sync ${link.synced_at} saw only ${String(link.last_referral_updated_at)}`,
      );
    }
  }

  return {
    acknowledged,
    stored: inbox.length,
    storedUnacknowledged: inbox.length - acknowledged,
    syncedAfter,
    alreadySeen,
    deadLetteredAfter,
    problems,
  };
}

function changeDateOf(rawBody: string): string {
  const { ResourceChangeUtcDate } = JSON.parse(rawBody) as { ResourceChangeUtcDate?: unknown };
  if (typeof ResourceChangeUtcDate !== 'string') throw new Error(`no ResourceChangeUtcDate in ${rawBody}`);
  return ResourceChangeUtcDate;
}

const UTC_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?(?:Z|[+-]00:?00)$/i;

/**
 * A UTC instant with up to seven fractional digits (Partner Center's ticks) as a string that sorts in
 * time order; a Date would drop the digits below the millisecond, where an echo and a change can differ.
 */
function utcOrder(instant: string): string {
  const match = UTC_INSTANT.exec(instant);
  if (!match?.[1]) throw new Error(`not a UTC instant: ${instant}`);
  return `${match[1]}.${(match[2] ?? '').padEnd(7, '0')}`;
}
