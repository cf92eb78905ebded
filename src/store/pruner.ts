/**
 * Housekeeping: the inbox keeps every verified callback (for audit and replay) and the timeline every
 * sync step; without a bound both grow for as long as the connector runs. Each pass deletes what is
 * older than its retention in small batches, yielding between them so webhooks never wait long for the
 * write lock. Jobs, links, dead letters and secrets are never pruned.
 */
import type { Logger } from '../observability/logger.ts';
import type { PruneResult, Store } from './ports.ts';

export type PrunerOptions = {
  store: Pick<Store, 'prune'>;
  logger: Logger;
  /** 0 keeps the inbox for ever. */
  inboxRetentionDays: number;
  /** 0 keeps the timeline for ever. */
  timelineRetentionDays: number;
  intervalMs: number;
  /** Rows per table and transaction. */
  batchSize?: number;
  now?: () => number;
};

export type Pruner = {
  /** One pass now: deletes everything past retention; resolves with how much it deleted. */
  runOnce(): Promise<PruneResult>;
  /** A pass now, then one every interval. */
  start(): void;
  stop(): Promise<void>;
};

const DAY_MS = 86_400_000;

export function createPruner(options: PrunerOptions): Pruner {
  const now = options.now ?? Date.now;
  const limit = options.batchSize ?? 1_000;
  const cutoff = (days: number) => (days > 0 ? new Date(now() - days * DAY_MS).toISOString() : null);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function runOnce(): Promise<PruneResult> {
    const inboxBefore = cutoff(options.inboxRetentionDays);
    const timelineBefore = cutoff(options.timelineRetentionDays);
    const total: PruneResult = { inbox: 0, timeline: 0 };
    if (inboxBefore === null && timelineBefore === null) return total;
    for (;;) {
      const batch = await options.store.prune({ inboxBefore, timelineBefore, limit });
      total.inbox += batch.inbox;
      total.timeline += batch.timeline;
      if (stopped || (batch.inbox < limit && batch.timeline < limit)) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  const tick = () => {
    if (stopped) return;
    running = runOnce()
      .then((pass) => {
        if (pass.inbox + pass.timeline > 0) options.logger.info(pass, 'pruned inbox and timeline');
      })
      .catch((error: unknown) => options.logger.warn({ err: error }, 'pruning failed; next pass retries'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref();
      });
  };

  return {
    runOnce,
    start() {
      stopped = false;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
