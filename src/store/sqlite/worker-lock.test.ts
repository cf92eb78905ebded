import { describe, expect, it } from 'vitest';
import { toReferralKey } from '../../core/domain.ts';
import { createSqliteBackend } from './create-sqlite-backend.ts';
import { databasePathIn, useTempDirectory } from './test-support.ts';
import { createWorkerLock } from './worker-lock.ts';

describe('the worker lock of a SQLite file', () => {
  const tempDirectory = useTempDirectory();

  it('is held by one holder at a time, and free again once released', () => {
    const path = databasePathIn(tempDirectory());
    const first = createWorkerLock(path);
    const second = createWorkerLock(path);

    expect(first.tryAcquire()).toBe(true);
    expect(first.tryAcquire()).toBe(true);
    expect(second.tryAcquire()).toBe(false);
    first.release();
    expect(second.tryAcquire()).toBe(true);
    second.release();
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
});
