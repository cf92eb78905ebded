/**
 * What is still in flight, read from the outside: events the dispatcher has not finished (pending or held
 * back) and jobs in the connector's SQLite file (read-only connection) that are pending or running.
 */
import { DatabaseSync } from 'node:sqlite';
import type { EmulatorWorld } from '@referral-connector/emulators';

export type BacklogProbe = {
  /** Nothing left to deliver and no job pending or running. */
  settled(): boolean;
  /** For a timeout message: what is left, and running jobs whose lease has passed (nobody will settle them). */
  describe(): string;
  close(): void;
};

export function createBacklogProbe(world: EmulatorWorld, databaseFile: string): BacklogProbe {
  const db = new DatabaseSync(databaseFile, { readOnly: true });
  const unfinished = db.prepare(`SELECT count(*) AS n FROM jobs WHERE state IN ('pending', 'running')`);
  const byState = db.prepare(`SELECT state, count(*) AS n FROM jobs GROUP BY state ORDER BY state`);
  const stranded = db.prepare(
    `SELECT referral_id, worker_id, attempts, lease_expires_at FROM jobs
     WHERE state = 'running' AND lease_expires_at < ? ORDER BY lease_expires_at LIMIT 5`,
  );
  const strandedCount = db.prepare(
    `SELECT count(*) AS n FROM jobs WHERE state = 'running' AND lease_expires_at < ?`,
  );
  const undelivered = () =>
    world.webhooks.deliveries().filter((d) => d.outcome === 'pending' || d.outcome === 'held').length;

  return {
    settled: () => undelivered() === 0 && (unfinished.get() as { n: number }).n === 0,
    describe() {
      const now = Date.now();
      const states = (byState.all() as Array<{ state: string; n: number }>).map((r) => `${r.state} ${r.n}`);
      const expired = (strandedCount.get(now) as { n: number }).n;
      const examples = (stranded.all(now) as Array<Record<string, unknown>>).map(
        (r) =>
          `${String(r.referral_id)} held by ${String(r.worker_id)} (attempt ${String(r.attempts)}), lease passed ${now - Number(r.lease_expires_at)} ms ago`,
      );
      return [
        `undelivered events ${undelivered()}; jobs: ${states.join(', ') || 'none'}`,
        `running jobs past their lease: ${expired}`,
        ...examples,
      ].join('\n');
    },
    close: () => db.close(),
  };
}
