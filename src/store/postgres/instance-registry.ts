import { hostname } from 'node:os';
import type { Pool } from 'pg';

/**
 * This instance's row in `instances`: written when it first claims a job or leads a pass (CLI commands
 * never do), refreshed every `heartbeatMs`, deleted on close. Each beat also runs `onBeat` — taking
 * back the running jobs of instances whose heartbeat stopped — so a SIGKILLed instance's jobs resume
 * within `timeoutMs + heartbeatMs` on any other instance, whatever their lease. An instance judges
 * others only once its own beats have succeeded for `timeoutMs` (see `mayJudgeOthers`).
 */
export type InstanceRegistry = {
  readonly id: string;
  ensureRegistered(): Promise<void>;
  /** Whether this instance's own beats have succeeded for the whole timeout (see `mayJudgeOthers`). */
  mayJudgeOthers(): boolean;
  /** Records the passes this instance leads (shown by `status`; the advisory locks decide). */
  noteLeading(name: string, leading: boolean): Promise<void>;
  close(): Promise<void>;
};

export type InstanceRegistryOptions = {
  id: string;
  heartbeatMs: number;
  /** After how long without a heartbeat an instance counts as dead (see `onBeat`). */
  timeoutMs: number;
  onBeat(): Promise<unknown>;
};

// Re-inserts a row others deleted while this instance was presumed dead (a long pause): it is alive.
const BEAT = `
  INSERT INTO instances (id, host, pid, started_at, heartbeat_at, leads)
  VALUES ($1, $2, $3, connector_now(), connector_now(), $4)
  ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, leads = excluded.leads`;
// Rows of dead instances go once nothing of theirs is still running (recovery runs first).
const FORGET_DEAD = `
  DELETE FROM instances
  WHERE heartbeat_at < connector_now() - $1::double precision * interval '1 millisecond'
    AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.instance_id = instances.id AND jobs.state = 'running')`;

export function createInstanceRegistry(pool: Pool, options: InstanceRegistryOptions): InstanceRegistry {
  let registered: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> = Promise.resolve();
  let closed = false;
  const leading = new Set<string>();
  // Since when this instance's own beats have all succeeded (performance.now()), or undefined.
  let healthySince: number | undefined;

  const beat = async () => {
    try {
      await pool.query(BEAT, [options.id, hostname(), process.pid, [...leading].sort()]);
      healthySince ??= performance.now();
    } catch (error) {
      healthySince = undefined;
      throw error;
    }
  };
  /**
   * Others look dead only to an instance that has itself been beating for the whole timeout: after the
   * database was down or unreachable for a while, every instance's last beat is old, and the first to
   * come back must not take the jobs of all the others, who are alive and about to beat again.
   */
  const mayJudgeOthers = () =>
    healthySince !== undefined && performance.now() - healthySince >= options.timeoutMs;

  const tick = () => {
    // One beat at a time: a slow database must not pile them up.
    beating = beating.then(async () => {
      if (closed) return;
      try {
        await beat();
        if (!mayJudgeOthers()) return;
        await options.onBeat();
        await pool.query(FORGET_DEAD, [options.timeoutMs]);
      } catch {
        // The database is unreachable or busy: the next beat tries again. Other instances may
        // meanwhile presume this one dead and take its jobs back, which lease tokens make safe.
      }
    });
  };

  return {
    id: options.id,
    mayJudgeOthers,
    ensureRegistered() {
      registered ??= beat().then(
        () => {
          timer = setInterval(tick, options.heartbeatMs);
          timer.unref();
        },
        (error: unknown) => {
          registered = undefined;
          throw error;
        },
      );
      return registered;
    },
    async noteLeading(name, isLeading) {
      const changed = isLeading ? !leading.has(name) : leading.has(name);
      if (isLeading) leading.add(name);
      else leading.delete(name);
      if (changed && registered) await beat().catch(() => {});
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await beating;
      if (registered) await pool.query('DELETE FROM instances WHERE id = $1', [options.id]).catch(() => {});
    },
  };
}
