import { describe, expect, it } from 'vitest';
import { toReferralKey } from '../core/domain.ts';
import type { PruneOptions, PruneResult } from './ports.ts';
import { pruneExpired } from './prune-expired.ts';
import { createSqliteBackend } from './sqlite/create-sqlite-backend.ts';
import { databasePathIn, useTempDirectory } from './sqlite/test-support.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 12, 0);

describe('pruneExpired', () => {
  const tempDirectory = useTempDirectory();

  it('deletes everything past retention in batches, keeping what is younger', async () => {
    const backend = createSqliteBackend({ path: databasePathIn(tempDirectory()) });
    const daysAgo = (days: number) => new Date(NOW - days * DAY_MS).toISOString();
    for (let i = 0; i < 25; i++) {
      const receivedAt = daysAgo(40 - i * 0.01);
      await backend.store.recordInbox({
        receivedAt,
        eventName: 'referral-updated',
        resourceUri: `https://api.partnercenter.microsoft.com/engagements/v1/referrals/ref-${i}`,
        referralId: toReferralKey(`ref-${i}`),
        kind: 'sync',
        rawBody: '{}',
        headers: {},
      });
      await backend.store.appendTimeline(toReferralKey(`ref-${i}`), [
        { at: daysAgo(i < 12 ? 100 : 10), step: 's', outcome: 'ok' },
      ]);
    }
    await backend.store.recordInbox({
      receivedAt: daysAgo(1),
      eventName: 'referral-updated',
      resourceUri: 'u',
      referralId: toReferralKey('ref-new'),
      kind: 'sync',
      rawBody: '{}',
      headers: {},
    });
    const calls: PruneOptions[] = [];
    const store = {
      prune: (options: PruneOptions): Promise<PruneResult> => {
        calls.push(options);
        return backend.store.prune(options);
      },
    };
    const pruned = await pruneExpired(
      store,
      { inboxDays: 30, timelineDays: 90 },
      { batchSize: 10, now: () => NOW },
    );

    expect(pruned).toEqual({ inbox: 25, timeline: 12 });
    expect(calls).toHaveLength(3);
    expect(calls[0]).toEqual({ inboxBefore: daysAgo(30), timelineBefore: daysAgo(90), limit: 10 });
    expect((await backend.store.status()).inbox.total).toBe(1);
    expect(await backend.store.recentTimeline(100)).toHaveLength(13);
    await backend.close();
  });

  it('keeps everything when both retentions are 0, without touching the store', async () => {
    let calls = 0;
    const store = {
      prune: async () => {
        calls += 1;
        return { inbox: 0, timeline: 0 };
      },
    };
    expect(await pruneExpired(store, { inboxDays: 0, timelineDays: 0 })).toEqual({ inbox: 0, timeline: 0 });
    expect(calls).toBe(0);
  });
});
