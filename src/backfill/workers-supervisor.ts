/**
 * Runs sync workers in the backfill's own process only while nobody else works the store: a live
 * `serve` (its workers' heartbeat, `workers-liveness.ts`) does the syncs at the CRM's pace, and a second
 * set of workers would pace itself separately and together exceed the CRM's limits. Checked again and
 * again: a serve that stops or dies hands the work to the backfill, and one that starts takes it over.
 */
import type { Logger } from '../observability/logger.ts';
import { readWorkersLiveness, type WorkersLiveness } from '../sync/workers-liveness.ts';

export type RunningWorkers = {
  /** The heartbeat holder these workers write under. */
  holder: string;
  /** Stops claiming, lets running syncs finish within the deadline, marks the heartbeat stopped. */
  stop(deadlineMs: number): Promise<void>;
};

export type WorkersMove = 'start' | 'stop' | 'keep';

/** What to do with our own workers (pure). */
export function decideWorkers(
  liveness: WorkersLiveness,
  own: { running: boolean; holder: string },
): WorkersMove {
  if (!own.running) return liveness.live ? 'keep' : 'start';
  // Our own beat is read back as live; only a serve's hands the work over. Another backfill running its
  // own workers does not: the two would keep handing over to each other.
  return liveness.live && liveness.holder !== own.holder && liveness.kind === 'serve' ? 'stop' : 'keep';
}

export type WorkersSupervisor = {
  /** Reads the heartbeat and starts or stops our workers accordingly; returns who works now. */
  check(): Promise<'own' | 'other'>;
  /** Stops our workers, if running. */
  stop(deadlineMs: number): Promise<void>;
  /** Whether our workers ran at any time. */
  readonly ranOwnWorkers: boolean;
};

export function createWorkersSupervisor(options: {
  readHeartbeat: () => Promise<string | null>;
  startWorkers: () => Promise<RunningWorkers>;
  /** Deadline for running syncs when handing over to a serve. */
  handOverDeadlineMs?: number;
  logger: Logger;
  now?: () => number;
}): WorkersSupervisor {
  const now = options.now ?? Date.now;
  let own: RunningWorkers | undefined;
  let ranOwnWorkers = false;

  return {
    async check() {
      const liveness = readWorkersLiveness(await options.readHeartbeat(), now());
      const move = decideWorkers(liveness, { running: own !== undefined, holder: own?.holder ?? '' });
      if (move === 'start') {
        own = await options.startWorkers();
        ranOwnWorkers = true;
        options.logger.info('no serve works this store: backfill runs the sync workers itself');
      } else if (move === 'stop' && own) {
        const stopping = own;
        own = undefined;
        options.logger.info('a serve works this store now: backfill hands the syncs over to it');
        await stopping.stop(options.handOverDeadlineMs ?? 10_000);
      }
      return own ? 'own' : 'other';
    },
    async stop(deadlineMs) {
      const stopping = own;
      own = undefined;
      await stopping?.stop(deadlineMs);
    },
    get ranOwnWorkers() {
      return ranOwnWorkers;
    },
  };
}
