import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboxEntry } from '../ports.ts';
import { createSqliteBackend } from './create-sqlite-backend.ts';

const entry = (changedAt: string | null): InboxEntry => ({
  receivedAt: '2026-11-22T10:00:05.000Z',
  eventName: 'referral-updated',
  resourceUri: 'https://api.partnercenter.microsoft.com/engagements/v1/referrals/ref-1',
  referralId: 'ref-1',
  kind: 'sync',
  changedAt,
  rawBody: '{}',
  headers: {},
});

describe('an event announcing a version the last sync already saw', () => {
  it('is recorded in the inbox but enqueues nothing; a later change does', async () => {
    const backend = createSqliteBackend({ path: join(mkdtempSync(join(tmpdir(), 'rc-echo-')), 'db.sqlite') });
    await backend.store.saveLink({
      referralId: 'ref-1',
      leadId: 'lead-1',
      lastReferralETag: '"e2"',
      lastReferralUpdatedAt: '2026-11-22T10:00:01.1234567Z',
      lastLeadHash: 'h',
      lastWriteBackHash: null,
      syncedAt: '2026-11-22T10:00:01.200Z',
    });

    const echo = await backend.store.recordInbox(entry('2026-11-22T10:00:01.1234567+00:00'));
    expect(echo).toMatchObject({ jobEnqueued: false, alreadySynced: true });
    expect((await backend.queue.stats()).pending).toBe(0);

    // Within the same millisecond, but a later change: a Date would have taken it for the echo.
    const sameMillisecond = await backend.store.recordInbox(entry('2026-11-22T10:00:01.1234568Z'));
    expect(sameMillisecond.jobEnqueued).toBe(true);
    const undated = await backend.store.recordInbox(entry(null));
    expect(undated.jobEnqueued).toBe(true);
    const later = await backend.store.recordInbox(entry('2026-11-22T10:00:03.000Z'));
    expect(later.jobEnqueued).toBe(true);
    expect((await backend.store.status()).inbox.total).toBe(4);
    await backend.close();
  });
});
