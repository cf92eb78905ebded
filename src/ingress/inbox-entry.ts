import type { InboxEntry } from '../store/ports.ts';
import type { CallbackHeaders } from './callback-headers.ts';
import type { PartnerCenterNotification } from './notification.ts';

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

/**
 * The inbox row of one accepted callback, as `Store.recordInbox` takes it: with a referral key for a
 * `sync` event (its job commits with the row), and `ResourceChangeUtcDate` as a 7-digit UTC instant.
 */
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
    receivedAt: receivedAt.toISOString(),
    eventName: notification.eventName,
    resourceUri: notification.resourceUri,
    referralId: notification.referralId,
    kind: notification.kind,
    changedAt: notification.resourceChangedAt,
    rawBody: request.rawBody.toString('utf8'),
    headers,
  };
}
