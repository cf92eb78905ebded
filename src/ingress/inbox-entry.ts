import type { CallbackHeaders } from './callback-headers.ts';
import type { NotificationKind, PartnerCenterNotification } from './notification.ts';

/**
 * What the ingress hands to the store for one accepted callback: the inbox row, and (when `referralId` is
 * set) the sync job to commit with it in one transaction.
 */
export type InboxEntry = {
  receivedAt: Date;
  eventName: string;
  resourceUri: string;
  /** The referral to enqueue a sync for; null = record only. */
  referralId: string | null;
  kind: NotificationKind;
  /** ResourceChangeUtcDate of the event as a UTC instant with 7 fractional digits, when readable. */
  changedAt: string | null;
  /** The verified body as received (UTF-8), kept for audit and replay. */
  rawBody: string;
  /** Headers worth keeping for diagnosis; never the signature or Authorization. */
  headers: Record<string, string>;
};

/**
 * An allow-list, so a header added by a gateway in front of us (cookies, API keys) can never end up in
 * the inbox; the signature is left out on purpose even though it is not a secret of ours.
 */
export const KEPT_HEADERS = [
  'content-type',
  'user-agent',
  'x-ms-certificate-url',
  'x-ms-signature-algorithm',
  'ms-correlationid',
  'ms-requestid',
  'ms-cv',
  'x-request-id',
  'traceparent',
] as const;

export function toInboxEntry(
  notification: PartnerCenterNotification,
  request: { headers: CallbackHeaders; rawBody: Buffer },
  receivedAt: Date,
): InboxEntry {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = request.headers.get(name)?.[0];
    if (value !== undefined) headers[name] = value;
  }
  return {
    receivedAt,
    eventName: notification.eventName,
    resourceUri: notification.resourceUri,
    referralId: notification.referralId,
    kind: notification.kind,
    changedAt: notification.resourceChangedAt,
    rawBody: request.rawBody.toString('utf8'),
    headers,
  };
}
