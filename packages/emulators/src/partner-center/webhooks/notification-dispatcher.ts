/**
 * Partner Center's side of a webhook: turns referral changes and validation requests into signed POSTs to
 * the registered WebhookUrl, retries up to ten attempts, and misbehaves on purpose when the dispatcher
 * fault knobs say so (drop, duplicate, reorder, latency), read at send time.
 *
 * Invariants: `notify` never waits on the network; events for one referral go out in order (one lane per
 * referral), different referrals concurrently up to `concurrency` requests in flight; a slot is held only
 * during a request, never during a back-off wait; every event reaches exactly one final outcome, and
 * `idle()` resolves once none is pending.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import type { Random } from '../../shared/random.ts';
import type { DispatcherFaults, Traffic } from '../../shared/traffic.ts';
import { createConcurrencyLimit } from './concurrency-limit.ts';
import { postNotification } from './delivery-attempt.ts';
import type { DeliveryOutcome, DeliveryRecord } from './delivery-record.ts';
import {
  type NotificationPayload,
  RESOURCE_URI_FORMS,
  referralPayload,
  serializePayload,
  testPayload,
} from './notification-payload.ts';
import type { ReferralChange } from './notification-source.ts';
import type { Registration, Registrations } from './registrations.ts';
import { signNotification } from './sign-notification.ts';
import type { SigningLeaf } from './signing-chain.ts';
import type { WebhooksKnobs } from './webhooks-knobs.ts';

/** Documented: ten delivery attempts, then the event goes to an offline queue and is never retried. */
export const MAX_ATTEMPTS = 10;

const LOG_LIMIT = 10_000;

export type DispatchCounters = {
  /** Events accepted for delivery (notifications and test events; duplicate copies not included). */
  sent: number;
  /** Notifications for events the partner's registration does not subscribe to (or no registration). */
  notSubscribed: number;
  attempts: number;
  succeeded: number;
  failedAttempts: number;
  droppedByFault: number;
  gaveUp: number;
  duplicated: number;
  reordered: number;
};

export type NotificationDispatcherOptions = {
  traffic: Traffic;
  random: Random;
  now: () => number;
  newId: () => string;
  registrations: Registrations;
  /** Whose registration referral notifications go to. */
  partnerTenantId: string;
  /** The signing leaf; resolved at the first send, when the emulator's origin is known. */
  signingLeaf: () => Promise<SigningLeaf>;
  knobs: () => WebhooksKnobs;
  /** PEM of extra CA(s) to trust for https receivers; the system roots otherwise. */
  trustCa?: string;
  attemptTimeoutMs: number;
  /** Wait after failed attempt n is `retryDelaysMs[n-1]`, the last entry repeating. */
  retryDelaysMs: readonly number[];
  concurrency: number;
  /** Longest a reordered event waits for a next event before it is sent anyway. */
  reorderHoldMs: number;
};

export type NotificationDispatcher = {
  notify(change: ReferralChange): void;
  /** Sends a `test-created` event to the tenant's registration; the delivery id, or undefined if none. */
  sendTest(tenantId: string, correlationId: string): string | undefined;
  delivery(id: string): DeliveryRecord | undefined;
  deliveries(): DeliveryRecord[];
  counters(): DispatchCounters;
  idle(): Promise<void>;
  close(): Promise<void>;
};

type Job = {
  record: DeliveryRecord;
  body: Buffer;
  lane: string;
  headers?: Record<string, string>;
};

export function createNotificationDispatcher(options: NotificationDispatcherOptions): NotificationDispatcher {
  const { random } = options;
  const agent = new Agent({ connect: options.trustCa ? { ca: options.trustCa } : {} });
  const limit = createConcurrencyLimit(options.concurrency);
  const closing = new AbortController();
  const records: DeliveryRecord[] = [];
  const byId = new Map<string, DeliveryRecord>();
  const lanes = new Map<string, Promise<void>>();
  const counters: DispatchCounters = {
    sent: 0,
    notSubscribed: 0,
    attempts: 0,
    succeeded: 0,
    failedAttempts: 0,
    droppedByFault: 0,
    gaveUp: 0,
    duplicated: 0,
    reordered: 0,
  };
  let pending = 0;
  let idleWaiters: Array<() => void> = [];
  let held: { job: Job; timer: NodeJS.Timeout } | undefined;
  let closed: Promise<void> | undefined;

  const timestamp = () => new Date(options.now()).toISOString();

  function track(job: Job): void {
    pending += 1;
    records.push(job.record);
    byId.set(job.record.id, job.record);
    if (records.length > LOG_LIMIT) forgetOldestFinished();
  }

  /** Bounds the log for long runs (benchmarks); events still pending are never forgotten. */
  function forgetOldestFinished(): void {
    let toForget = Math.floor(LOG_LIMIT / 2);
    const kept: DeliveryRecord[] = [];
    for (const record of records) {
      if (toForget > 0 && record.outcome !== 'pending' && record.outcome !== 'held') {
        toForget -= 1;
        byId.delete(record.id);
      } else {
        kept.push(record);
      }
    }
    records.splice(0, records.length, ...kept);
  }

  function finish(job: Job, outcome: Exclude<DeliveryOutcome, 'pending' | 'held'>): void {
    job.record.outcome = outcome;
    job.record.completedAt = timestamp();
    pending -= 1;
    if (pending === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  function newJob(
    registration: Registration,
    payload: NotificationPayload,
    ids: { referralId?: string; correlationId?: string },
  ): Job {
    const record: DeliveryRecord = {
      id: options.newId(),
      eventName: payload.EventName,
      ...ids,
      url: registration.webhookUrl,
      signatureHeader: registration.signatureTokenToMsSignatureHeader ? 'x-ms-signature' : 'authorization',
      payload,
      enqueuedAt: timestamp(),
      outcome: 'pending',
      attempts: [],
    };
    return { record, body: serializePayload(payload), lane: ids.referralId ?? `test:${ids.correlationId}` };
  }

  function enqueue(job: Job): void {
    counters.sent += 1;
    track(job);
    const previous = lanes.get(job.lane) ?? Promise.resolve();
    const current = previous.then(() => run(job));
    lanes.set(job.lane, current);
    void current.then(() => {
      if (lanes.get(job.lane) === current) lanes.delete(job.lane);
    });
  }

  /** Never rejects: whatever goes wrong ends as the job's outcome. */
  async function run(job: Job): Promise<void> {
    let copy: Job | undefined;
    try {
      if (closing.signal.aborted) return finish(job, 'cancelled');
      const faults: DispatcherFaults = options.traffic.faults().dispatcher ?? {};
      if (random.chance(faults.drop ?? 0)) {
        counters.droppedByFault += 1;
        releaseHeld();
        return finish(job, 'dropped');
      }
      if (!held && random.chance(faults.reorder ?? 0)) return hold(job);
      // The copy is tracked from the start so that `idle()` cannot resolve between the two sends.
      copy = random.chance(faults.duplicate ?? 0) ? duplicateOf(job) : undefined;
      if ((faults.latencyMs ?? 0) > 0) await sleep(faults.latencyMs, undefined, { signal: closing.signal });
      await send(job, { releasesHeld: true });
      if (copy) await send(copy, { releasesHeld: false });
    } catch (error) {
      abandon(job, error);
      if (copy) abandon(copy, error);
    }
  }

  function duplicateOf(job: Job): Job {
    const copy: Job = {
      ...job,
      record: { ...structuredClone(job.record), id: options.newId(), duplicateOf: job.record.id },
    };
    counters.duplicated += 1;
    track(copy);
    return copy;
  }

  /** Ends a job that could not finish normally; an abort by `close` is not an error worth recording. */
  function abandon(job: Job, error: unknown): void {
    if (job.record.outcome !== 'pending' && job.record.outcome !== 'held') return;
    if (!closing.signal.aborted) job.record.error = error instanceof Error ? error.message : String(error);
    finish(job, 'cancelled');
  }

  /** Never rejects, like `run`. */
  async function send(job: Job, how: { releasesHeld: boolean }): Promise<void> {
    try {
      await attemptAll(job, how);
    } catch (error) {
      abandon(job, error);
    }
  }

  async function attemptAll(job: Job, how: { releasesHeld: boolean }): Promise<void> {
    const headers = job.headers ?? (await signedHeaders(job));
    job.headers = headers;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (closing.signal.aborted) return finish(job, 'cancelled');
      const at = timestamp();
      const result = await limit(() =>
        postNotification(
          agent,
          { url: job.record.url, body: job.body, headers },
          { timeoutMs: options.attemptTimeoutMs, signal: closing.signal },
        ),
      );
      counters.attempts += 1;
      job.record.attempts.push({ attempt, at, ...result });
      if (attempt === 1 && how.releasesHeld) releaseHeld();
      if (result.status !== undefined && result.status >= 200 && result.status < 300) {
        counters.succeeded += 1;
        return finish(job, 'delivered');
      }
      counters.failedAttempts += 1;
      if (attempt < MAX_ATTEMPTS) await sleep(retryDelay(attempt), undefined, { signal: closing.signal });
    }
    counters.gaveUp += 1;
    finish(job, 'gave-up');
  }

  async function signedHeaders(job: Job): Promise<Record<string, string>> {
    const leaf = await options.signingLeaf();
    return signNotification(job.body, {
      privateKey: leaf.privateKey,
      certificateUrl: leaf.certificateUrl,
      mode: job.record.signatureHeader,
      prefixMsSignature: options.knobs().prefixMsSignature,
    });
  }

  function retryDelay(failedAttempt: number): number {
    const delays = options.retryDelaysMs;
    return delays[Math.min(failedAttempt, delays.length) - 1] ?? 0;
  }

  function hold(job: Job): void {
    counters.reordered += 1;
    job.record.outcome = 'held';
    job.record.reordered = true;
    const timer = setTimeout(releaseHeld, options.reorderHoldMs);
    held = { job, timer };
  }

  /** Sends the held event, if any, outside its lane: the next event has already gone out. */
  function releaseHeld(): void {
    if (!held) return;
    const { job, timer } = held;
    held = undefined;
    clearTimeout(timer);
    job.record.outcome = 'pending';
    void send(job, { releasesHeld: false });
  }

  const whenIdle = () =>
    pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));

  async function shutDown(): Promise<void> {
    closing.abort();
    if (held) {
      const { job, timer } = held;
      held = undefined;
      clearTimeout(timer);
      abandon(job, undefined);
    }
    await whenIdle();
    await agent.destroy();
  }

  return {
    notify(change) {
      const registration = options.registrations.get(options.partnerTenantId);
      if (!registration?.webhookEvents.includes(change.eventName)) {
        counters.notSubscribed += 1;
        return;
      }
      const chosen = options.knobs().resourceUriForm;
      const form = chosen === 'mixed' ? random.pick(RESOURCE_URI_FORMS.filter((f) => f !== 'mixed')) : chosen;
      enqueue(newJob(registration, referralPayload(change, form), { referralId: change.referralId }));
    },
    sendTest(tenantId, correlationId) {
      const registration = options.registrations.get(tenantId);
      if (!registration) return undefined;
      const job = newJob(registration, testPayload(correlationId, new Date(options.now())), {
        correlationId,
      });
      enqueue(job);
      return job.record.id;
    },
    delivery: (id) => {
      const record = byId.get(id);
      return record && structuredClone(record);
    },
    deliveries: () => structuredClone(records),
    counters: () => ({ ...counters }),
    idle: whenIdle,
    close() {
      closed ??= shutDown();
      return closed;
    },
  };
}
