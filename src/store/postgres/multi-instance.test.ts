/**
 * Several instances on one PostgreSQL schema, in real time (the database's own clock): what scale-out
 * must keep. Each instance is a full backend (pool, LISTEN session, heartbeat) in this process; the
 * SIGKILL of a real process is in test/failover/.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it, vi } from 'vitest';
import {
  describePostgres,
  dropSchemasAfterAll,
  requirePostgres,
  runSql,
} from '../../../test/support/postgres.ts';
import { toReferralKey } from '../../core/domain.ts';
import { createLogger } from '../../observability/logger.ts';
import type { SyncResult } from '../../sync/sync-referral.ts';
import { createSyncWorkers, type SettledJob } from '../../sync/sync-workers.ts';
import type { Job, StorageBackend } from '../ports.ts';
import { openTestBackend, type TestBackendOptions, throwawaySchemaName } from './test-support.ts';

const postgres = await requirePostgres();

describePostgres(postgres, 'several instances on one PostgreSQL schema', () => {
  const dropAfterAll = dropSchemasAfterAll();
  type Instance = Awaited<ReturnType<typeof openTestBackend>>;
  let opened: Instance[] = [];
  afterEach(async () => {
    await Promise.all(opened.map((backend) => backend.close()));
    opened = [];
  });

  /** `count` instances on one fresh schema. */
  async function instances(count: number, options: TestBackendOptions = {}): Promise<Instance[]> {
    const schema = dropAfterAll(throwawaySchemaName('multi'));
    const backends: Instance[] = [];
    for (let i = 0; i < count; i++) backends.push(await openTestBackend({ ...options, schema }));
    opened.push(...backends);
    return backends;
  }

  const entry = (referral: string, i: number) => ({
    receivedAt: new Date(Date.UTC(2026, 10, 2, 9, 0, 0, i)).toISOString(),
    eventName: 'referral-updated',
    resourceUri: `https://api.partner.microsoft.com/v1.0/engagements/referrals/${referral}`,
    referralId: toReferralKey(referral),
    kind: 'sync' as const,
    rawBody: '{}',
    headers: {},
  });

  const result = (job: Job): SyncResult => ({
    referralId: job.referralId,
    leadId: `lead-${job.referralId}`,
    lead: 'updated',
    referral: 'unchanged',
    leadWrittenAt: Date.now(),
  });

  function workersOn(
    backend: StorageBackend,
    name: string,
    sync: (job: Job) => Promise<SyncResult>,
    concurrency = 4,
  ) {
    const settled: SettledJob[] = [];
    const workers = createSyncWorkers({
      queue: backend.queue,
      sync,
      concurrency,
      leaseMs: 30_000,
      workerId: name,
      logger: createLogger({ level: 'silent' }),
      onSettled: (event) => settled.push(event),
    });
    workers.start();
    return { workers, settled };
  }

  it('lets any instance record any webhook and every instance claim, never running one referral on two at once', async () => {
    const backends = await instances(3);
    const referrals = Array.from({ length: 60 }, (_, i) => `ref-${String(i).padStart(2, '0')}`);
    // The "remote state" a sync reads: each event bumps its referral's version before it is recorded.
    const version = new Map(referrals.map((id) => [id, 0]));
    const synced = new Map<string, number>();
    const runningNow = new Set<string>();
    const overlaps: string[] = [];
    const claimsByInstance = [0, 0, 0];
    const sync = (index: number) => async (job: Job) => {
      if (runningNow.has(job.referralId)) overlaps.push(job.referralId);
      runningNow.add(job.referralId);
      claimsByInstance[index] = (claimsByInstance[index] ?? 0) + 1;
      const seen = version.get(job.referralId) ?? 0;
      await sleep(Math.floor(Math.random() * 5));
      runningNow.delete(job.referralId);
      synced.set(job.referralId, seen);
      return result(job);
    };
    const running = backends.map((backend, index) => workersOn(backend, `instance-${index}`, sync(index)));

    let recorded = 0;
    for (let round = 0; round < 5; round++) {
      for (const id of referrals) {
        version.set(id, (version.get(id) ?? 0) + 1);
        // Webhooks land on whichever instance the load balancer picked.
        const backend = backends[recorded % backends.length] as StorageBackend;
        await backend.store.recordInbox(entry(id, recorded));
        recorded += 1;
      }
    }

    await vi.waitFor(
      async () => {
        expect(await backends[0]?.queue.stats()).toMatchObject({ pending: 0, running: 0 });
        expect(Object.fromEntries(synced)).toEqual(Object.fromEntries(version));
      },
      { timeout: 20_000, interval: 50 },
    );
    await Promise.all(running.map(({ workers }) => workers.stop(5_000)));

    expect(overlaps).toEqual([]);
    expect(claimsByInstance.every((claims) => claims > 0)).toBe(true);
    expect((await backends[1]?.store.status())?.inbox.total).toBe(300);
    const outcomes = running.flatMap(({ settled }) => settled.map((event) => event.outcome));
    expect(outcomes.every((outcome) => outcome === 'synced')).toBe(true);
  });

  it("wakes another instance's idle worker within milliseconds of an enqueue (LISTEN/NOTIFY)", async () => {
    // Polling alone would take up to a minute here: only a notification can wake the worker in time.
    const [producer, consumer] = await instances(2, { maxIdleMs: 60_000, listeningIdleMs: 60_000 });
    if (!producer || !consumer) throw new Error('two instances expected');
    await consumer.queue.waitForWork(AbortSignal.timeout(1)); // connects the consumer's LISTEN session
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const waiting = consumer.queue.waitForWork();
      await sleep(5);
      const start = performance.now();
      await producer.queue.enqueue(toReferralKey(`ref-${i}`), { reason: 'webhook' });
      await waiting;
      latencies.push(performance.now() - start);
      const job = await consumer.queue.claim({ workerId: 'consumer', leaseMs: 30_000 });
      if (!job) throw new Error('the woken worker found no job');
      await consumer.queue.complete(job);
    }

    latencies.sort((x, y) => x - y);
    console.info(
      `LISTEN/NOTIFY pick-up (enqueue on one instance -> idle worker of another wakes): median ${latencies[10]?.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`,
    );
    expect(latencies.at(-1)).toBeLessThan(1_000);
  });

  it('takes back the running jobs of an instance whose heartbeat stopped, and only those', async () => {
    const [survivor] = await instances(1, { heartbeatMs: 200, instanceTimeoutMs: 1_000 });
    if (!survivor) throw new Error('an instance expected');
    const { schema } = survivor;
    await survivor.queue.enqueue(toReferralKey('ours'), { reason: 'webhook' });
    const ours = await survivor.queue.claim({ workerId: 'alive', leaseMs: 60_000 });
    // An instance that claimed a job and then went silent (its process was killed).
    await runSql(`
      INSERT INTO ${schema}.instances (id, host, pid, started_at, heartbeat_at)
      VALUES ('00000000-0000-4000-8000-000000000001', 'gone', 1, now(), now());
      INSERT INTO ${schema}.jobs (referral_id, state, reason, attempts, run_at, first_enqueued_at, enqueued_at,
        worker_id, instance_id, lease_token, lease_expires_at)
      VALUES ('theirs', 'running', 'webhook', 1, now(), now(), now(), 'gone/0',
        '00000000-0000-4000-8000-000000000001', gen_random_uuid(), now() + interval '1 hour');`);
    const silentSince = Date.now();

    await vi.waitFor(async () => expect((await survivor.queue.stats()).pending).toBe(1), {
      timeout: 5_000,
      interval: 25,
    });
    const resumedAfterMs = Date.now() - silentSince;

    const taken = await survivor.queue.claim({ workerId: 'alive', leaseMs: 60_000 });
    expect(taken).toMatchObject({ referralId: 'theirs', attempts: 2, lastError: { code: 'instance_lost' } });
    expect(await survivor.queue.complete(ours as Job)).toEqual({ outcome: 'completed' });
    // Timeout 1 s + one beat (200 ms), with room for a slow machine; the silent instance's row is gone.
    expect(resumedAfterMs).toBeLessThan(2_500);
    expect(await survivor.describe()).toMatchObject({
      kind: 'postgres',
      instances: [expect.objectContaining({ pid: process.pid, host: expect.any(String) })],
    });
  });

  it('lets one instance lead a pass at a time, and another take over when the leader releases or dies', async () => {
    const [a, b, c] = await instances(3);
    if (!a || !b || !c) throw new Error('three instances expected');

    const aLeads = a.leadership('crm-changes');
    expect(await aLeads.acquire()).toBe(true);
    expect(await aLeads.acquire()).toBe(true);
    expect(await b.leadership('crm-changes').acquire()).toBe(false);
    expect(await c.leadership('crm-changes').acquire()).toBe(false);
    expect(await b.leadership('pruning').acquire()).toBe(true); // names are independent

    await aLeads.release();
    const bLeads = b.leadership('crm-changes');
    expect(await bLeads.acquire()).toBe(true);
    expect(await c.leadership('crm-changes').acquire()).toBe(false);
    const description = await c.describe();
    const leader =
      description.kind === 'postgres' ? description.instances.find((i) => i.leading.length > 1) : undefined;
    expect(leader).toMatchObject({ leading: ['crm-changes', 'pruning'] });

    // The leader's connections are cut (its process was killed, its host lost): its locks go with them.
    await runSql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
      `referral-connector ${leader?.id.slice(0, 8)}`,
    ]);
    await vi.waitFor(async () => expect(await c.leadership('crm-changes').acquire()).toBe(true), {
      timeout: 5_000,
      interval: 50,
    });
    expect(await bLeads.acquire()).toBe(false);
  });

  it('serialises a read-refresh-write of a secret across instances', async () => {
    const backends = await instances(3);
    // Each "refresh" reads the secret, takes a while (a token request), and writes what it read plus one:
    // without the lock, instances refreshing together would each write from the same old value.
    const refresh = async (backend: StorageBackend) =>
      backend.store.withSecretLock('msal-cache/partner-center', async () => {
        const current = await backend.store.getSecret('msal-cache/partner-center');
        const value = current ? Number(Buffer.from(current).toString()) : 0;
        await sleep(5);
        await backend.store.putSecret('msal-cache/partner-center', Buffer.from(String(value + 1)));
      });

    await Promise.all(backends.flatMap((backend) => Array.from({ length: 8 }, () => refresh(backend))));

    const stored = await backends[0]?.store.getSecret('msal-cache/partner-center');
    expect(Buffer.from(stored ?? new Uint8Array()).toString()).toBe('24');
  });

  it('hands a running job of a gracefully stopped instance to nobody: it finishes, and nothing is lost or repeated', async () => {
    const [stopping, staying] = await instances(2);
    if (!stopping || !staying) throw new Error('two instances expected');
    const claims = new Map<string, number>();
    const gate = Promise.withResolvers<void>();
    const sync = async (job: Job) => {
      claims.set(job.id, (claims.get(job.id) ?? 0) + 1);
      if (job.referralId.startsWith('slow')) await gate.promise;
      return result(job);
    };
    const a = workersOn(stopping, 'stopping', sync, 4);
    const b = workersOn(staying, 'staying', sync, 4);
    for (let i = 0; i < 40; i++)
      await stopping.queue.enqueue(toReferralKey(`ref-${i}`), { reason: 'webhook' });
    for (let i = 0; i < 8; i++)
      await staying.queue.enqueue(toReferralKey(`slow-${i}`), { reason: 'webhook' });
    await vi.waitFor(() => expect(claims.size).toBeGreaterThan(20), { timeout: 10_000, interval: 10 });

    // SIGTERM: stop claiming, let running syncs finish within the deadline, then close.
    const stopped = a.workers.stop(10_000).then(() => stopping.close());
    await sleep(50);
    gate.resolve();
    await stopped;
    opened = opened.filter((backend) => backend !== stopping);
    for (let i = 40; i < 60; i++)
      await staying.queue.enqueue(toReferralKey(`ref-${i}`), { reason: 'webhook' });

    await vi.waitFor(
      async () => expect(await staying.queue.stats()).toMatchObject({ pending: 0, running: 0 }),
      {
        timeout: 10_000,
        interval: 25,
      },
    );
    await b.workers.stop(5_000);
    const settled = [...a.settled, ...b.settled];
    expect(settled.every((event) => event.outcome === 'synced')).toBe(true);
    expect(settled).toHaveLength(68);
    expect([...claims.values()].every((count) => count === 1)).toBe(true);
    expect(a.settled.length).toBeGreaterThan(0);
  });
});
