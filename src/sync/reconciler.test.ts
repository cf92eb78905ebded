import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../test/support/connector-world.ts';
import { toReferralKey } from '../core/domain.ts';
import { createLogger } from '../observability/logger.ts';
import { createReferralsClient, type ReferralsClient } from '../partner-center/referrals-client.ts';
import type { StorageBackend } from '../store/ports.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { createReconciler, type ReconcilerOptions } from './reconciler.ts';

let cw: ConnectorWorld;
let referrals: ReferralsClient;
let backend: StorageBackend;

beforeAll(async () => {
  cw = await startConnectorWorld({ seed: 'reconciler' });
  referrals = createReferralsClient({
    baseUrl: cw.world.urls.referrals,
    http: cw.http('referrals'),
    tokens: await cw.signedInTokens(),
  });
  backend = createSqliteBackend({ path: join(mkdtempSync(join(tmpdir(), 'rc-reconcile-')), 'db.sqlite') });
});

afterAll(async () => {
  await backend.close();
  await cw.close();
});

const DAY_MS = 86_400_000;

function reconciler(overrides: Partial<ReconcilerOptions> = {}) {
  return createReconciler({
    referrals,
    store: backend.store,
    queue: backend.queue,
    logger: createLogger({ level: 'silent' }),
    intervalMs: 60_000,
    lookbackMs: 3_600_000,
    ...overrides,
  });
}

function freshBackend(): StorageBackend {
  return createSqliteBackend({ path: join(mkdtempSync(join(tmpdir(), 'rc-reconcile-')), 'db.sqlite') });
}

/** Claims every pending job and returns their referral ids, in claim order. */
async function drain(queue: StorageBackend['queue']): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const job = await queue.claim({ workerId: 'test', leaseMs: 60_000 });
    if (!job) return ids;
    ids.push(job.referralId);
    await queue.complete(job);
  }
}

describe('the reconciler', () => {
  it('enqueues a sync for every changed referral no webhook announced, once per version', async () => {
    // No webhook registration: as if Partner Center had given up on every delivery.
    const created = [1, 2, 3].map(() => cw.world.referrals.create({}, { as: 'microsoft' }));
    const pass = reconciler();

    const first = await pass.runOnce();
    expect(first.enqueued).toBeGreaterThanOrEqual(3);
    expect((await backend.queue.stats()).pending).toBe(first.enqueued);

    // Synced versions are skipped: pretend the sync ran by recording the eTags it would have seen.
    for (const referral of cw.world.referrals.all()) {
      await backend.store.saveLink({
        referralId: toReferralKey(referral.id),
        leadId: `lead-${referral.id}`,
        lastReferralETag: referral.eTag,
        lastReferralUpdatedAt: referral.updatedDateTime,
        lastLeadHash: null,
        syncedAt: new Date().toISOString(),
      });
    }
    const [changed] = created;
    if (!changed) throw new Error('expected referrals');
    cw.world.referrals.update(changed.id, { details: { notes: 'changed while nobody listened' } });

    const second = await pass.runOnce();
    expect(second.enqueued).toBe(1);
    expect(Date.parse(second.highWater)).toBeGreaterThanOrEqual(Date.parse(first.highWater));
  });
});

describe('the reconciler after an outage', () => {
  it('finds on its first pass, run at start, a referral changed while the connector was down for 3 days', async () => {
    const own = freshBackend();
    try {
      const beforeOutage = reconciler({ store: own.store, queue: own.queue, lookbackMs: DAY_MS });
      await beforeOutage.runOnce();
      await drain(own.queue);

      // Changed while nobody listened, and no webhook ever came.
      const changed = cw.world.referrals.create({}, { as: 'microsoft' });
      const stoppedAt = Date.now();

      // Restarted 3 days later (a fake clock: Partner Center's stamps stay where they were), with a 1 h
      // interval: a first pass that waits an interval would not come before the test's timeout.
      const restarted = reconciler({
        store: own.store,
        queue: own.queue,
        lookbackMs: DAY_MS,
        intervalMs: 3_600_000,
        now: () => stoppedAt + 3 * DAY_MS,
      });
      restarted.start();
      try {
        await vi.waitFor(async () => expect((await own.queue.stats()).pending).toBeGreaterThan(0), {
          timeout: 10_000,
        });
      } finally {
        await restarted.stop();
      }
      expect(await drain(own.queue)).toContain(toReferralKey(changed.id));
    } finally {
      await own.close();
    }
  });
});

describe('the referral key', () => {
  it('is what the reconciler enqueues however the API spells the id: one job with the webhook', async () => {
    const own = freshBackend();
    try {
      const target = cw.world.referrals.create({}, { as: 'microsoft' });
      // The webhook's job, under the key the ingress derives from the event's URI.
      await own.queue.enqueue(toReferralKey(target.id), { reason: 'webhook' });
      // The API spelling the same ids in upper case.
      const shouting = {
        ...referrals,
        async *list(query: Parameters<ReferralsClient['list']>[0]) {
          for await (const page of referrals.list(query)) {
            yield page.map((referral) => ({ ...referral, id: referral.id.toUpperCase() }));
          }
        },
      };

      await reconciler({ store: own.store, queue: own.queue, referrals: shouting }).runOnce();

      const jobs = await drain(own.queue);
      expect(jobs.filter((id) => id.toLowerCase() === target.id.toLowerCase())).toEqual([
        toReferralKey(target.id),
      ]);
    } finally {
      await own.close();
    }
  });
});

describe('the reconciler under a selection policy (sync.select)', () => {
  it('enqueues only the changed referrals the policy selects, and still moves its mark past the others', async () => {
    const own = freshBackend();
    try {
      const wanted = cw.world.referrals.create({}, { as: 'microsoft' });
      const outgoing = cw.world.referrals.create({}, { as: 'partner' });
      const closed = cw.world.referrals.create({ status: 'Closed', substatus: 'Lost' }, { as: 'microsoft' });

      const pass = await reconciler({
        store: own.store,
        queue: own.queue,
        select: { direction: 'incoming', statuses: ['New', 'Active'] },
      }).runOnce();

      const jobs = await drain(own.queue);
      expect(jobs).toContain(toReferralKey(wanted.id));
      expect(jobs).not.toContain(toReferralKey(outgoing.id));
      expect(jobs).not.toContain(toReferralKey(closed.id));
      expect(pass.skipped).toBeGreaterThanOrEqual(1);
      expect(pass.highWater >= (closed.updatedDateTime ?? '')).toBe(true);
    } finally {
      await own.close();
    }
  });
});
