import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { BackendDescription, InstanceDescription, Leadership, StorageBackend } from '../ports.ts';
import { QUEUE_DEFAULTS } from '../queue-defaults.ts';
import { createWorkSignal } from '../work-signal.ts';
import { connectionConfig, DEFAULT_SCHEMA, describeServer } from './connection-config.ts';
import { createInstanceRegistry } from './instance-registry.ts';
import { migrate, SchemaMissingError, schemaExists } from './migrate.ts';
import { guard } from './postgres-errors.ts';
import { countWakeUps, createPostgresJobQueue } from './postgres-job-queue.ts';
import { createPostgresLeadership } from './postgres-leadership.ts';
import { createPostgresStore } from './postgres-store.ts';
import { createSessionConnection } from './session-connection.ts';

export type PostgresBackendOptions = {
  /** `postgres://user@host:5432/database?sslmode=…` (see ./connection-config.ts). */
  url: string;
  /** The schema holding the connector's tables; created and migrated when missing (see `mustExist`). */
  schema?: string;
  /** Refuse (`SchemaMissingError`) instead of creating a missing schema: for commands that inspect one. */
  mustExist?: boolean;
  /** Pooled connections (the LISTEN/leadership session is one more). */
  poolSize?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Float in [0, 1) for the retry jitter; injectable so tests get exact back-offs. */
  random?: () => number;
  /** Longest an idle worker sleeps while the LISTEN session is down (it polls then). */
  maxIdleMs?: number;
  /** Longest an idle worker sleeps while LISTEN is up (a safety net: every write path notifies). */
  listeningIdleMs?: number;
  /** See SqliteJobQueueOptions.minSyncIntervalMs. */
  minSyncIntervalMs?: number;
  /** How often a working instance proves it is alive. */
  heartbeatMs?: number;
  /** After how long without a heartbeat an instance is dead and its running jobs are taken back. */
  instanceTimeoutMs?: number;
};

export const POSTGRES_DEFAULTS = {
  schema: DEFAULT_SCHEMA,
  poolSize: 10,
  // A SIGKILLed instance's jobs resume within timeout + one beat (+ a claim): under the 15 s promised.
  heartbeatMs: 2_500,
  instanceTimeoutMs: 10_000,
  /** With LISTEN up every write path notifies; polling is only a safety net then. */
  listeningIdleMs: 30_000,
  secretLockTimeoutMs: 30_000,
  connectionTimeoutMs: 10_000,
} as const;

/**
 * The scale-out backend: the connector's tables in one schema of a PostgreSQL database shared by any
 * number of instances, behind the `Store` and `JobQueue` ports. Migrates the schema on open (under an
 * advisory lock, so instances may start together).
 */
export async function createPostgresBackend(options: PostgresBackendOptions): Promise<StorageBackend> {
  const schema = options.schema ?? POSTGRES_DEFAULTS.schema;
  const instanceId = randomUUID();
  const config = connectionConfig(options.url, schema, `referral-connector ${instanceId.slice(0, 8)}`);
  const pool = new pg.Pool({
    ...config,
    max: options.poolSize ?? POSTGRES_DEFAULTS.poolSize,
    connectionTimeoutMillis: POSTGRES_DEFAULTS.connectionTimeoutMs,
    keepAlive: true,
  });
  // An idle client whose server went away: reported here instead of crashing the process; the next
  // query on the pool gets a fresh connection or a `StoreUnavailableError`.
  pool.on('error', () => {});

  try {
    await guard(async () => {
      const client = await pool.connect();
      try {
        if (options.mustExist && !(await schemaExists(client, schema))) throw new SchemaMissingError(schema);
        await migrate(client, schema);
      } finally {
        client.release();
      }
    });
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }

  const signal = countWakeUps(createWorkSignal());
  const channel = `${schema}.jobs`;
  const session = createSessionConnection({
    config,
    channel,
    // Another instance changed the queue (our own writes woke our workers already).
    onNotification: (payload) => {
      if (payload !== instanceId) signal.notify();
    },
  });
  // Notifications may have been missed while the session was down: let every idle worker look again.
  session.onLost(() => signal.notifyAll());

  const heartbeatMs = options.heartbeatMs ?? POSTGRES_DEFAULTS.heartbeatMs;
  const instanceTimeoutMs = options.instanceTimeoutMs ?? POSTGRES_DEFAULTS.instanceTimeoutMs;
  let recoverLostInstances: () => Promise<number> = async () => 0;
  const registry = createInstanceRegistry(pool, {
    id: instanceId,
    heartbeatMs,
    timeoutMs: instanceTimeoutMs,
    onBeat: () => recoverLostInstances(),
  });

  const queue = createPostgresJobQueue(pool, {
    maxAttempts: options.maxAttempts ?? QUEUE_DEFAULTS.maxAttempts,
    backoff: {
      baseMs: options.backoffBaseMs ?? QUEUE_DEFAULTS.backoffBaseMs,
      capMs: options.backoffCapMs ?? QUEUE_DEFAULTS.backoffCapMs,
    },
    random: options.random ?? Math.random,
    maxIdleMs: options.maxIdleMs ?? QUEUE_DEFAULTS.maxIdleMs,
    listeningIdleMs: options.listeningIdleMs ?? POSTGRES_DEFAULTS.listeningIdleMs,
    minSyncIntervalMs: options.minSyncIntervalMs ?? 0,
    signal,
    channel,
    instanceTimeoutMs,
    instance: {
      id: instanceId,
      ensureRegistered: () => registry.ensureRegistered(),
      mayJudgeOthers: () => registry.mayJudgeOthers(),
      async ensureListening() {
        await session.client();
        return session.connected;
      },
    },
  });
  recoverLostInstances = () => queue.recoverLostInstances();

  const lockNamespace = `referral-connector:${schema}`;
  const store = createPostgresStore(pool, queue, {
    lockNamespace,
    secretLockTimeoutMs: POSTGRES_DEFAULTS.secretLockTimeoutMs,
  });

  // One object per name: two for the same name would both lead (session locks are re-entrant).
  const leaderships = new Map<string, Leadership>();
  let closed = false;
  return {
    store,
    queue,
    leadership(name) {
      let leadership = leaderships.get(name);
      if (!leadership) {
        leadership = createPostgresLeadership(name, { session, registry, lockNamespace });
        leaderships.set(name, leadership);
      }
      return leadership;
    },
    async describe(): Promise<BackendDescription> {
      const { rows } = await guard(() =>
        pool.query('SELECT * FROM instances ORDER BY heartbeat_at DESC, started_at DESC'),
      );
      return {
        kind: 'postgres',
        server: describeServer(options.url),
        schema,
        instances: rows.map(
          (row): InstanceDescription => ({
            id: row.id,
            host: row.host,
            pid: row.pid,
            startedAt: row.started_at,
            heartbeatAt: row.heartbeat_at,
            leading: row.leads,
          }),
        ),
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      // Leads and LISTEN end with the session; the instance's row goes, so any job still running here
      // (a sync past the stop deadline) is taken back by another instance at its next beat.
      await session.close();
      await registry.close();
      await pool.end();
      // Idle workers wake, try to claim and get `StoreUnavailableError('closed')`.
      signal.notifyAll();
    },
  };
}
