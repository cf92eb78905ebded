import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { createTestClock } from '../../../test/contract/test-clock.ts';
import { toReferralKey } from '../../core/domain.ts';
import type { InboxEntry, Link } from '../ports.ts';
import { StoreUnavailableError } from '../store-errors.ts';
import { createSqliteBackend, type SqliteBackendOptions } from './create-sqlite-backend.ts';
import { databasePathIn, useTempDirectory } from './test-support.ts';

const event: InboxEntry = {
  receivedAt: '2026-11-02T09:00:00.000Z',
  eventName: 'referral-updated',
  resourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/ref-1',
  referralId: toReferralKey('ref-1'),
  kind: 'sync',
  rawBody: '{"EventName":"referral-updated"}',
  headers: { authorization: 'Signature …' },
};

const link: Link = {
  referralId: toReferralKey('ref-1'),
  leadId: 'lead-1',
  lastReferralETag: '"etag-1"',
  lastReferralUpdatedAt: '2026-11-02T08:59:00.000Z',
  lastLeadHash: 'sha256:aaa',
  syncedAt: '2026-11-02T09:00:01.000Z',
};

describe('sqlite store', () => {
  const tempDirectory = useTempDirectory();
  const open = (options: Partial<SqliteBackendOptions> & { path?: string } = {}) => {
    const backend = createSqliteBackend({ path: databasePathIn(tempDirectory()), ...options });
    return backend;
  };

  describe('links', () => {
    it('returns no link for a referral never synced', async () => {
      const { store, close } = open();
      expect(await store.getLink(toReferralKey('ref-1'))).toBeNull();
      await close();
    });

    it('keeps the latest link of a referral', async () => {
      const { store, close } = open();
      await store.saveLink(link);
      const updated = { ...link, lastReferralETag: '"etag-2"' };
      await store.saveLink(updated);

      expect(await store.getLink(toReferralKey('ref-1'))).toEqual(updated);
      expect((await store.status()).links).toEqual({ total: 1, lastSyncedAt: link.syncedAt });
      await close();
    });
  });

  describe('timeline', () => {
    it('saves a link and its sync timeline together', async () => {
      const { store, close } = open();
      await store.saveLink(
        {
          referralId: toReferralKey('ref-9'),
          leadId: 'lead-9',
          lastReferralETag: '"e1"',
          lastReferralUpdatedAt: null,
          lastLeadHash: 'h',
          syncedAt: '2026-11-02T09:00:00.000Z',
        },
        [
          { at: '2026-11-02T09:00:00.000Z', step: 'fetch-referral', outcome: 'ok' },
          { at: '2026-11-02T09:00:00.001Z', step: 'upsert-lead', outcome: 'created' },
        ],
      );
      expect((await store.timeline(toReferralKey('ref-9'))).map((event) => event.step)).toEqual([
        'upsert-lead',
        'fetch-referral',
      ]);
      expect((await store.getLink(toReferralKey('ref-9')))?.leadId).toBe('lead-9');
      await close();
    });

    it("lists a referral's events newest first, with their details", async () => {
      const { store, close } = open();
      await store.appendTimeline(toReferralKey('ref-1'), [
        {
          at: '2026-11-02T09:00:00.000Z',
          step: 'fetch-referral',
          outcome: 'ok',
        },
      ]);
      await store.appendTimeline(toReferralKey('ref-2'), [
        {
          at: '2026-11-02T09:00:01.000Z',
          step: 'fetch-referral',
          outcome: 'ok',
        },
      ]);
      await store.appendTimeline(toReferralKey('ref-1'), [
        {
          at: '2026-11-02T09:00:02.000Z',
          step: 'upsert-lead',
          outcome: 'retry',
          detail: { status: 503, retryAfterSeconds: 5 },
        },
      ]);

      const events = await store.timeline(toReferralKey('ref-1'));

      expect(events.map(({ step, outcome, detail }) => ({ step, outcome, detail }))).toEqual([
        { step: 'upsert-lead', outcome: 'retry', detail: { status: 503, retryAfterSeconds: 5 } },
        { step: 'fetch-referral', outcome: 'ok', detail: null },
      ]);
      expect(await store.timeline(toReferralKey('ref-1'), 1)).toHaveLength(1);
      expect((await store.recentTimeline(2)).map((e) => e.referralId)).toEqual(['ref-1', 'ref-2']);
      await close();
    });
  });

  describe('cursors', () => {
    it('returns the value last stored under a name, and null for a name never set', async () => {
      const { store, close } = open();
      expect(await store.getCursor('feed')).toBeNull();

      await store.putCursor('feed', 'https://org.example/api/data/v9.2/leads?$deltatoken=1');
      await store.putCursor('feed', 'https://org.example/api/data/v9.2/leads?$deltatoken=2');

      expect(await store.getCursor('feed')).toBe('https://org.example/api/data/v9.2/leads?$deltatoken=2');
      expect(await store.getCursor('other')).toBeNull();
      await close();
    });
  });

  describe('secrets', () => {
    it('returns the bytes last stored under a name', async () => {
      const { store, close } = open();
      expect(await store.getSecret('token-cache')).toBeNull();

      await store.putSecret('token-cache', new Uint8Array([1, 2, 3]));
      await store.putSecret('token-cache', new Uint8Array([0, 255, 7, 0]));

      expect(await store.getSecret('token-cache')).toEqual(new Uint8Array([0, 255, 7, 0]));
      await close();
    });
  });

  describe('status', () => {
    it('counts the inbox, links and jobs', async () => {
      const { store, queue, close } = open();
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
  });

  describe('prune', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute)).toISOString();

    it('deletes the oldest rows before the cutoffs, a bounded batch per call, and nothing else', async () => {
      const { store, queue, close } = open();
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
      expect((await store.recentTimeline(10)).map((e) => e.referralId)).toEqual([
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
  });

  describe('durability', () => {
    it('finds the jobs of a stopped process when reopened, and recovers the one it held', async () => {
      const path = databasePathIn(tempDirectory());
      const clock = createTestClock();
      const before = createSqliteBackend({ path, clock: clock.now });
      await before.store.recordInbox(event);
      await before.store.recordInbox({ ...event, referralId: toReferralKey('ref-2') });
      await before.queue.claim({ workerId: 'died', leaseMs: 30_000 });
      await before.close();

      clock.advance(30_000);
      const after = createSqliteBackend({ path, clock: clock.now });
      expect(await after.queue.recoverExpiredLeases()).toBe(1);
      const claimed = [
        await after.queue.claim({ workerId: 'w1', leaseMs: 30_000 }),
        await after.queue.claim({ workerId: 'w1', leaseMs: 30_000 }),
      ];

      // The recovered job is due again from the moment of recovery, so it queues behind ref-2.
      expect(claimed.map((job) => [job?.referralId, job?.attempts])).toEqual([
        ['ref-2', 1],
        ['ref-1', 2],
      ]);
      expect((await after.store.status()).inbox.total).toBe(2);
      await after.close();
    });
  });

  describe('when the database cannot commit', () => {
    it('fails with a typed error while another process holds the write lock, and recovers after', async () => {
      const path = databasePathIn(tempDirectory());
      const backend = createSqliteBackend({ path, busyTimeoutMs: 20 });
      const other = new DatabaseSync(path);
      other.exec('BEGIN IMMEDIATE');

      const failure = await backend.store.recordInbox(event).catch((error: unknown) => error);
      other.exec('ROLLBACK');
      other.close();

      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect(failure).toMatchObject({ code: 'store_unavailable', reason: 'busy' });
      expect(await backend.store.recordInbox(event)).toMatchObject({ jobEnqueued: true });
      expect((await backend.store.status()).inbox.total).toBe(1);
      await backend.close();
    });

    it('fails with a typed error once closed', async () => {
      const { store, queue, close } = open();
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

    it('fails with a typed error when the database file cannot be opened', () => {
      const missingDirectory = `${tempDirectory()}/missing/connector.db`;

      expect(() => createSqliteBackend({ path: missingDirectory })).toThrow(StoreUnavailableError);
    });
  });
});
