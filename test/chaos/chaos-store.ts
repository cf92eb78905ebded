/**
 * What the chaos checks read from the connector's store, from outside the connector: its SQLite file
 * (read-only connection) or its PostgreSQL schema (a connection of its own). The same rows either way,
 * so the backlog probe, the delivery audit and the figures do not care which store the run used.
 */
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type { DeadLetter } from '../../src/store/ports.ts';
import { connectionConfig } from '../../src/store/postgres/connection-config.ts';
import { createPostgresBackend } from '../../src/store/postgres/create-postgres-backend.ts';
import { createSqliteBackend } from '../../src/store/sqlite/create-sqlite-backend.ts';

export type InboxRow = {
  id: number;
  received_at: string;
  referral_id: string | null;
  kind: string;
  raw_body: string;
};
export type LinkRow = { referral_id: string; synced_at: string; last_referral_updated_at: string | null };
/** `dead_at` in ms since the epoch. */
export type DeadRow = { referral_id: string; dead_at: number };
export type AuditRows = { inbox: InboxRow[]; links: LinkRow[]; dead: DeadRow[] };

export type ChaosStore = {
  /** Jobs pending or running. */
  unfinishedJobs(): Promise<number>;
  /** Jobs by state, and running jobs nobody will settle (lease passed, or their instance is gone). */
  describeJobs(): Promise<string>;
  /** Referral events of the inbox, the links and the dead jobs: what the delivery audit follows. */
  auditRows(): Promise<AuditRows>;
  /** Failed syncs on the timeline, most first, by lower-case referral id. */
  syncFailures(): Promise<Array<{ referral: string; n: number }>>;
  /** The queue's dead letters, read through the backend as `status` reads them. */
  deadLetters(): Promise<DeadLetter[]>;
  close(): Promise<void>;
};

const INBOX = `SELECT id, received_at, referral_id, kind, raw_body FROM inbox WHERE referral_id IS NOT NULL`;
const LINKS = `SELECT referral_id, synced_at, last_referral_updated_at FROM links`;
const UNFINISHED = `SELECT count(*) AS n FROM jobs WHERE state IN ('pending', 'running')`;
const BY_STATE = `SELECT state, count(*) AS n FROM jobs GROUP BY state ORDER BY state`;
const FAILURES = `SELECT lower(referral_id) AS referral, count(*) AS n FROM timeline
  WHERE step = 'sync' AND outcome = 'failed' GROUP BY lower(referral_id) ORDER BY n DESC`;

export function openSqliteChaosStore(databaseFile: string): ChaosStore {
  const db = new DatabaseSync(databaseFile, { readOnly: true });
  const stranded = db.prepare(
    `SELECT referral_id, worker_id, attempts, lease_expires_at FROM jobs
     WHERE state = 'running' AND lease_expires_at < ? ORDER BY lease_expires_at LIMIT 5`,
  );
  const strandedCount = db.prepare(
    `SELECT count(*) AS n FROM jobs WHERE state = 'running' AND lease_expires_at < ?`,
  );
  return {
    unfinishedJobs: async () => Number((db.prepare(UNFINISHED).get() as { n: number }).n),
    async describeJobs() {
      const now = Date.now();
      const examples = (stranded.all(now) as Array<Record<string, unknown>>).map(
        (r) =>
          `${String(r.referral_id)} held by ${String(r.worker_id)} (attempt ${String(r.attempts)}), lease passed ${now - Number(r.lease_expires_at)} ms ago`,
      );
      return describe(
        db.prepare(BY_STATE).all() as Array<{ state: string; n: number }>,
        Number((strandedCount.get(now) as { n: number }).n),
        examples,
      );
    },
    async auditRows() {
      return {
        inbox: db.prepare(INBOX).all() as InboxRow[],
        links: db.prepare(LINKS).all() as LinkRow[],
        dead: (
          db.prepare(`SELECT referral_id, dead_at FROM jobs WHERE state = 'dead'`).all() as DeadRow[]
        ).map((row) => ({ referral_id: row.referral_id, dead_at: Number(row.dead_at) })),
      };
    },
    syncFailures: async () =>
      (db.prepare(FAILURES).all() as Array<{ referral: string; n: number }>).map((row) => ({
        referral: row.referral,
        n: Number(row.n),
      })),
    async deadLetters() {
      const backend = createSqliteBackend({ path: databaseFile });
      try {
        return await backend.queue.deadLetters();
      } finally {
        await backend.close();
      }
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}

/**
 * PostgreSQL: a running job is stranded when its lease passed or its instance stopped beating (another
 * instance takes such jobs back once it has missed the instance's heartbeats for the timeout).
 */
export function openPostgresChaosStore(url: string, schema: string): ChaosStore {
  const pool = new pg.Pool({ ...connectionConfig(url, schema, 'chaos checks'), max: 2 });
  pool.on('error', () => {});
  const rows = async <T>(sql: string, values: unknown[] = []) => (await pool.query(sql, values)).rows as T[];
  return {
    unfinishedJobs: async () => Number((await rows<{ n: string }>(UNFINISHED))[0]?.n ?? 0),
    async describeJobs() {
      const stranded = await rows<Record<string, unknown>>(
        `SELECT j.referral_id, j.worker_id, j.attempts,
                extract(epoch FROM now() - j.lease_expires_at) * 1000 AS lease_passed_ms,
                extract(epoch FROM now() - i.heartbeat_at) * 1000 AS silent_ms
         FROM jobs j LEFT JOIN instances i ON i.id = j.instance_id
         WHERE j.state = 'running'
           AND (j.lease_expires_at < now() OR i.id IS NULL OR i.heartbeat_at < now() - interval '10 seconds')
         ORDER BY j.lease_expires_at`,
      );
      return describe(
        (await rows<{ state: string; n: string }>(BY_STATE)).map((r) => ({ state: r.state, n: Number(r.n) })),
        stranded.length,
        stranded
          .slice(0, 5)
          .map(
            (r) =>
              `${String(r.referral_id)} held by ${String(r.worker_id)} (attempt ${String(r.attempts)}), lease passed ${Math.round(Number(r.lease_passed_ms))} ms ago, instance ${r.silent_ms === null ? 'gone' : `silent ${Math.round(Number(r.silent_ms))} ms`}`,
          ),
      );
    },
    async auditRows() {
      const dead = await rows<{ referral_id: string; dead_at: string }>(
        `SELECT referral_id, extract(epoch FROM dead_at) * 1000 AS dead_at FROM jobs WHERE state = 'dead'`,
      );
      return {
        inbox: (await rows<InboxRow & { id: string }>(INBOX)).map((row) => ({ ...row, id: Number(row.id) })),
        links: await rows<LinkRow>(LINKS),
        dead: dead.map((row) => ({ referral_id: row.referral_id, dead_at: Number(row.dead_at) })),
      };
    },
    syncFailures: async () =>
      (await rows<{ referral: string; n: string }>(FAILURES)).map((row) => ({
        referral: row.referral,
        n: Number(row.n),
      })),
    async deadLetters() {
      const backend = await createPostgresBackend({ url, schema, mustExist: true });
      try {
        return await backend.queue.deadLetters();
      } finally {
        await backend.close();
      }
    },
    close: () => pool.end(),
  };
}

function describe(states: Array<{ state: string; n: number }>, stranded: number, examples: string[]): string {
  return [
    `jobs: ${states.map((r) => `${r.state} ${r.n}`).join(', ') || 'none'}`,
    `running jobs nobody will settle (lease passed, instance gone or silent): ${stranded}`,
    ...examples,
  ].join('\n');
}
