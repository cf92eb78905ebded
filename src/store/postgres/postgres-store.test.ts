import { createTestClock } from '@referral-connector/test-kit';
import { expect, it } from 'vitest';
import {
  describePostgres,
  dropSchemasAfterAll,
  requirePostgres,
  TEST_POSTGRES_URL,
} from '../../../test/support/postgres.ts';
import { toReferralKey } from '../../core/domain.ts';
import type { InboxEntry, Link } from '../ports.ts';
import { StoreUnavailableError } from '../store-errors.ts';
import { createPostgresBackend } from './create-postgres-backend.ts';
import { driveDatabaseClock, drivenBy, openTestBackend, type TestBackendOptions } from './test-support.ts';

const postgres = await requirePostgres();

const event: InboxEntry = {
  receivedAt: '2026-11-02T09:00:00.000Z',
  eventName: 'referral-updated',
  resourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/ref-1',
  referralId: toReferralKey('ref-1'),
  kind: 'sync',
  rawBody: '{"EventName":"referral-updated"}',
  headers: { 'content-type': 'application/json' },
};

const link: Link = {
  referralId: toReferralKey('ref-1'),
  leadId: 'lead-1',
  lastReferralETag: '"etag-1"',
  lastReferralUpdatedAt: '2026-11-02T08:59:00.0000001Z',
  lastLeadHash: 'sha256:aaa',
  syncedAt: '2026-11-02T09:00:01.000Z',
};

describePostgres(postgres, 'postgres store', () => {
  const dropAfterAll = dropSchemasAfterAll();
  const open = async (options: TestBackendOptions = {}) => {
    const backend = await openTestBackend(options);
    dropAfterAll(backend.schema);
    return backend;
  };

  it('keeps the latest link of a referral, and none for a referral never synced', async () => {
    const { store, close } = await open();
    expect(await store.getLink(toReferralKey('ref-1'))).toBeNull();
    await store.saveLink(link);
    const updated = { ...link, lastReferralETag: '"etag-2"', lastLeadHash: 'sha256:bbb' };
    await store.saveLink(updated);

    expect(await store.getLink(toReferralKey('ref-1'))).toEqual(updated);
    expect((await store.status()).links).toEqual({ total: 1, lastSyncedAt: link.syncedAt });
    await close();
  });

  it("saves a link with its timeline, and lists a referral's events newest first with their details", async () => {
    const { store, close } = await open();
    await store.saveLink(link, [
      { at: '2026-11-02T09:00:00.000Z', step: 'fetch-referral', outcome: 'ok' },
      {
        at: '2026-11-02T09:00:00.001Z',
        step: 'upsert-lead',
        outcome: 'created',
        detail: { leadId: 'lead-1' },
      },
    ]);
    await store.appendTimeline(toReferralKey('ref-2'), [
      { at: '2026-11-02T09:00:01.000Z', step: 'fetch-referral', outcome: 'ok' },
    ]);
    await store.appendTimeline(toReferralKey('ref-1'), [
      {
        at: '2026-11-02T09:00:02.000Z',
        step: 'upsert-lead',
        outcome: 'retry',
        detail: { status: 503, retryAfterSeconds: 5, nested: { list: [1, 'two'] } },
      },
    ]);

    const events = await store.timeline(toReferralKey('ref-1'));

    expect(events.map(({ step, outcome, detail }) => ({ step, outcome, detail }))).toEqual([
      {
        step: 'upsert-lead',
        outcome: 'retry',
        detail: { status: 503, retryAfterSeconds: 5, nested: { list: [1, 'two'] } },
      },
      { step: 'upsert-lead', outcome: 'created', detail: { leadId: 'lead-1' } },
      { step: 'fetch-referral', outcome: 'ok', detail: null },
    ]);
    expect(await store.timeline(toReferralKey('ref-1'), 1)).toHaveLength(1);
    expect((await store.recentTimeline(2)).map((entry) => entry.referralId)).toEqual(['ref-1', 'ref-2']);
    await close();
  });

  it('returns the cursor and the secret bytes last stored under a name, and null for a name never set', async () => {
    const { store, close } = await open();
    await store.putCursor('feed', 'https://org.example/api/data/v9.2/leads?$deltatoken=1');
    await store.putCursor('feed', 'https://org.example/api/data/v9.2/leads?$deltatoken=2');
    await store.putSecret('token-cache', new Uint8Array([1, 2, 3]));
    await store.putSecret('token-cache', new Uint8Array([0, 255, 7, 0]));

    expect(await store.getCursor('feed')).toBe('https://org.example/api/data/v9.2/leads?$deltatoken=2');
    expect(await store.getCursor('other')).toBeNull();
    expect(await store.getSecret('token-cache')).toEqual(new Uint8Array([0, 255, 7, 0]));
    expect(await store.getSecret('other')).toBeNull();
    await close();
  });

  it('counts the inbox, links and jobs', async () => {
    const { store, queue, close } = await open();
    await store.recordInbox(event);
    await store.recordInbox({
      ...event,
      receivedAt: '2026-11-02T09:05:00.000Z',
      referralId: toReferralKey('ref-2'),
    });
    await store.recordInbox({ ...event, kind: 'test', referralId: null });
    await queue.claim({ workerId: 'w1', leaseMs: 30_000 });

    expect(await store.status()).toMatchObject({
      inbox: { total: 3, lastReceivedAt: '2026-11-02T09:05:00.000Z' },
      links: { total: 0, lastSyncedAt: null },
      jobs: { pending: 1, running: 1, dead: 0 },
    });
    await close();
  });

  it('deletes the oldest rows before the cutoffs, a bounded batch per call, and nothing else', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute)).toISOString();
    const { store, queue, close } = await open();
    for (let minute = 0; minute < 5; minute++) {
      await store.recordInbox({
        ...event,
        receivedAt: at(minute),
        referralId: toReferralKey(`ref-${minute}`),
      });
      await store.appendTimeline(toReferralKey(`ref-${minute}`), [
        { at: at(minute), step: 'fetch-referral', outcome: 'ok' },
      ]);
    }
    await store.saveLink(link);

    expect(await store.prune({ inboxBefore: at(3), timelineBefore: at(1), limit: 2 })).toEqual({
      inbox: 2,
      timeline: 1,
    });
    expect(await store.prune({ inboxBefore: at(3), timelineBefore: null, limit: 2 })).toEqual({
      inbox: 1,
      timeline: 0,
    });
    expect(await store.prune({ inboxBefore: at(3), timelineBefore: at(1), limit: 2 })).toEqual({
      inbox: 0,
      timeline: 0,
    });

    expect((await store.status()).inbox.total).toBe(2);
    expect((await store.recentTimeline(10)).map((entry) => entry.referralId)).toEqual([
      'ref-4',
      'ref-3',
      'ref-2',
      'ref-1',
    ]);
    // Jobs and links are not the pruner's.
    expect((await queue.stats()).pending).toBe(5);
    expect(await store.getLink(toReferralKey('ref-1'))).toMatchObject({ leadId: 'lead-1' });
    await close();
  });

  it('records an event dated the very instant the last sync wrote without a job, to the tick', async () => {
    const { store, close } = await open();
    await store.saveLink(link);

    const echo = await store.recordInbox({ ...event, changedAt: '2026-11-02T10:59:00.0000001+02:00' });
    const later = await store.recordInbox({ ...event, changedAt: '2026-11-02T08:59:00.0000002Z' });

    expect(echo).toMatchObject({ jobEnqueued: false, alreadySynced: true });
    expect(later).toMatchObject({ jobEnqueued: true });
    expect(await store.status()).toMatchObject({ inbox: { total: 2 }, jobs: { pending: 1 } });
    await close();
  });

  it('folds a burst of events after a sync into one job that runs the least interval after it', async () => {
    const clock = createTestClock(Date.parse('2026-11-22T10:00:00Z'));
    const backend = await open({ minSyncIntervalMs: 1_000 });
    const sync = await driveDatabaseClock(backend.schema, clock.now);
    const queue = drivenBy(backend.queue, sync);
    await backend.store.saveLink({ ...link, syncedAt: new Date(clock.now()).toISOString() });
    for (let i = 1; i <= 9; i++) {
      clock.advance(100);
      await queue.enqueue(toReferralKey('ref-1'), { reason: 'webhook' });
    }
    await queue.enqueue(toReferralKey('new-ref'), { reason: 'webhook' });

    expect((await queue.stats()).pending).toBe(2);
    expect((await queue.claim({ workerId: 'w', leaseMs: 10_000 }))?.referralId).toBe('new-ref');
    expect(await queue.claim({ workerId: 'w', leaseMs: 10_000 })).toBeNull();
    clock.advance(100);
    expect((await queue.claim({ workerId: 'w', leaseMs: 10_000 }))?.referralId).toBe('ref-1');
    await backend.close();
  });

  it('fails with a typed error saying why when the server cannot be reached or refuses, and once closed', async () => {
    // A port nothing listens on: the error says so, and never quotes the password.
    const unreachable = createPostgresBackend({ url: 'postgres://postgres:hunter2@127.0.0.1:9/postgres' });
    const failure = await unreachable.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(failure).toMatchObject({ code: 'store_unavailable', reason: 'unreachable' });
    expect(String((failure as Error).message)).toBe(
      'store unavailable: unreachable (connect ECONNREFUSED 127.0.0.1:9)',
    );
    const asNobody = new URL(TEST_POSTGRES_URL);
    asNobody.username = 'nobody';
    asNobody.password = 'hunter2';
    const noSuchRole = await createPostgresBackend({ url: asNobody.toString() }).catch(
      (error: unknown) => error,
    );
    expect(noSuchRole).toMatchObject({
      reason: 'cannot_open',
      message: expect.stringContaining('role "nobody"'),
    });
    expect(String((noSuchRole as Error).message)).not.toContain('hunter2');

    const { store, queue, close } = await open();
    await close();
    await expect(store.recordInbox(event)).rejects.toMatchObject({
      code: 'store_unavailable',
      reason: 'closed',
    });
    await expect(queue.claim({ workerId: 'w1', leaseMs: 1_000 })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await expect(queue.waitForWork()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
