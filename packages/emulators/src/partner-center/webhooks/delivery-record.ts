/**
 * What the dispatcher remembers about each event it handled. Never holds the signature: the log is
 * served on the control API and shows up in test output.
 */
import type { NotificationPayload } from './notification-payload.ts';

export type DeliveryOutcome =
  /** Queued, sending, or waiting between attempts. */
  | 'pending'
  /** Held back by the reorder fault until the next event has been sent. */
  | 'held'
  | 'delivered'
  /** Never sent: the drop fault. */
  | 'dropped'
  /** Ten attempts without a 2xx: moved to the "offline queue", never retried. */
  | 'gave-up'
  /** The emulator closed before a final outcome. */
  | 'cancelled';

export type AttemptRecord = {
  attempt: number;
  at: string;
  durationMs: number;
  /** HTTP status of the receiver's answer; absent when no answer came (connect error, timeout). */
  status?: number;
  /** The receiver's answer body, truncated. */
  responseText: string;
  error?: string;
};

export type DeliveryRecord = {
  id: string;
  eventName: string;
  referralId?: string;
  correlationId?: string;
  url: string;
  /** Where the signature went. */
  signatureHeader: 'authorization' | 'x-ms-signature';
  payload: NotificationPayload;
  enqueuedAt: string;
  outcome: DeliveryOutcome;
  attempts: AttemptRecord[];
  completedAt?: string;
  /** Set on the second copy the duplicate fault sends. */
  duplicateOf?: string;
  /** The reorder fault held this event back. */
  reordered?: boolean;
  /** Why the event could not be sent at all (e.g. signing failed). */
  error?: string;
};
