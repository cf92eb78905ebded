/**
 * What a sync costs the database: statements sent per enqueue, claim and complete, and per recorded
 * webhook, counted on node-postgres's client. A change that adds round trips to the hot path fails here.
 */
import pg from 'pg';
import { afterEach, expect, it, vi } from 'vitest';
import { describePostgres, dropSchemasAfterAll, requirePostgres } from '../../../test/support/postgres.ts';
import { toReferralKey } from '../../core/domain.ts';
import { openTestBackend } from './test-support.ts';

const postgres = await requirePostgres();

describePostgres(postgres, 'statements per sync on PostgreSQL', () => {
  const dropAfterAll = dropSchemasAfterAll();
  afterEach(() => vi.restoreAllMocks());

  it('costs one statement each to enqueue, claim and complete, and four to record a webhook with its job', async () => {
    // No heartbeat during the count (its beat is one statement every 2.5 s per instance, not per sync).
    const backend = await openTestBackend({ heartbeatMs: 3_600_000 });
    dropAfterAll(backend.schema);
    const { queue, store } = backend;
    await queue.claim({ workerId: 'warm-up', leaseMs: 30_000 }); // registers the instance once
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    const count = async (work: () => Promise<unknown>) => {
      sent.mockClear();
      await work();
      return sent.mock.calls.length;
    };

    const perSync = [];
    for (let i = 0; i < 20; i++) {
      const referralId = toReferralKey(`ref-${i}`);
      const enqueue = await count(() => queue.enqueue(referralId, { reason: 'reconcile' }));
      let job: Awaited<ReturnType<typeof queue.claim>> = null;
      const claim = await count(async () => {
        job = await queue.claim({ workerId: 'w', leaseMs: 30_000 });
      });
      const complete = await count(() => queue.complete(job as never));
      perSync.push({ enqueue, claim, complete });
    }
    const webhook = await count(() =>
      store.recordInbox({
        receivedAt: '2026-11-02T09:00:00.000Z',
        eventName: 'referral-updated',
        resourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/ref-x',
        referralId: toReferralKey('ref-x'),
        kind: 'sync',
        rawBody: '{}',
        headers: {},
      }),
    );
    await backend.close();

    console.info(
      `statements: enqueue ${perSync[0]?.enqueue}, claim ${perSync[0]?.claim}, complete ${perSync[0]?.complete}; webhook + job ${webhook}`,
    );
    expect(new Set(perSync.map((sync) => JSON.stringify(sync)))).toEqual(
      new Set([JSON.stringify({ enqueue: 1, claim: 1, complete: 1 })]),
    );
    // BEGIN, INSERT inbox, upsert job, COMMIT (one more, the echo check, when the event is dated).
    expect(webhook).toBe(4);
  });
});
