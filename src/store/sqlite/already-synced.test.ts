import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toReferralKey } from '../../core/domain.ts';
import type { InboxEntry, Link } from '../ports.ts';
import { createSqliteBackend } from './create-sqlite-backend.ts';

const referralId = toReferralKey('ref-1');

const entry = (changedAt: string | null): InboxEntry => ({
  receivedAt: '2026-11-22T10:00:05.000Z',
  eventName: 'referral-updated',
  resourceUri: 'https://api.partnercenter.microsoft.com/engagements/v1/referrals/ref-1',
  referralId,
  kind: 'sync',
  changedAt,
  rawBody: '{}',
  headers: {},
});

/** The version the last sync wrote: Partner Center stamps it to the tick (7 fractional digits). */
const link: Link = {
  referralId,
  leadId: 'lead-1',
  lastReferralETag: '"e2"',
  lastReferralUpdatedAt: '2026-11-22T10:00:01.1234567Z',
  lastLeadHash: 'h',
  syncedAt: '2026-11-22T10:00:01.200Z',
};

async function backendWithLink() {
  const backend = createSqliteBackend({ path: join(mkdtempSync(join(tmpdir(), 'rc-echo-')), 'db.sqlite') });
  await backend.store.saveLink(link);
  return backend;
}

describe('an event announcing the version the last sync wrote', () => {
  it('is recorded in the inbox but enqueues nothing, however the same instant is written', async () => {
    const backend = await backendWithLink();

    const echo = await backend.store.recordInbox(entry('2026-11-22T10:00:01.1234567+00:00'));
    const otherOffset = await backend.store.recordInbox(entry('2026-11-22T12:00:01.12345670+02:00'));

    expect(echo).toMatchObject({ jobEnqueued: false, alreadySynced: true });
    expect(otherOffset).toMatchObject({ jobEnqueued: false, alreadySynced: true });
    expect(await backend.store.status()).toMatchObject({ inbox: { total: 2 }, jobs: { pending: 0 } });
    await backend.close();
  });

  it('enqueues a job for a later change, even within the same millisecond, and for an undated event', async () => {
    const backend = await backendWithLink();

    // A Date would take this for the echo: it differs only in the 7th fractional digit.
    const sameMillisecond = await backend.store.recordInbox(entry('2026-11-22T10:00:01.1234568Z'));
    const undated = await backend.store.recordInbox(entry(null));
    const later = await backend.store.recordInbox(entry('2026-11-22T10:00:03.000Z'));

    expect([sameMillisecond, undated, later].map((result) => result.jobEnqueued)).toEqual([true, true, true]);
    expect(await backend.store.status()).toMatchObject({ inbox: { total: 3 }, jobs: { pending: 1 } });
    await backend.close();
  });

  // Partner Center's event date need not be the referral's update time (unconfirmed): an event dated
  // before the version we wrote may announce a change we have not seen, so only the same instant skips.
  it('enqueues a job when the event is dated earlier than the last synced update', async () => {
    const backend = await backendWithLink();

    const earlier = await backend.store.recordInbox(entry('2026-11-22T10:00:00.9000000Z'));

    expect(earlier).toEqual({ inboxId: expect.any(String), jobEnqueued: true });
    expect((await backend.queue.stats()).pending).toBe(1);
    await backend.close();
  });
});
