import { describe, expect, it } from 'vitest';
import { type ReferralKey, toReferralKey } from '../core/index.ts';
import type { DecidedLeads } from '../crm/crm-adapter.ts';
import { createLogger } from '../observability/logger.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { databasePathIn, useTempDirectory } from '../store/sqlite/test-support.ts';
import { createCrmChangePoller } from './crm-change-poller.ts';

const logger = createLogger({ level: 'silent' });

/** A change feed that answers from a script and records the cursors it was given. */
function scriptedFeed(answers: Array<DecidedLeads | Error>) {
  const cursors: Array<string | null> = [];
  return {
    cursors,
    decidedLeads: async (cursor: string | null) => {
      cursors.push(cursor);
      const answer = answers.shift();
      if (!answer) throw new Error('no more answers');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const keys = (...ids: string[]): ReferralKey[] => ids.map(toReferralKey);

describe('CRM change poller', () => {
  const tempDirectory = useTempDirectory();

  it('enqueues the referrals of decided leads and resumes from the stored cursor after a restart', async () => {
    const path = databasePathIn(tempDirectory());
    const feed = scriptedFeed([
      { referralKeys: keys('ref-a'), cursor: 'c1', fromScratch: true },
      { referralKeys: keys('ref-b', 'ref-c'), cursor: 'c2', fromScratch: false },
    ]);
    let backend = createSqliteBackend({ path });
    const poll = () =>
      createCrmChangePoller({
        crm: feed,
        store: backend.store,
        queue: backend.queue,
        logger,
        intervalMs: 60_000,
      });

    expect(await poll().runOnce()).toEqual({ enqueued: 1, fromScratch: true });
    await backend.close();
    backend = createSqliteBackend({ path });
    expect(await poll().runOnce()).toEqual({ enqueued: 2, fromScratch: false });

    expect(feed.cursors).toEqual([null, 'c1']);
    const jobs = [];
    for (let job = await backend.queue.claim({ workerId: 'w', leaseMs: 1_000 }); job; ) {
      jobs.push(`${job.referralId}:${job.reason}`);
      job = await backend.queue.claim({ workerId: 'w', leaseMs: 1_000 });
    }
    expect(jobs.sort()).toEqual(['ref-a:crm-change', 'ref-b:crm-change', 'ref-c:crm-change']);
    await backend.close();
  });

  it('keeps the old cursor when a pass fails, so the next pass asks again from there', async () => {
    const backend = createSqliteBackend({ path: databasePathIn(tempDirectory()) });
    const feed = scriptedFeed([
      { referralKeys: [], cursor: 'c1', fromScratch: true },
      new Error('Dataverse unavailable'),
      { referralKeys: keys('ref-a'), cursor: 'c2', fromScratch: false },
    ]);
    const poller = createCrmChangePoller({
      crm: feed,
      store: backend.store,
      queue: backend.queue,
      logger,
      intervalMs: 60_000,
    });

    await poller.runOnce();
    await expect(poller.runOnce()).rejects.toThrow('Dataverse unavailable');
    expect(await poller.runOnce()).toEqual({ enqueued: 1, fromScratch: false });
    expect(feed.cursors).toEqual([null, 'c1', 'c1']);
    await backend.close();
  });

  it('does nothing for a CRM without a change feed', async () => {
    const poller = createCrmChangePoller({
      crm: {},
      store: { getCursor: async () => null, putCursor: async () => {} },
      queue: { enqueue: async () => ({ jobId: '1', outcome: 'created' }) },
      logger,
      intervalMs: 60_000,
    });
    expect(await poller.runOnce()).toEqual({ enqueued: 0, fromScratch: false });
  });
});
