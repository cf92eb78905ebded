import { expect, it } from 'vitest';
import { describePostgres, dropSchemasAfterAll, requirePostgres } from '../../../test/support/postgres.ts';
import { toReferralKey } from '../../core/domain.ts';
import type { ReferralRecord } from '../console-reads.ts';
import { openTestBackend } from './test-support.ts';

// The same cases as the SQLite console reads (../sqlite/sqlite-console-reads.test.ts), on PostgreSQL.
const postgres = await requirePostgres();

const record = (id: string, fields: Partial<ReferralRecord> = {}): ReferralRecord => ({
  referralId: toReferralKey(id),
  name: `Referral ${id}`,
  customerName: 'Fabrikam',
  status: 'New',
  substatus: 'Pending',
  updatedAt: '2026-12-01T09:00:00.0000000Z',
  seenAt: '2026-12-01T09:00:01.000Z',
  ...fields,
});

describePostgres(postgres, 'console reads (postgres)', () => {
  const dropAfterAll = dropSchemasAfterAll();
  const open = async () => {
    const backend = await openTestBackend({ random: () => 0 });
    dropAfterAll(backend.schema);
    return backend;
  };

  it('lists referrals most recently read first, a later read replacing the fields, in pages', async () => {
    const { store, close } = await open();
    for (let i = 1; i <= 5; i++)
      await store.recordReferral(record(`ref-${i}`, { seenAt: `2026-12-01T09:00:0${i}.000Z` }));
    await store.recordReferral(record('ref-2', { name: 'Renamed', seenAt: '2026-12-01T10:00:00.000Z' }));

    const first = await store.listReferrals({ offset: 0, limit: 2 });
    expect(first.items.map((item) => item.referralId)).toEqual(['ref-2', 'ref-5']);
    expect(first.items[0]?.record?.name).toBe('Renamed');
    expect(first.hasMore).toBe(true);
    const last = await store.listReferrals({ offset: 4, limit: 2 });
    expect(last.items.map((item) => item.referralId)).toEqual(['ref-1']);
    expect(last.hasMore).toBe(false);
    await close();
  });

  it('finds a referral by id or lead id prefix, or by part of its name or customer, literally', async () => {
    const { store, close } = await open();
    await store.recordReferral(record('abc-111', { customerName: 'Contoso Ltd' }));
    await store.recordReferral(record('def-222', { name: '100%_off deal', customerName: 'Northwind' }));
    await store.saveLink({
      referralId: toReferralKey('def-222'),
      leadId: 'lead-9f8e',
      lastReferralETag: null,
      lastReferralUpdatedAt: null,
      lastLeadHash: null,
      syncedAt: '2026-12-01T09:01:00.000Z',
    });
    const ids = async (search: string) =>
      (await store.listReferrals({ search, offset: 0, limit: 10 })).items.map((item) => item.referralId);

    expect(await ids('ABC-1')).toEqual(['abc-111']);
    expect(await ids('lead-9f')).toEqual(['def-222']);
    expect(await ids('contoso')).toEqual(['abc-111']);
    expect(await ids('%_off')).toEqual(['def-222']);
    expect(await ids('0%')).toEqual(['def-222']);
    expect(await ids('x%')).toEqual([]);
    await close();
  });

  it('tells each referral’s outcome from its jobs and link, and filters by it and by status', async () => {
    const { store, queue, close } = await open();
    const key = toReferralKey;
    for (const id of ['dead', 'retrying', 'queued', 'synced', 'fresh'])
      await store.recordReferral(record(id, { status: id === 'synced' ? 'Active' : 'New' }));
    await store.saveLink({
      referralId: key('synced'),
      leadId: 'lead-1',
      lastReferralETag: null,
      lastReferralUpdatedAt: null,
      lastLeadHash: null,
      syncedAt: '2026-12-01T09:01:00.000Z',
    });
    await queue.enqueue(key('dead'), { reason: 'webhook' });
    const deadJob = await queue.claim({ workerId: 'w', leaseMs: 60_000 });
    if (!deadJob) throw new Error('no job');
    await queue.deadLetter(deadJob, { code: 'lead_rejected', message: 'refused by a plug-in' });
    await queue.enqueue(key('retrying'), { reason: 'webhook' });
    const retried = await queue.claim({ workerId: 'w', leaseMs: 60_000 });
    if (!retried) throw new Error('no job');
    await queue.retry(retried, { error: { code: 'crm_unavailable', message: '503' } });
    await queue.enqueue(key('queued'), { reason: 'webhook', notBefore: new Date(Date.now() + 60_000) });

    const page = await store.listReferrals({ offset: 0, limit: 10 });
    const outcomes = Object.fromEntries(
      page.items.map((item) => [item.referralId, [item.outcome, item.errorCode]]),
    );
    expect(outcomes).toEqual({
      dead: ['dead-lettered', 'lead_rejected'],
      retrying: ['retrying', 'crm_unavailable'],
      queued: ['queued', null],
      synced: ['synced', null],
      fresh: ['not-synced', null],
    });
    const only = async (query: Parameters<typeof store.listReferrals>[0]) =>
      (await store.listReferrals(query)).items.map((item) => item.referralId);
    expect(await only({ outcome: 'dead-lettered', offset: 0, limit: 10 })).toEqual(['dead']);
    expect(await only({ outcome: 'synced', offset: 0, limit: 10 })).toEqual(['synced']);
    expect(await only({ status: 'Active', offset: 0, limit: 10 })).toEqual(['synced']);
    expect(await only({ status: 'New', outcome: 'synced', offset: 0, limit: 10 })).toEqual([]);

    const summary = await store.referralSummary(key('dead'));
    expect(summary).toMatchObject({ outcome: 'dead-lettered', errorCode: 'lead_rejected', leadId: null });
    await close();
  });

  it('describes a referral known only by its callbacks, and nothing for an unknown one', async () => {
    const { store, close } = await open();
    await store.recordInbox({
      receivedAt: '2026-12-01T09:00:00.000Z',
      eventName: 'referral-created',
      resourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/ref-x',
      referralId: toReferralKey('ref-x'),
      kind: 'sync',
      rawBody: '{"EventName":"referral-created"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await store.referralSummary(toReferralKey('ref-x'))).toMatchObject({
      referralId: 'ref-x',
      record: null,
      outcome: 'queued',
    });
    expect(await store.referralSummary(toReferralKey('nobody'))).toBeNull();
    const inbox = await store.inboxOf(toReferralKey('ref-x'), 10);
    expect(inbox).toEqual([
      expect.objectContaining({
        eventName: 'referral-created',
        rawBody: '{"EventName":"referral-created"}',
        headers: { 'content-type': 'application/json' },
      }),
    ]);
    expect(await store.lastInboxAt()).toBe('2026-12-01T09:00:00.000Z');
    await close();
  });

  it('counts leads written and failed attempts per hour since a time', async () => {
    const { store, close } = await open();
    const key = toReferralKey('ref-1');
    await store.appendTimeline(key, [
      { at: '2026-12-01T08:59:00.000Z', step: 'upsert-lead', outcome: 'created' },
      { at: '2026-12-01T09:10:00.000Z', step: 'fetch-referral', outcome: 'ok' },
      { at: '2026-12-01T09:10:01.000Z', step: 'upsert-lead', outcome: 'updated' },
      { at: '2026-12-01T09:20:00.000Z', step: 'sync', outcome: 'failed' },
      { at: '2026-12-01T09:30:00.000Z', step: 'sync', outcome: 'unchanged' },
      { at: '2026-12-01T11:00:00.000Z', step: 'upsert-lead', outcome: 'unchanged' },
    ]);
    expect(await store.syncActivity('2026-12-01T09:00:00.000Z')).toEqual([
      { hour: '2026-12-01T09:00:00.000Z', leadsWritten: 1, failed: 1 },
      { hour: '2026-12-01T11:00:00.000Z', leadsWritten: 1, failed: 0 },
    ]);
    await close();
  });
});
