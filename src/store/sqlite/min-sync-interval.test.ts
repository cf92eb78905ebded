import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ReferralKey, toReferralKey } from '../../core/domain.ts';
import { createSqliteBackend } from './create-sqlite-backend.ts';

function backendAt(now: { t: number }) {
  return createSqliteBackend({
    path: join(mkdtempSync(join(tmpdir(), 'rc-interval-')), 'db.sqlite'),
    clock: () => now.t,
    minSyncIntervalMs: 1000,
  });
}

async function syncedAt(
  backend: ReturnType<typeof createSqliteBackend>,
  referralId: ReferralKey,
  at: number,
) {
  await backend.store.saveLink({
    referralId,
    leadId: 'lead',
    lastReferralETag: null,
    lastReferralUpdatedAt: null,
    lastLeadHash: null,
    syncedAt: new Date(at).toISOString(),
  });
}

describe('the least interval between syncs of one referral', () => {
  it('folds a burst of events after a sync into one job that runs an interval later', async () => {
    const now = { t: Date.parse('2026-11-22T10:00:00Z') };
    const backend = backendAt(now);
    await syncedAt(backend, toReferralKey('ref-1'), now.t);
    for (let i = 1; i <= 9; i++) {
      now.t += 100;
      await backend.queue.enqueue(toReferralKey('ref-1'), { reason: 'webhook' });
    }
    expect((await backend.queue.stats()).pending).toBe(1);
    expect(await backend.queue.claim({ workerId: 'w', leaseMs: 10_000 })).toBeNull();
    now.t = Date.parse('2026-11-22T10:00:01Z');
    expect((await backend.queue.claim({ workerId: 'w', leaseMs: 10_000 }))?.referralId).toBe('ref-1');
    await backend.close();
  });

  it('runs the first event of a referral at once, and a replay at once', async () => {
    const now = { t: Date.parse('2026-11-22T10:00:00Z') };
    const backend = backendAt(now);
    await backend.queue.enqueue(toReferralKey('new-ref'), { reason: 'webhook' });
    expect((await backend.queue.claim({ workerId: 'w', leaseMs: 10_000 }))?.referralId).toBe('new-ref');
    await syncedAt(backend, toReferralKey('ref-2'), now.t);
    await backend.queue.enqueue(toReferralKey('ref-2'), { reason: 'replay' });
    expect((await backend.queue.claim({ workerId: 'w', leaseMs: 10_000 }))?.referralId).toBe('ref-2');
    await backend.close();
  });
});
