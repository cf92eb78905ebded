import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReferralKey, toReferralKey } from '../core/domain.ts';
import type { Link, StorageBackend } from '../store/ports.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { createCompletionTracker } from './completion-tracker.ts';

let directory: string;
let backend: StorageBackend;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'rc-tracker-'));
  backend = createSqliteBackend({ path: join(directory, 'db.sqlite') });
});
afterEach(async () => {
  await backend.close();
  rmSync(directory, { recursive: true, force: true });
});

const link = (key: ReferralKey, syncedAt: string): Link => ({
  referralId: key,
  leadId: `lead-${key}`,
  lastReferralETag: '"e"',
  lastReferralUpdatedAt: null,
  lastLeadHash: null,
  syncedAt,
});

/** Claims the referral's job as a worker would. */
async function claim(key: ReferralKey) {
  const job = await backend.queue.claim({ workerId: 'w', leaseMs: 60_000 });
  if (job?.referralId !== key) throw new Error(`expected the job of ${key}, got ${job?.referralId}`);
  return job;
}

describe('the completion tracker', () => {
  it('counts a referral synced once its link is saved, new or newer than when enqueued', async () => {
    const fresh = toReferralKey('fresh');
    const linked = toReferralKey('linked');
    await backend.store.saveLink(link(linked, '2026-01-01T00:00:00.000Z'));
    const tracker = createCompletionTracker(backend);
    for (const [key, previous] of [
      [fresh, null],
      [linked, '2026-01-01T00:00:00.000Z'],
    ] as const) {
      await backend.queue.enqueue(key, { reason: 'backfill' });
      tracker.track(key, previous);
    }
    expect(await tracker.poll()).toBe(0);

    const job = await claim(fresh);
    await backend.store.saveLink(link(fresh, '2026-05-01T00:00:00.000Z'));
    await backend.queue.complete(job);
    expect(await tracker.poll()).toBe(1);
    expect(tracker.counts()).toMatchObject({ tracked: 2, synced: 1, outstanding: 1 });

    // The old link of the other referral is still the one it had: not synced yet.
    const other = await claim(linked);
    expect(await tracker.poll()).toBe(0);
    await backend.store.saveLink(link(linked, '2026-05-01T00:00:01.000Z'));
    await backend.queue.complete(other);
    await tracker.poll();
    expect(tracker.counts()).toMatchObject({ synced: 2, outstanding: 0 });
  });

  it('counts a dead-lettered sync with its reason', async () => {
    const key = toReferralKey('refused');
    const tracker = createCompletionTracker(backend);
    await backend.queue.enqueue(key, { reason: 'backfill' });
    tracker.track(key, null);
    await backend.queue.deadLetter(await claim(key), { code: 'dataverse_rejected', message: 'no' });

    await tracker.poll();
    expect(tracker.counts()).toMatchObject({
      deadLettered: 1,
      outstanding: 0,
      deadByCode: { dataverse_rejected: 1 },
    });
  });

  it('calls a sync that ended without a lead left out, once the queue is idle', async () => {
    const key = toReferralKey('left-out');
    const busy = toReferralKey('busy');
    const tracker = createCompletionTracker(backend);
    await backend.queue.enqueue(key, { reason: 'backfill' });
    tracker.track(key, null);
    // The sync read it and its policy left it out: the job completes, no link.
    await backend.queue.complete(await claim(key));
    await backend.queue.enqueue(busy, { reason: 'webhook' });
    expect(await tracker.poll()).toBe(0);

    await backend.queue.complete(await claim(busy));
    await tracker.poll();
    expect(tracker.counts()).toMatchObject({ leftOut: 1, outstanding: 0 });
  });

  it('follows a referral enqueued twice once', async () => {
    const key = toReferralKey('twice');
    const tracker = createCompletionTracker(backend);
    tracker.track(key, null);
    tracker.track(key, null);
    expect(tracker.counts()).toMatchObject({ tracked: 1, outstanding: 1 });
  });
});
