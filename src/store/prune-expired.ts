/**
 * Housekeeping: the inbox keeps every verified callback (for audit and replay) and the timeline every
 * sync step; without a bound both grow for as long as the connector runs. A pass deletes what is older
 * than its retention in small batches, yielding between them so webhooks never wait long for the write
 * lock. Jobs, links, dead letters and secrets are never pruned. The connector runs a pass at start and
 * then hourly.
 */
import type { PruneResult, Store } from './ports.ts';

export type Retention = {
  /** 0 keeps the inbox for ever. */
  inboxDays: number;
  /** 0 keeps the timeline for ever. */
  timelineDays: number;
};

const DAY_MS = 86_400_000;

/** Deletes everything past retention; resolves with how much it deleted. */
export async function pruneExpired(
  store: Pick<Store, 'prune'>,
  retention: Retention,
  options: { now?: () => number; batchSize?: number; signal?: AbortSignal } = {},
): Promise<PruneResult> {
  const now = (options.now ?? Date.now)();
  const limit = options.batchSize ?? 1_000;
  const cutoff = (days: number) => (days > 0 ? new Date(now - days * DAY_MS).toISOString() : null);
  const inboxBefore = cutoff(retention.inboxDays);
  const timelineBefore = cutoff(retention.timelineDays);
  const total: PruneResult = { inbox: 0, timeline: 0 };
  if (inboxBefore === null && timelineBefore === null) return total;
  for (;;) {
    const batch = await store.prune({ inboxBefore, timelineBefore, limit });
    total.inbox += batch.inbox;
    total.timeline += batch.timeline;
    if (options.signal?.aborted || (batch.inbox < limit && batch.timeline < limit)) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
