import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestClock, type TestClock } from '@referral-connector/test-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld, waitFor } from '../../test/support/connector-world.ts';
import type { TokenProvider } from '../auth/token-provider.ts';
import { toReferralKey } from '../core/index.ts';
import { createDynamicsAdapter } from '../crm/dynamics/dynamics-adapter.ts';
import { createLogger } from '../observability/logger.ts';
import { createReferralsClient } from '../partner-center/referrals-client.ts';
import type { StorageBackend } from '../store/ports.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { type SyncResult, syncReferral } from './sync-referral.ts';
import { createSyncWorkers, type SettledJob, type SyncWorkers } from './sync-workers.ts';

const GET_REFERRAL = 'GET /v1.0/engagements/referrals/:id';
const LEASE_MS = 30_000;

let cw: ConnectorWorld;
let userTokens: TokenProvider;
let crmTokens: TokenProvider;
beforeAll(async () => {
  cw = await startConnectorWorld();
  userTokens = await cw.signedInTokens();
  crmTokens = cw.appTokens(cw.world.dataverseOrgUrl);
});
afterAll(() => cw?.close());

// Per test: a fresh database, a clock that moves only when told, and fresh clients (a 429 pauses a
// client for its Retry-After, which must not leak into the next test).
let directory: string;
let clock: TestClock;
let backend: StorageBackend;
let settled: SettledJob[];
let running: SyncWorkers | undefined;
/** What a test opened beyond the above, closed after it whether it passed or not (last opened first). */
let opened: Array<() => Promise<void>>;
beforeEach(() => {
  opened = [];
  directory = mkdtempSync(join(tmpdir(), 'sync-workers-'));
  clock = createTestClock(Date.now());
  backend = createSqliteBackend({
    path: join(directory, 'connector.db'),
    clock: clock.now,
    maxAttempts: 5,
    // Idle workers look again this often: moving the test clock wakes nobody.
    maxIdleMs: 20,
  });
  settled = [];
});
afterEach(async () => {
  try {
    for (const close of opened.reverse()) await close();
    await running?.stop(1_000);
  } finally {
    running = undefined;
    cw.world.traffic.setFaults({});
    await backend.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

function realSync(): (referralId: string) => Promise<SyncResult> {
  const referrals = createReferralsClient({
    baseUrl: cw.world.urls.referrals,
    http: cw.http('referrals'),
    tokens: userTokens,
  });
  const crm = createDynamicsAdapter({
    url: cw.world.dataverseOrgUrl,
    apiVersion: 'v9.2',
    referralIdColumn: 'new_referralid',
    referralUrlColumn: 'new_referralurl',
    http: cw.http('dataverse'),
    tokens: crmTokens,
  });
  return (referralId) => syncReferral(referralId, { referrals, crm, store: backend.store, writeBack: true });
}

function startWorkers(sync: (referralId: string) => Promise<SyncResult>, concurrency = 2): SyncWorkers {
  running = createSyncWorkers({
    queue: backend.queue,
    sync: (job) => sync(job.referralId),
    concurrency,
    leaseMs: LEASE_MS,
    workerId: 'test-worker',
    logger: createLogger({ level: 'silent' }),
    now: clock.now,
    onSettled: (event) => settled.push(event),
  });
  running.start();
  return running;
}

/** A promise with its resolve function, to hold a sync at a known point. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const incoming = () => cw.world.referrals.create({}, { as: 'microsoft' });

describe('sync workers', () => {
  it('drains the queue: every enqueued referral gets exactly one lead and its job is done', async () => {
    const ids = [incoming().id, incoming().id, incoming().id, incoming().id];
    for (const id of ids) await backend.queue.enqueue(toReferralKey(id), { reason: 'webhook' });
    startWorkers(realSync());

    await waitFor(() => settled.length === ids.length, 'four settled jobs');
    expect(settled.map((event) => event.outcome)).toEqual(['synced', 'synced', 'synced', 'synced']);
    for (const id of ids) {
      const leads = cw.world.dataverse.leads().filter((lead) => lead.new_referralid === toReferralKey(id));
      expect(leads).toHaveLength(1);
      expect(cw.world.referrals.get(id)?.externalReferenceId).toBe(leads[0]?.leadid);
    }
    expect(await backend.queue.stats()).toMatchObject({ pending: 0, running: 0, dead: 0 });
  });

  it('hands a batch of new jobs to as many idle workers at once, though one wake-up announced it', async () => {
    // Idle workers that never look again by themselves: only wake-ups can start them.
    const sleepy = createSqliteBackend({ path: join(directory, 'sleepy.db'), maxIdleMs: 60_000 });
    opened.push(() => sleepy.close());
    const release = gate();
    let inFlight = 0;
    let mostAtOnce = 0;
    let idle = 0;
    const workers = createSyncWorkers({
      // Counts the workers waiting for work, so the test starts once all four are idle.
      queue: {
        ...sleepy.queue,
        async waitForWork(signal) {
          idle += 1;
          try {
            await sleepy.queue.waitForWork(signal);
          } finally {
            idle -= 1;
          }
        },
      },
      sync: async ({ referralId }) => {
        inFlight += 1;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        await release.opened;
        inFlight -= 1;
        return { referralId, leadId: 'lead', lead: 'unchanged', referral: 'unchanged', leadWrittenAt: 0 };
      },
      concurrency: 4,
      leaseMs: LEASE_MS,
      workerId: 'sleepy',
      logger: createLogger({ level: 'silent' }),
    });
    workers.start();
    opened.push(
      () => workers.stop(1_000),
      async () => release.open(),
    );
    await waitFor(() => idle === 4, 'four idle workers');

    // One group commit of four callbacks: one wake-up for all of them.
    await Promise.all(
      ['ref-a', 'ref-b', 'ref-c', 'ref-d'].map((referralId) =>
        sleepy.store.recordInbox({
          receivedAt: new Date().toISOString(),
          eventName: 'referral-created',
          resourceUri: `https://api.partnercenter.microsoft.com/engagements/v1/referrals/${referralId}`,
          referralId: toReferralKey(referralId),
          kind: 'sync',
          rawBody: '{}',
          headers: {},
        }),
      ),
    );
    // Without a wake-up for each idle worker, the others would sleep out their 60 s.
    await waitFor(() => inFlight === 4, 'four syncs running at once', 2_000);
    expect(mostAtOnce).toBe(4);
  });

  it("puts a throttled sync back no earlier than the remote's Retry-After", async () => {
    const { id } = incoming();
    cw.world.traffic.setFaults({
      referrals: { endpoints: { [GET_REFERRAL]: { '429': 1, retryAfterSeconds: 30 } } },
    });
    await backend.queue.enqueue(toReferralKey(id), { reason: 'webhook' });
    const workers = startWorkers(realSync());

    await waitFor(() => settled.length === 1, 'the throttled job to settle');
    await workers.stop(1_000);
    expect(settled[0]).toMatchObject({ outcome: 'retry', code: 'referrals_throttled' });
    expect(await backend.queue.stats()).toMatchObject({ pending: 1, scheduled: 1, running: 0 });

    const claim = () => backend.queue.claim({ workerId: 'test', leaseMs: LEASE_MS });
    clock.advance(29_999);
    expect(await claim()).toBeNull();
    clock.advance(1);
    expect(await claim()).toMatchObject({
      referralId: id,
      attempts: 2,
      lastError: { code: 'referrals_throttled' },
    });
  });

  it('dead-letters a permanent failure at once, with its code', async () => {
    const missing = '00000000-0000-4000-8000-0000000000aa';
    await backend.queue.enqueue(toReferralKey(missing), { reason: 'webhook' });
    startWorkers(realSync());

    await waitFor(() => settled.length === 1, 'the failed job to settle');
    expect(settled[0]).toMatchObject({ outcome: 'dead_letter', code: 'referrals_not_found' });
    expect(await backend.queue.deadLetters()).toEqual([
      expect.objectContaining({
        referralId: missing,
        attempts: 1,
        error: expect.objectContaining({ code: 'referrals_not_found' }),
      }),
    ]);
  });

  it('dead-letters a retried failure once its attempts are used up', async () => {
    const { id } = incoming();
    cw.world.traffic.setFaults({ referrals: { endpoints: { [GET_REFERRAL]: { '5xx': 1 } } } });
    await backend.queue.enqueue(toReferralKey(id), { reason: 'webhook' });
    startWorkers(realSync(), 1);

    // Back-offs are scheduled on the test clock: step over each one as it appears.
    await waitFor(async () => {
      if (settled.at(-1)?.outcome === 'dead_letter') return true;
      clock.advance(60_000);
      return false;
    }, 'the job to run out of attempts');
    expect(settled.map((event) => event.outcome)).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
      'dead_letter',
    ]);
    expect(await backend.queue.deadLetters()).toEqual([
      expect.objectContaining({
        referralId: id,
        attempts: 5,
        error: expect.objectContaining({ code: 'referrals_unavailable' }),
      }),
    ]);
  });

  it('lets a running sync finish before stop() resolves, and claims nothing afterwards', async () => {
    const { id } = incoming();
    const entered = gate();
    const release = gate();
    const sync = realSync();
    startWorkers(async (referralId) => {
      entered.open();
      await release.opened;
      return sync(referralId);
    });
    await backend.queue.enqueue(toReferralKey(id), { reason: 'webhook' });
    await entered.opened;

    const order: string[] = [];
    const stopped = (running as SyncWorkers).stop(10_000).then(() => order.push('stopped'));
    release.open();
    await stopped;
    order.splice(0, 0, ...settled.map((event) => event.outcome));

    expect(order).toEqual(['synced', 'stopped']);
    await backend.queue.enqueue(toReferralKey(incoming().id), { reason: 'webhook' });
    expect(await backend.queue.claim({ workerId: 'test', leaseMs: LEASE_MS })).not.toBeNull();
  });

  it('returns from stop() by its deadline when a sync hangs, leaving the job running under its lease', async () => {
    const { id } = incoming();
    const entered = gate();
    const release = gate();
    startWorkers(async () => {
      entered.open();
      await release.opened;
      throw new Error('released after the test');
    });
    await backend.queue.enqueue(toReferralKey(id), { reason: 'webhook' });
    await entered.opened;

    await (running as SyncWorkers).stop(50);
    expect(await backend.queue.stats()).toMatchObject({ running: 1 });
    release.open();
    await waitFor(() => settled.length === 1, 'the released sync to settle');
  });
});
