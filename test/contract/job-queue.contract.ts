/**
 * The job-queue contract every storage backend passes, run unchanged by each backend's test file:
 *
 *   describeJobQueueContract('sqlite', async (options) => ({ ...createSqliteBackend(...), breakJobWrites }));
 *
 * Time comes from the injected clock only; nothing here sleeps.
 */

import { createRandom } from '@referral-connector/emulators';
import { createTestClock, type TestClock } from '@referral-connector/test-kit';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type ReferralKey, toReferralKey } from '../../src/core/domain.ts';
import type {
  Clock,
  InboxEntry,
  Job,
  JobQueue,
  ReplaySelector,
  StorageBackend,
} from '../../src/store/ports.ts';

export type ContractBackendOptions = {
  clock: Clock;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
};

export type ContractBackend = StorageBackend & {
  /** Makes the database itself reject every later write to the jobs (a trigger, a revoked grant…). */
  breakJobWrites(): Promise<void>;
};

export type MakeContractBackend = (options: ContractBackendOptions) => Promise<ContractBackend>;

export type ContractOptions = {
  /**
   * How long a call may take to reach the database and come back (a server across a socket). Checks
   * that a wait settles "at once" allow this much instead of a few event-loop turns; it stays far below
   * any idle wait (`maxIdleMs`, 2 s), so they still tell a wake-up from a timeout. 0 (default): the
   * database answers within the process.
   */
  roundTripMs?: number;
};

const LEASE_MS = 30_000;
/** Callers name a referral by its key; the tests spell most ids already normalised. */
const key = toReferralKey;
const BACKOFF_CAP_MS = 60_000;
const MAX_ATTEMPTS = 3;

export function describeJobQueueContract(
  name: string,
  makeBackend: MakeContractBackend,
  { roundTripMs = 0 }: ContractOptions = {},
): void {
  describe(`job queue contract: ${name}`, () => {
    let opened: ContractBackend[] = [];
    afterEach(async () => {
      await Promise.all(opened.map((backend) => backend.close()));
      opened = [];
    });

    async function setup(): Promise<ContractBackend & { clock: TestClock }> {
      const clock = createTestClock();
      const backend = await makeBackend({
        clock: clock.now,
        maxAttempts: MAX_ATTEMPTS,
        backoffBaseMs: 1_000,
        backoffCapMs: BACKOFF_CAP_MS,
      });
      opened.push(backend);
      return Object.assign(backend, { clock });
    }

    const worker = (workerId: string) => ({ workerId, leaseMs: LEASE_MS });

    async function claimOrFail(queue: JobQueue, workerId = 'w1'): Promise<Job> {
      const job = await queue.claim(worker(workerId));
      if (!job) throw new Error('expected a claimable job');
      return job;
    }

    /** Claims the referral's job and lets it fail until it is dead-lettered. */
    async function failUntilDead(backend: ContractBackend & { clock: TestClock }, code: string) {
      for (;;) {
        const job = await claimOrFail(backend.queue);
        const result = await backend.queue.retry(job, { error: { code, message: `failed with ${code}` } });
        if (result.outcome === 'dead_lettered') return;
        if (result.outcome !== 'retried') throw new Error(`unexpected ${result.outcome}`);
        backend.clock.advance(result.runAt.getTime() - backend.clock.now());
      }
    }

    describe('claiming', () => {
      it('hands out an enqueued job once, running under a lease, with its first attempt counted', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });

        const job = await claimOrFail(queue);

        expect(job).toMatchObject({
          referralId: 'ref-1',
          reason: 'webhook',
          attempts: 1,
          workerId: 'w1',
          lastError: null,
          firstEnqueuedAt: new Date(clock.now()),
          leaseExpiresAt: clock.in(LEASE_MS),
        });
        expect(await queue.claim(worker('w2'))).toBeNull();
        expect(await queue.stats()).toMatchObject({ pending: 0, running: 1 });
      });

      it('hands out due jobs oldest run time first', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-late'), { reason: 'reconcile', notBefore: clock.in(5_000) });
        await queue.enqueue(key('ref-a'), { reason: 'webhook' });
        clock.advance(10);
        await queue.enqueue(key('ref-b'), { reason: 'webhook' });
        clock.advance(10_000);

        const order = [];
        for (let job = await queue.claim(worker('w1')); job; job = await queue.claim(worker('w1'))) {
          order.push(job.referralId);
        }

        expect(order).toEqual(['ref-a', 'ref-b', 'ref-late']);
      });

      it('never runs two jobs of one referral at once', async () => {
        const { queue } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const first = await claimOrFail(queue);
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });

        expect(await queue.claim(worker('w2'))).toBeNull();

        await queue.complete(first);
        const second = await claimOrFail(queue, 'w2');
        expect(second.referralId).toBe('ref-1');
        expect(second.id).not.toBe(first.id);
      });

      it("lets other referrals run while one referral's job runs, even when its waiting job is the oldest", async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('busy'), { reason: 'webhook' });
        await claimOrFail(queue);
        await queue.enqueue(key('busy'), { reason: 'webhook' });
        clock.advance(1_000);
        await queue.enqueue(key('other-1'), { reason: 'webhook' });
        await queue.enqueue(key('other-2'), { reason: 'webhook' });

        const next = await claimOrFail(queue, 'w2');
        const afterThat = await claimOrFail(queue, 'w3');

        expect([next.referralId, afterThat.referralId]).toEqual(['other-1', 'other-2']);
        expect(await queue.stats()).toMatchObject({ running: 3, pending: 1, due: 1 });
      });

      it('does not hand out a job before its not-before time', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'crm-change', notBefore: clock.in(60_000) });

        clock.advance(59_999);
        expect(await queue.claim(worker('w1'))).toBeNull();
        clock.advance(1);
        expect((await claimOrFail(queue)).referralId).toBe('ref-1');
      });
    });

    describe('coalescing', () => {
      it('gives one job to one referral named in two spellings, whichever entry asks for it', async () => {
        // The ports take only referral keys, so no caller can enqueue an id as some source spelt it.
        expectTypeOf<JobQueue['enqueue']>().parameter(0).toEqualTypeOf<ReferralKey>();
        expectTypeOf<InboxEntry['referralId']>().toEqualTypeOf<ReferralKey | null>();
        expectTypeOf<
          Extract<ReplaySelector, { referralId: unknown }>['referralId']
        >().toEqualTypeOf<ReferralKey>();
        const { queue, store } = await setup();
        const id = '3F2A9C1E-8B7D-4E21-9A55-0C6D2B7E4F10';

        await queue.enqueue(key(id), { reason: 'reconcile' });
        await store.recordInbox({
          receivedAt: '2026-11-02T09:00:00.000Z',
          eventName: 'referral-updated',
          resourceUri: `https://api.partner.microsoft.com/v1.0/engagements/referrals/${id.toLowerCase()}`,
          referralId: key(id.toLowerCase()),
          kind: 'sync',
          rawBody: '{}',
          headers: {},
        });
        expect(await queue.stats()).toMatchObject({ pending: 1 });

        const running = await claimOrFail(queue);
        expect(running.referralId).toBe(id.toLowerCase());
        await queue.enqueue(key(` ${id} `), { reason: 'crm-change' });
        expect(await queue.claim(worker('w2'))).toBeNull();

        await queue.deadLetter(running, { code: 'crm_unavailable', message: 'down' });
        expect(await queue.deadLetters({ referralId: key(id) })).toHaveLength(1);
        expect(await queue.replay({ referralId: key(id.toLowerCase()) })).toBe(1);
        expect(await queue.stats()).toMatchObject({ pending: 1, running: 0, dead: 0 });
      });

      it('folds repeated enqueues of a waiting referral into one job', async () => {
        const { queue, clock } = await setup();
        const results = [];
        for (const reason of ['webhook', 'webhook', 'reconcile', 'webhook', 'crm-change']) {
          results.push(await queue.enqueue(key('ref-1'), { reason }));
          clock.advance(100);
        }

        expect(results.map((result) => result.outcome)).toEqual([
          'created',
          'coalesced',
          'coalesced',
          'coalesced',
          'coalesced',
        ]);
        expect(new Set(results.map((result) => result.jobId)).size).toBe(1);
        expect(await queue.stats()).toMatchObject({ pending: 1, running: 0 });
        const job = await claimOrFail(queue);
        expect(job).toMatchObject({ reason: 'crm-change', firstEnqueuedAt: clock.in(-500) });
        expect(job.enqueuedAt).toEqual(clock.in(-100));
        await queue.complete(job);
        expect(await queue.claim(worker('w1'))).toBeNull();
      });

      it('keeps at most one running and one pending job per referral', async () => {
        const { queue } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const running = await claimOrFail(queue);

        const outcomes = [];
        for (let i = 0; i < 5; i++)
          outcomes.push((await queue.enqueue(key('ref-1'), { reason: 'webhook' })).outcome);

        expect(outcomes).toEqual(['created', 'coalesced', 'coalesced', 'coalesced', 'coalesced']);
        expect(await queue.stats()).toMatchObject({ running: 1, pending: 1 });
        await queue.complete(running);
        await queue.complete(await claimOrFail(queue));
        expect(await queue.stats()).toMatchObject({ running: 0, pending: 0 });
      });

      it('runs a coalesced fresh job at the earlier of its run times', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'reconcile', notBefore: clock.in(600_000) });
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });

        expect((await claimOrFail(queue)).reason).toBe('webhook');
      });

      it("keeps a retrying job's not-before when a new event for the referral arrives", async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const job = await claimOrFail(queue);
        await queue.retry(job, {
          error: { code: 'throttled', message: '429' },
          notBefore: clock.in(120_000),
        });

        expect((await queue.enqueue(key('ref-1'), { reason: 'webhook' })).outcome).toBe('coalesced');
        clock.advance(119_999);
        expect(await queue.claim(worker('w1'))).toBeNull();
        clock.advance(1);
        expect(await claimOrFail(queue)).toMatchObject({ referralId: 'ref-1', attempts: 2 });
      });

      it('folds a retried job and the job that arrived meanwhile into one', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const job = await claimOrFail(queue);
        await queue.enqueue(key('ref-1'), { reason: 'crm-change' });

        const result = await queue.retry(job, { error: { code: 'timeout', message: 'no answer' } });

        expect(result.outcome).toBe('retried');
        expect(await queue.stats()).toMatchObject({ pending: 1, running: 0 });
        clock.advance(BACKOFF_CAP_MS);
        const again = await claimOrFail(queue);
        expect(again).toMatchObject({ reason: 'crm-change', attempts: 2, lastError: { code: 'timeout' } });
        await queue.complete(again);
        expect(await queue.claim(worker('w1'))).toBeNull();
      });
    });

    describe('inbox and job in one transaction', () => {
      const entry = (overrides: Partial<InboxEntry> = {}): InboxEntry => ({
        receivedAt: '2026-11-02T09:00:00.000Z',
        eventName: 'referral-updated',
        resourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/ref-1',
        referralId: key('ref-1'),
        kind: 'sync',
        rawBody: '{"EventName":"referral-updated"}',
        headers: { 'content-type': 'application/json' },
        ...overrides,
      });

      it('stores a sync event together with a job for its referral', async () => {
        const { store, queue } = await setup();

        const result = await store.recordInbox(entry());

        expect(result.jobEnqueued).toBe(true);
        expect((await store.status()).inbox.total).toBe(1);
        expect(await claimOrFail(queue)).toMatchObject({ referralId: 'ref-1', reason: 'webhook' });
      });

      it('coalesces the jobs of repeated events while keeping every event', async () => {
        const { store } = await setup();
        for (let i = 0; i < 3; i++) await store.recordInbox(entry());

        const status = await store.status();
        expect(status.inbox.total).toBe(3);
        expect(status.jobs).toMatchObject({ pending: 1 });
      });

      it('stores test and ignored events without a job', async () => {
        const { store } = await setup();

        const test = await store.recordInbox(entry({ kind: 'test', referralId: null }));
        const ignored = await store.recordInbox(entry({ kind: 'ignored' }));

        expect([test.jobEnqueued, ignored.jobEnqueued]).toEqual([false, false]);
        expect(test.inboxId).not.toBe(ignored.inboxId);
        expect(await store.status()).toMatchObject({ inbox: { total: 2 }, jobs: { pending: 0 } });
      });

      it('leaves neither the inbox row nor the job when the job cannot be written', async () => {
        const backend = await setup();
        await backend.breakJobWrites();

        await expect(backend.store.recordInbox(entry())).rejects.toThrow();

        expect(await backend.store.status()).toMatchObject({
          inbox: { total: 0 },
          jobs: { pending: 0, running: 0 },
        });
      });
    });

    describe('retries', () => {
      it('does not hand out a retried job before its explicit not-before (Retry-After)', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const job = await claimOrFail(queue);

        const result = await queue.retry(job, {
          error: { code: 'throttled', message: 'Retry-After: 30' },
          notBefore: clock.in(30_000),
        });

        expect(result).toEqual({ outcome: 'retried', runAt: clock.in(30_000) });
        expect(await queue.stats()).toMatchObject({ pending: 1, due: 0, scheduled: 1, running: 0 });
        clock.advance(29_999);
        expect(await queue.claim(worker('w1'))).toBeNull();
        clock.advance(1);
        expect(await claimOrFail(queue)).toMatchObject({
          id: job.id,
          attempts: 2,
          lastError: { code: 'throttled', message: 'Retry-After: 30' },
        });
      });

      it('backs off within the cap when no not-before is given', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const job = await claimOrFail(queue);

        const result = await queue.retry(job, { error: { code: 'timeout', message: 'no answer' } });

        if (result.outcome !== 'retried') throw new Error(`expected a retry, got ${result.outcome}`);
        const delay = result.runAt.getTime() - clock.now();
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(BACKOFF_CAP_MS);
        if (delay > 0) expect(await queue.claim(worker('w1'))).toBeNull();
        clock.advance(delay);
        expect((await claimOrFail(queue)).attempts).toBe(2);
      });
    });

    describe('dead letters', () => {
      it('dead-letters a job after its last attempt and keeps the error', async () => {
        const backend = await setup();
        await backend.queue.enqueue(key('ref-1'), { reason: 'webhook' });

        await failUntilDead(backend, 'crm_unavailable');

        const deadLetters = await backend.queue.deadLetters();
        expect(deadLetters).toEqual([
          expect.objectContaining({
            referralId: 'ref-1',
            reason: 'webhook',
            attempts: MAX_ATTEMPTS,
            error: { code: 'crm_unavailable', message: 'failed with crm_unavailable' },
            deadAt: new Date(backend.clock.now()),
          }),
        ]);
        expect(await backend.queue.stats()).toMatchObject({
          pending: 0,
          running: 0,
          dead: 1,
          deadByCode: { crm_unavailable: 1 },
        });
        expect(await backend.queue.claim(worker('w1'))).toBeNull();
      });

      it('dead-letters a job at once when told to', async () => {
        const { queue } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const job = await claimOrFail(queue);

        const result = await queue.deadLetter(job, { code: 'mapping_invalid', message: 'no country' });

        expect(result).toEqual({ outcome: 'dead_lettered' });
        expect(await queue.deadLetters()).toEqual([
          expect.objectContaining({
            referralId: 'ref-1',
            attempts: 1,
            error: { code: 'mapping_invalid', message: 'no country' },
          }),
        ]);
      });

      it("keeps a referral's pending job when its running job is dead-lettered", async () => {
        const { queue } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const job = await claimOrFail(queue);
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });

        await queue.deadLetter(job, { code: 'mapping_invalid', message: 'no country' });

        expect(await queue.stats()).toMatchObject({ pending: 1, dead: 1 });
        expect((await claimOrFail(queue)).attempts).toBe(1);
      });

      it("replaces a referral's older dead letter with its newest", async () => {
        const { queue } = await setup();
        for (const code of ['first_failure', 'second_failure']) {
          await queue.enqueue(key('ref-1'), { reason: 'webhook' });
          await queue.deadLetter(await claimOrFail(queue), { code, message: code });
        }

        expect((await queue.deadLetters()).map((letter) => letter.error.code)).toEqual(['second_failure']);
      });

      it("clears a referral's dead letter once the referral syncs successfully", async () => {
        const { queue } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        await queue.deadLetter(await claimOrFail(queue), { code: 'crm_unavailable', message: 'down' });
        await queue.enqueue(key('ref-1'), { reason: 'reconcile' });

        await queue.complete(await claimOrFail(queue));

        expect(await queue.deadLetters()).toEqual([]);
        expect((await queue.stats()).dead).toBe(0);
      });

      it('lists dead letters by referral and by code, newest first', async () => {
        const backend = await setup();
        for (const [referralId, code] of [
          ['ref-a', 'crm_unavailable'],
          ['ref-b', 'mapping_invalid'],
          ['ref-c', 'crm_unavailable'],
        ] as const) {
          await backend.queue.enqueue(key(referralId), { reason: 'webhook' });
          await backend.queue.deadLetter(await claimOrFail(backend.queue), { code, message: code });
          backend.clock.advance(1_000);
        }

        const byCode = await backend.queue.deadLetters({ code: 'crm_unavailable' });
        const byReferral = await backend.queue.deadLetters({ referralId: key('ref-b') });
        const newest = await backend.queue.deadLetters({ limit: 1 });

        expect(byCode.map((letter) => letter.referralId)).toEqual(['ref-c', 'ref-a']);
        expect(byReferral.map((letter) => letter.error.code)).toEqual(['mapping_invalid']);
        expect(newest.map((letter) => letter.referralId)).toEqual(['ref-c']);
        expect((await backend.queue.stats()).deadByCode).toEqual({ crm_unavailable: 2, mapping_invalid: 1 });
      });

      describe('replay', () => {
        async function threeDeadLetters() {
          const backend = await setup();
          for (const [referralId, code] of [
            ['ref-a', 'crm_unavailable'],
            ['ref-b', 'mapping_invalid'],
            ['ref-c', 'crm_unavailable'],
          ] as const) {
            await backend.queue.enqueue(key(referralId), { reason: 'webhook' });
            await failUntilDead(backend, code);
          }
          return backend;
        }

        async function claimAll(queue: JobQueue): Promise<Job[]> {
          const jobs = [];
          for (let job = await queue.claim(worker('w1')); job; job = await queue.claim(worker('w1'))) {
            jobs.push(job);
          }
          return jobs;
        }

        it('replays the dead letter of one referral with fresh attempts', async () => {
          const { queue } = await threeDeadLetters();

          expect(await queue.replay({ referralId: key('ref-b') })).toBe(1);

          const jobs = await claimAll(queue);
          expect(jobs).toEqual([
            expect.objectContaining({
              referralId: 'ref-b',
              reason: 'replay',
              attempts: 1,
              lastError: expect.objectContaining({ code: 'mapping_invalid' }),
            }),
          ]);
          expect((await queue.stats()).deadByCode).toEqual({ crm_unavailable: 2 });
        });

        it('replays the dead letters with one error code', async () => {
          const { queue } = await threeDeadLetters();

          expect(await queue.replay({ code: 'crm_unavailable' })).toBe(2);

          expect((await claimAll(queue)).map((job) => job.referralId).sort()).toEqual(['ref-a', 'ref-c']);
          expect((await queue.stats()).deadByCode).toEqual({ mapping_invalid: 1 });
        });

        it('replays every dead letter', async () => {
          const { queue } = await threeDeadLetters();

          expect(await queue.replay({ all: true })).toBe(3);

          expect((await claimAll(queue)).map((job) => job.referralId).sort()).toEqual([
            'ref-a',
            'ref-b',
            'ref-c',
          ]);
          expect(await queue.stats()).toMatchObject({ dead: 0, deadByCode: {} });
        });

        it('replays nothing when nothing matches', async () => {
          const { queue } = await threeDeadLetters();

          expect(await queue.replay({ referralId: key('ref-unknown') })).toBe(0);
          expect(await queue.replay({ code: 'no_such_code' })).toBe(0);
          expect((await queue.stats()).dead).toBe(3);
        });

        it('folds a replayed referral into the pending job it already has', async () => {
          const { queue } = await threeDeadLetters();
          await queue.enqueue(key('ref-a'), { reason: 'webhook' });

          expect(await queue.replay({ referralId: key('ref-a') })).toBe(1);

          expect(await queue.stats()).toMatchObject({ pending: 1, dead: 2 });
          expect((await claimAll(queue)).map((job) => job.referralId)).toEqual(['ref-a']);
        });

        it('gives a replayed job its full number of attempts again', async () => {
          const backend = await threeDeadLetters();
          await backend.queue.replay({ referralId: key('ref-a') });

          await failUntilDead(backend, 'crm_unavailable');

          const [letter] = await backend.queue.deadLetters({ referralId: key('ref-a') });
          expect(letter).toMatchObject({ reason: 'replay', attempts: MAX_ATTEMPTS });
        });
      });
    });

    describe('leases', () => {
      it("recovers a crashed worker's job after its lease expires, with the attempt counted", async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const crashed = await claimOrFail(queue, 'crashed-worker');

        clock.advance(LEASE_MS - 1);
        expect(await queue.recoverExpiredLeases()).toBe(0);
        expect(await queue.claim(worker('w2'))).toBeNull();
        clock.advance(1);
        expect(await queue.recoverExpiredLeases()).toBe(1);

        const again = await claimOrFail(queue, 'w2');
        expect(again).toMatchObject({
          id: crashed.id,
          referralId: 'ref-1',
          attempts: 2,
          workerId: 'w2',
          lastError: expect.objectContaining({ code: 'lease_expired' }),
        });
      });

      it('refuses to let a worker settle a job whose lease passed to another worker', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const stale = await claimOrFail(queue, 'slow-worker');
        clock.advance(LEASE_MS);
        await queue.recoverExpiredLeases();
        const current = await claimOrFail(queue, 'w2');

        expect(await queue.extendLease(stale, LEASE_MS)).toEqual({ outcome: 'lease_lost' });
        expect(await queue.complete(stale)).toEqual({ outcome: 'lease_lost' });
        expect(await queue.retry(stale, { error: { code: 'x', message: 'x' } })).toEqual({
          outcome: 'lease_lost',
        });
        expect(await queue.deadLetter(stale, { code: 'x', message: 'x' })).toEqual({ outcome: 'lease_lost' });
        expect(await queue.stats()).toMatchObject({ running: 1, pending: 0, dead: 0 });
        expect(await queue.complete(current)).toEqual({ outcome: 'completed' });
      });

      it('keeps a job whose lease is extended from being recovered', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const job = await claimOrFail(queue);

        clock.advance(LEASE_MS - 1_000);
        expect(await queue.extendLease(job, LEASE_MS)).toEqual({
          outcome: 'extended',
          leaseExpiresAt: clock.in(LEASE_MS),
        });
        clock.advance(LEASE_MS - 1_000);

        expect(await queue.recoverExpiredLeases()).toBe(0);
        expect(await queue.complete(job)).toEqual({ outcome: 'completed' });
      });

      it('folds a recovered job and the job that arrived meanwhile into one', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        await claimOrFail(queue, 'crashed-worker');
        await queue.enqueue(key('ref-1'), { reason: 'crm-change' });
        clock.advance(LEASE_MS);

        await queue.recoverExpiredLeases();

        expect(await queue.stats()).toMatchObject({ pending: 1, running: 0 });
        expect(await claimOrFail(queue)).toMatchObject({ attempts: 2, reason: 'crm-change' });
      });

      it('dead-letters a job whose lease expires on its last attempt', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          await claimOrFail(queue, `crashed-${attempt}`);
          clock.advance(LEASE_MS);
          expect(await queue.recoverExpiredLeases()).toBe(1);
        }

        expect(await queue.deadLetters()).toEqual([
          expect.objectContaining({
            attempts: MAX_ATTEMPTS,
            error: expect.objectContaining({ code: 'lease_expired' }),
          }),
        ]);
      });
    });

    describe('waiting for work', () => {
      const settledSoon = async (promise: Promise<void>) => {
        let settled = false;
        void promise.then(() => {
          settled = true;
        });
        // Enough turns for any already-resolved promise chain to run; no timer involved.
        for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
        if (!settled && roundTripMs > 0) {
          await Promise.race([promise, new Promise((resolve) => setTimeout(resolve, roundTripMs))]);
        }
        return settled;
      };

      it('returns at once when a job is due', async () => {
        const { queue } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });

        expect(await settledSoon(queue.waitForWork())).toBe(true);
      });

      it('wakes an idle worker when a job is enqueued', async () => {
        const { queue } = await setup();
        const waiting = queue.waitForWork();
        expect(await settledSoon(waiting)).toBe(false);

        await queue.enqueue(key('ref-1'), { reason: 'webhook' });

        await waiting;
        expect((await claimOrFail(queue)).referralId).toBe('ref-1');
      });

      it('wakes an idle worker when an event is recorded', async () => {
        const { store, queue } = await setup();
        const waiting = queue.waitForWork();
        expect(await settledSoon(waiting)).toBe(false);

        await store.recordInbox({
          receivedAt: '2026-11-02T09:00:00.000Z',
          eventName: 'referral-created',
          resourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/ref-1',
          referralId: key('ref-1'),
          kind: 'sync',
          rawBody: '{}',
          headers: {},
        });

        await waiting;
      });

      it('does not wake for a blocked referral until its running job is settled', async () => {
        const { queue } = await setup();
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });
        const running = await claimOrFail(queue);
        await queue.enqueue(key('ref-1'), { reason: 'webhook' });

        const waiting = queue.waitForWork();
        expect(await settledSoon(waiting)).toBe(false);
        await queue.complete(running);

        await waiting;
        expect((await claimOrFail(queue)).referralId).toBe('ref-1');
      });

      it('returns when its signal aborts', async () => {
        const { queue } = await setup();
        const abort = new AbortController();
        const waiting = queue.waitForWork(abort.signal);
        expect(await settledSoon(waiting)).toBe(false);

        abort.abort();

        await waiting;
      });
    });

    describe('stats', () => {
      it('counts jobs by state and reports the oldest due run time', async () => {
        const { queue, clock } = await setup();
        await queue.enqueue(key('ref-a'), { reason: 'webhook' });
        clock.advance(5_000);
        const dueSince = clock.in(0);
        await queue.enqueue(key('ref-b'), { reason: 'webhook' });
        await queue.enqueue(key('ref-c'), { reason: 'reconcile', notBefore: clock.in(60_000) });
        await queue.enqueue(key('ref-d'), { reason: 'webhook' });
        clock.advance(1);
        await queue.deadLetter(await claimOrFail(queue), { code: 'mapping_invalid', message: 'x' });
        expect((await claimOrFail(queue)).referralId).toBe('ref-b');

        expect(await queue.stats()).toEqual({
          pending: 2,
          due: 1,
          scheduled: 1,
          running: 1,
          dead: 1,
          deadByCode: { mapping_invalid: 1 },
          oldestDueAt: dueSince,
        });
      });
    });

    describe('under concurrent workers', () => {
      it('drains 1,000 events across 100 referrals without ever running one referral twice at once', async () => {
        const { queue } = await setup();
        const random = createRandom('job-queue-contract');
        const referrals = Array.from({ length: 100 }, (_, i) => `ref-${String(i).padStart(3, '0')}`);
        // The "remote state" a sync reads: each event bumps its referral's version before it is enqueued.
        const version = new Map(referrals.map((id) => [id, 0]));
        const synced = new Map<string, number>();
        const runningNow = new Set<string>();
        const overlaps: string[] = [];
        let runs = 0;
        let producing = true;
        // Wakes idle workers to re-check whether everything is done once nothing more will be enqueued.
        const productionDone = new AbortController();

        const yieldTurns = async (max: number) => {
          const turns = random.int(0, max);
          for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
        };

        const produce = async () => {
          const events = referrals.flatMap((id) => Array.from({ length: 10 }, () => id));
          for (let i = events.length - 1; i > 0; i--) {
            const j = random.int(0, i);
            [events[i], events[j]] = [events[j] as string, events[i] as string];
          }
          for (const id of events) {
            version.set(id, (version.get(id) ?? 0) + 1);
            await queue.enqueue(key(id), { reason: 'webhook' });
            await yieldTurns(1);
          }
          producing = false;
          productionDone.abort();
        };

        const work = async (workerId: string) => {
          for (;;) {
            const job = await queue.claim({ workerId, leaseMs: LEASE_MS });
            if (!job) {
              const stats = await queue.stats();
              if (!producing && stats.pending === 0 && stats.running === 0) return;
              await queue.waitForWork(producing ? productionDone.signal : undefined);
              continue;
            }
            if (runningNow.has(job.referralId)) overlaps.push(job.referralId);
            runningNow.add(job.referralId);
            const seen = version.get(job.referralId) ?? 0;
            await yieldTurns(3);
            runningNow.delete(job.referralId);
            synced.set(job.referralId, seen);
            runs += 1;
            expect(await queue.complete(job)).toEqual({ outcome: 'completed' });
          }
        };

        await Promise.all([produce(), ...['w1', 'w2', 'w3', 'w4', 'w5', 'w6'].map(work)]);

        expect(overlaps).toEqual([]);
        expect(Object.fromEntries(synced)).toEqual(Object.fromEntries(version));
        expect(runs).toBeGreaterThanOrEqual(100);
        expect(runs).toBeLessThanOrEqual(1_000);
        expect(await queue.stats()).toMatchObject({ pending: 0, running: 0, dead: 0 });
      });
    });
  });
}
