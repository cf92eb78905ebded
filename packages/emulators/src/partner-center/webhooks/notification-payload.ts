/**
 * The body Partner Center POSTs to a WebhookUrl: five PascalCase keys, no referral data. Pure; the
 * dispatcher serialises it once and signs exactly those bytes.
 */
import type { ReferralChange } from './notification-source.ts';
import { TEST_EVENT } from './webhook-events.ts';

export type NotificationPayload = {
  EventName: string;
  ResourceUri: string;
  ResourceName: string;
  AuditUri: string | null;
  ResourceChangeUtcDate: string;
};

/**
 * How `ResourceUri` names a referral. `documented` is the form the webhook docs show; `v1.0` is where the
 * REST API actually lives (spec G3); the rest are drift a client should survive by taking the last segment.
 * `mixed` picks one of the others per event.
 */
export const RESOURCE_URI_FORMS = [
  'documented',
  'v1.0',
  'trailing-slash',
  'query-string',
  'uppercase-id',
  'http-scheme',
  'mixed',
] as const;
export type ResourceUriForm = (typeof RESOURCE_URI_FORMS)[number];

const CLASSIC_HOST = 'https://api.partnercenter.microsoft.com';
const REFERRALS_HOST = 'https://api.partner.microsoft.com';

export function referralResourceUri(referralId: string, form: Exclude<ResourceUriForm, 'mixed'>): string {
  const documented = `${CLASSIC_HOST}/engagements/v1/referrals/${referralId}`;
  switch (form) {
    case 'documented':
      return documented;
    case 'v1.0':
      return `${REFERRALS_HOST}/v1.0/engagements/referrals/${referralId}`;
    case 'trailing-slash':
      return `${documented}/`;
    case 'query-string':
      return `${documented}?api-version=1.0`;
    case 'uppercase-id':
      return `${CLASSIC_HOST}/engagements/v1/referrals/${referralId.toUpperCase()}`;
    case 'http-scheme':
      return documented.replace(/^https:/, 'http:');
  }
}

export function referralPayload(
  change: ReferralChange,
  form: Exclude<ResourceUriForm, 'mixed'>,
): NotificationPayload {
  return {
    EventName: change.eventName,
    ResourceUri: referralResourceUri(change.referralId, form),
    ResourceName: 'referral',
    AuditUri: null,
    ResourceChangeUtcDate: formatChangeDate(change.changedAt),
  };
}

/** The `test-created` event a validation event sends; its ResourceUri is the status URL (webhook-events doc). */
export function testPayload(correlationId: string, at: Date): NotificationPayload {
  return {
    EventName: TEST_EVENT,
    ResourceUri: `${CLASSIC_HOST}/webhooks/v1/registration/validationEvents/${correlationId}`,
    ResourceName: 'test',
    AuditUri: null,
    ResourceChangeUtcDate: formatChangeDate(at.toISOString()),
  };
}

/** The exact bytes that are signed and sent. */
export function serializePayload(payload: NotificationPayload): Buffer {
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]00:?00)$/i;

/**
 * `2025-03-12T09:01:44.7654321+00:00`: seven fractional digits and an explicit zero offset, as the docs
 * show. Digits beyond the millisecond are kept when the input has them; a non-UTC offset is converted.
 */
export function formatChangeDate(iso: string): string {
  const utc = ISO_INSTANT.exec(iso);
  if (utc?.[1]) return `${utc[1]}.${(utc[2] ?? '').padEnd(7, '0').slice(0, 7)}+00:00`;
  const parsed = new Date(iso);
  if (Number.isNaN(parsed.getTime())) throw new RangeError(`not an ISO-8601 instant: ${iso}`);
  return formatChangeDate(parsed.toISOString());
}
