import { describe, expect, it } from 'vitest';
import { toReferralKey } from '../../core/domain.ts';
import { createSqliteBackend } from './create-sqlite-backend.ts';
import { databasePathIn, useTempDirectory } from './test-support.ts';
import { createWorkerLock } from './worker-lock.ts';

describe('the worker lock of a SQLite file', () => {
  const tempDirectory = useTempDirectory();

  it('tells a joining process it is alone only while no other worker process holds the lock', () => {
    const path = databasePathIn(tempDirectory());
    const alone: string[] = [];
    const join = (name: string) => {
      const lock = createWorkerLock(path);
      lock.join(() => alone.push(name));
      return lock;
    };

    const serve = join('serve');
    const backfill = join('backfill');
    serve.release();
    const restarted = join('restarted serve');
    backfill.release();
    restarted.release();
    join('next').release();

    expect(alone).toEqual(['serve', 'next']);
  });

  it('lets the next process release the jobs of a gone one at once, never those of a live one', async () => {
    const path = databasePathIn(tempDirectory());
    const first = createSqliteBackend({ path });
    await first.queue.enqueue(toReferralKey('ref-1'), { reason: 'webhook' });
    const held = await first.queue.claim({ workerId: 'first/0', leaseMs: 120_000 });

    // A second worker process while the first lives: the first's job is not its to take.
    const second = createSqliteBackend({ path });
    expect(await second.queue.recoverExpiredLeases()).toBe(0);
    expect(await second.queue.claim({ workerId: 'second/0', leaseMs: 120_000 })).toBeNull();
    await second.close();

    // The first process is gone (its lock with it); the next one takes its job back without waiting.
    await first.close();
    const next = createSqliteBackend({ path });
    expect(await next.queue.recoverExpiredLeases()).toBe(1);
    expect(await next.queue.claim({ workerId: 'next/0', leaseMs: 120_000 })).toMatchObject({
      id: held?.id,
      attempts: 2,
      lastError: { code: 'instance_lost' },
    });
    await next.close();
  });

  it('leaves the jobs of a live worker process alone when a restarted one joins beside it', async () => {
    const path = databasePathIn(tempDirectory());
    const serve = createSqliteBackend({ path });
    const backfill = createSqliteBackend({ path });
    await serve.queue.enqueue(toReferralKey('ref-1'), { reason: 'webhook' });
    await serve.queue.enqueue(toReferralKey('ref-2'), { reason: 'backfill' });
    await serve.queue.claim({ workerId: 'serve/0', leaseMs: 120_000 });
    const backfilling = await backfill.queue.claim({ workerId: 'backfill/0', leaseMs: 120_000 });

    await serve.close();
    const restarted = createSqliteBackend({ path });
    expect(await restarted.queue.recoverExpiredLeases()).toBe(0);

    expect(await restarted.queue.stats()).toMatchObject({ running: 2, pending: 0 });
    expect(await backfill.queue.complete(backfilling as NonNullable<typeof backfilling>)).toEqual({
      outcome: 'completed',
    });
    await Promise.all([restarted.close(), backfill.close()]);
  });
});
