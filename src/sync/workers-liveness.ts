/**
 * Whether some process is running sync workers on a store: a heartbeat they write in the store's
 * cursors (`Store.putCursor`), which any backend already has, so SQLite and PostgreSQL need nothing more.
 * `backfill` reads it to decide whether to run workers itself: two sets of workers would both be right
 * (the queue keeps one sync per referral), but each paces its CRM calls on its own and together they
 * would exceed the CRM's request limits.
 *
 * The value is JSON `{ holder, kind, at, intervalMs, stopped? }`. Every instance writes the same name:
 * the newest write wins, which is all a reader needs ("someone wrote within the last few intervals").
 * A graceful stop writes `stopped`, so a reader need not wait for the heartbeat to age; another live
 * instance overwrites it within one interval. Readers compare `at` with their own clock, so the hosts'
 * clocks must agree to within a few seconds (NTP), as they must for leases anyway.
 */
import type { Logger } from '../observability/logger.ts';
import type { Store } from '../store/ports.ts';

/** The cursor name of the heartbeat. */
export const WORKERS_HEARTBEAT = 'liveness/sync-workers';

/** Who runs the workers: `serve`, or a `backfill` that found none and runs its own. */
export type WorkersKind = 'serve' | 'backfill';

export type WorkersHeartbeatValue = {
  holder: string;
  kind: WorkersKind;
  /** ISO-8601, the writer's clock. */
  at: string;
  intervalMs: number;
  stopped?: boolean;
};

export type WorkersLiveness =
  | { live: false }
  | { live: true; holder: string; kind: WorkersKind; ageMs: number };

/** A heartbeat older than this many of its own intervals means its writer is gone. */
const MISSED_BEATS = 3;

/** Reads a heartbeat value (pure): live when written within `MISSED_BEATS` intervals and not stopped. */
export function readWorkersLiveness(value: string | null, now: number): WorkersLiveness {
  const beat = parseHeartbeat(value);
  if (!beat || beat.stopped) return { live: false };
  const ageMs = now - Date.parse(beat.at);
  // A beat dated ahead of our clock comes from a host whose clock runs ahead: it was written recently.
  if (!Number.isFinite(ageMs) || ageMs > MISSED_BEATS * beat.intervalMs) return { live: false };
  return { live: true, holder: beat.holder, kind: beat.kind, ageMs: Math.max(0, ageMs) };
}

export type WorkersHeartbeat = {
  start(): void;
  /** Stops beating and marks the heartbeat stopped (best effort: a reader otherwise waits for it to age). */
  stop(): Promise<void>;
};

export function createWorkersHeartbeat(options: {
  store: Pick<Store, 'putCursor'>;
  holder: string;
  kind: WorkersKind;
  intervalMs?: number;
  logger?: Logger;
  now?: () => number;
}): WorkersHeartbeat {
  const intervalMs = options.intervalMs ?? 5_000;
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const write = (stopped: boolean) => {
    const value: WorkersHeartbeatValue = {
      holder: options.holder,
      kind: options.kind,
      at: new Date(now()).toISOString(),
      intervalMs,
      ...(stopped ? { stopped: true } : {}),
    };
    inFlight = inFlight
      .then(() => options.store.putCursor(WORKERS_HEARTBEAT, JSON.stringify(value)))
      .catch((error: unknown) => {
        // A missed beat is harmless unless three in a row are missed; the next one tries again.
        options.logger?.warn({ err: error }, 'workers heartbeat not written');
      });
    return inFlight;
  };

  return {
    start() {
      if (timer) return;
      void write(false);
      timer = setInterval(() => void write(false), intervalMs);
      timer.unref();
    },
    async stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      await write(true);
    },
  };
}

function parseHeartbeat(value: string | null): WorkersHeartbeatValue | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as Partial<WorkersHeartbeatValue>;
    if (
      typeof parsed.holder !== 'string' ||
      (parsed.kind !== 'serve' && parsed.kind !== 'backfill') ||
      typeof parsed.at !== 'string' ||
      typeof parsed.intervalMs !== 'number' ||
      !(parsed.intervalMs > 0)
    ) {
      return null;
    }
    return parsed as WorkersHeartbeatValue;
  } catch {
    return null;
  }
}
