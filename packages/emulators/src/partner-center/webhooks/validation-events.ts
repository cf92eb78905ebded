/**
 * Test events a partner requests with `POST /registration/validationEvents`: the documented throttle
 * (2 requests per minute, per partner tenant, sliding window), 7-day retention, and the status view built
 * from what the dispatcher recorded for the delivery.
 */
import type { DeliveryRecord } from './delivery-record.ts';
import { httpStatusName } from './http-status-names.ts';

export const VALIDATION_EVENTS_PER_MINUTE = 2;
const WINDOW_MS = 60_000;
const RETENTION_MS = 7 * 86_400_000;

export type ValidationEvent = {
  correlationId: string;
  tenantId: string;
  callbackUrl: string;
  createdAt: number;
  deliveryId: string;
};

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

export type ValidationEvents = {
  /** Counts a request against the tenant's throttle; every request counts, admitted or not later. */
  admit(tenantId: string): Admission;
  add(event: ValidationEvent): void;
  /** Only the requesting tenant's own events, and only within the retention period. */
  get(tenantId: string, correlationId: string): ValidationEvent | undefined;
};

export function createValidationEvents(options: { now: () => number }): ValidationEvents {
  const recentByTenant = new Map<string, number[]>();
  const events = new Map<string, ValidationEvent>();
  return {
    admit(tenantId) {
      const now = options.now();
      const recent = (recentByTenant.get(tenantId) ?? []).filter((at) => at > now - WINDOW_MS);
      recentByTenant.set(tenantId, recent);
      const oldest = recent[0];
      if (recent.length >= VALIDATION_EVENTS_PER_MINUTE && oldest !== undefined) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
      }
      recent.push(now);
      return { ok: true };
    },
    add(event) {
      events.set(event.correlationId.toLowerCase(), event);
    },
    get(tenantId, correlationId) {
      const event = events.get(correlationId.toLowerCase());
      if (!event || event.tenantId !== tenantId) return undefined;
      if (options.now() - event.createdAt > RETENTION_MS) {
        events.delete(correlationId.toLowerCase());
        return undefined;
      }
      return event;
    },
  };
}

/**
 * `status` is "pending" until the dispatcher reaches a final outcome, then "completed" whatever the
 * outcome; each attempt is one result. A transport failure (no HTTP answer) is a `systemError`.
 */
export function validationEventView(event: ValidationEvent, delivery: DeliveryRecord | undefined) {
  const finished = delivery !== undefined && delivery.outcome !== 'pending' && delivery.outcome !== 'held';
  return {
    correlationId: event.correlationId,
    partnerId: event.tenantId,
    status: finished ? 'completed' : 'pending',
    callbackUrl: event.callbackUrl,
    results: (delivery?.attempts ?? []).map((attempt) => ({
      responseCode: attempt.status === undefined ? null : httpStatusName(attempt.status),
      responseMessage: attempt.status === undefined ? (attempt.error ?? '') : attempt.responseText,
      systemError: attempt.status === undefined,
      dateTimeUtc: attempt.at,
    })),
  };
}
