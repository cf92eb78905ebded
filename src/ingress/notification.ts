import { z } from 'zod';
import { type ReferralKey, toReferralKey } from '../core/domain.ts';
import { toUtcInstant } from '../core/utc-instant.ts';
import { type Refusal, refuse } from './rejection-reasons.ts';

/**
 * Glossary
 * - notification: what Partner Center POSTs; a hint that a resource changed, never data (spec §4.3, G4).
 * - kind: what the ingress does with it — `sync` (enqueue a sync of the referral), `test` (a validation
 *   event: record only), `ignored` (an event we do not act on: record only).
 */
export type NotificationKind = 'sync' | 'test' | 'ignored';

export const REFERRAL_EVENTS = [
  'referral-created',
  'referral-updated',
  'related-referral-created',
  'related-referral-updated',
] as const;

export const TEST_EVENT = 'test-created';

export type PartnerCenterNotification = {
  /** As sent, lower-cased: `{resource}-{action}`. */
  eventName: string;
  kind: NotificationKind;
  resourceUri: string;
  resourceName: string | null;
  auditUri: string | null;
  /** Null when absent or unreadable: only ever informative (events are hints). */
  resourceChangedAt: string | null;
  /** The referral to sync, by its key; null unless `kind` is `sync`. */
  referralId: ReferralKey | null;
};

const EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const payloadSchema = z.object({
  EventName: z.string().regex(EVENT_NAME),
  ResourceUri: z.string().min(1).max(2048),
  ResourceName: z.string().max(200).nullish(),
  AuditUri: z.string().max(2048).nullish(),
  ResourceChangeUtcDate: z.string().max(64).nullish(),
});

type Payload = z.infer<typeof payloadSchema>;

/** Keys by lower-case spelling; `AuditUrl` is a misspelling in one Microsoft doc table (spec §4.3). */
const CANONICAL_KEYS: Record<string, keyof Payload> = {
  eventname: 'EventName',
  resourceuri: 'ResourceUri',
  resourcename: 'ResourceName',
  audituri: 'AuditUri',
  auditurl: 'AuditUri',
  resourcechangeutcdate: 'ResourceChangeUtcDate',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a notification from the raw body bytes; call only after the signature over them is verified. */
export function parseNotification(
  rawBody: Buffer,
): { ok: true; notification: PartnerCenterNotification } | Refusal {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(rawBody));
  } catch {
    return refuse('body_not_json');
  }
  const canonical = canonicalKeys(json);
  if (!canonical.ok) return canonical;
  const parsed = payloadSchema.safeParse(canonical.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(
      'payload_invalid',
      issue ? `${issue.path.join('.') || '(root)'}: ${issue.code}` : undefined,
    );
  }
  const payload = parsed.data;
  const eventName = payload.EventName.toLowerCase();
  const kind = classifyEvent(eventName);
  const referralId = kind === 'sync' ? referralIdFromUri(payload.ResourceUri) : null;
  if (kind === 'sync' && referralId === null) return refuse('resource_uri_invalid');
  return {
    ok: true,
    notification: {
      eventName,
      kind,
      resourceUri: payload.ResourceUri,
      resourceName: payload.ResourceName ?? null,
      auditUri: payload.AuditUri ?? null,
      resourceChangedAt: toUtcInstant(payload.ResourceChangeUtcDate),
      referralId,
    },
  };
}

/**
 * The wire form is PascalCase, but the registration API binds case-insensitively (spec §4.1), so casing
 * drift is tolerated; two spellings of one key are a contradiction, not a choice to make silently.
 */
function canonicalKeys(json: unknown): { ok: true; value: Record<string, unknown> } | Refusal {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return refuse('payload_invalid', '(root): not an object');
  }
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(json)) {
    const canonical = CANONICAL_KEYS[key.toLowerCase()];
    if (!canonical) continue;
    if (canonical in value) return refuse('payload_invalid', `${canonical}: given twice`);
    value[canonical] = field;
  }
  return { ok: true, value };
}

export function classifyEvent(eventName: string): NotificationKind {
  const name = eventName.toLowerCase();
  if ((REFERRAL_EVENTS as readonly string[]).includes(name)) return 'sync';
  return name === TEST_EVENT ? 'test' : 'ignored';
}

const REFERRAL_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * The referral id from a `ResourceUri`: documented as `…partnercenter…/engagements/v1/referrals/{id}` while
 * the API lives at `…partner…/v1.0/engagements/referrals/{id}`, and real URIs drift (G3). So: any http(s)
 * URI whose last path segment follows a `referrals` segment. The id is taken raw (no percent-decoding)
 * and must be a GUID or a short run of safe characters. It becomes the referral key (lower-cased), the
 * one name every other source (reconciler, CRM change feed, replay) gives the referral too.
 */
export function referralIdFromUri(resourceUri: string): ReferralKey | null {
  const url = URL.parse(resourceUri);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return null;
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const id = segments.at(-1);
  if (!id || segments.at(-2)?.toLowerCase() !== 'referrals' || !REFERRAL_ID.test(id)) return null;
  return toReferralKey(id);
}
