import { describe, expect, it } from 'vitest';
import { classifyEvent, parseNotification, referralIdFromUri } from './notification.ts';

const ID = '3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10';

function parse(payload: unknown) {
  return parseNotification(Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)));
}

describe('the referral id of a ResourceUri', () => {
  it.each([
    ['the documented event form', `https://api.partnercenter.microsoft.com/engagements/v1/referrals/${ID}`],
    ['the REST API form', `https://api.partner.microsoft.com/v1.0/engagements/referrals/${ID}`],
    ['a drifted host and path', `https://api.partner.microsoft.com/v2/engagements/referrals/${ID}`],
    ['a trailing slash', `https://api.partner.microsoft.com/v1.0/engagements/referrals/${ID}/`],
    ['a query string', `https://api.partner.microsoft.com/v1.0/engagements/referrals/${ID}?x=1`],
    [
      'an upper-case GUID',
      `https://api.partner.microsoft.com/v1.0/engagements/Referrals/${ID.toUpperCase()}`,
    ],
  ])('is read from %s', (_form, uri) => {
    expect(referralIdFromUri(uri)).toBe(ID);
  });

  it('lower-cases a non-GUID id too, to the one key every other source names the referral by', () => {
    expect(referralIdFromUri('https://api.partner.microsoft.com/v1.0/engagements/referrals/Ref_42-A')).toBe(
      'ref_42-a',
    );
  });

  it.each([
    ['another resource', 'https://api.partnercenter.microsoft.com/v1/customers/abc'],
    ['the referrals collection itself', 'https://api.partner.microsoft.com/v1.0/engagements/referrals'],
    [
      'a sub-resource of a referral',
      `https://api.partner.microsoft.com/v1.0/engagements/referrals/${ID}/notes`,
    ],
    ['an encoded traversal', 'https://api.partner.microsoft.com/v1.0/engagements/referrals/..%2Fadmin'],
    ['a dot-segment traversal', 'https://api.partner.microsoft.com/v1.0/engagements/referrals/../admin'],
    ['an id with a dot', 'https://api.partner.microsoft.com/v1.0/engagements/referrals/a.b'],
    ['an overlong id', `https://api.partner.microsoft.com/v1.0/engagements/referrals/${'a'.repeat(200)}`],
    ['a relative reference', `engagements/referrals/${ID}`],
    ['another scheme', `ftp://api.partner.microsoft.com/referrals/${ID}`],
  ])('is not read from %s', (_case, uri) => {
    expect(referralIdFromUri(uri)).toBeNull();
  });
});

describe('a notification payload', () => {
  const base = {
    EventName: 'referral-created',
    ResourceUri: `https://api.partnercenter.microsoft.com/engagements/v1/referrals/${ID}`,
    ResourceName: 'referral',
    AuditUri: null,
    ResourceChangeUtcDate: '2025-03-12T09:01:44.7654321+00:00',
  };

  it('is read from the documented PascalCase form', () => {
    expect(parse(base)).toEqual({
      ok: true,
      notification: {
        eventName: 'referral-created',
        kind: 'sync',
        resourceUri: base.ResourceUri,
        resourceName: 'referral',
        auditUri: null,
        resourceChangedAt: '2025-03-12T09:01:44.7654321Z',
        referralId: ID,
      },
    });
  });

  it('tolerates the AuditUrl misspelling, camelCase keys and unknown keys', () => {
    const result = parse({
      eventName: 'Referral-Updated',
      resourceUri: base.ResourceUri,
      AuditUrl: 'https://api.partnercenter.microsoft.com/audit/1',
      Extra: true,
    });
    expect(result).toMatchObject({
      ok: true,
      notification: {
        eventName: 'referral-updated',
        auditUri: 'https://api.partnercenter.microsoft.com/audit/1',
      },
    });
  });

  it('rejects a key given twice in two casings', () => {
    expect(parse({ ...base, eventName: 'test-created' })).toMatchObject({
      ok: false,
      reason: 'payload_invalid',
    });
  });

  it.each([
    ['not JSON', '{', 'body_not_json'],
    ['empty', '', 'body_not_json'],
    ['null', 'null', 'payload_invalid'],
    ['a string', '"referral-created"', 'payload_invalid'],
    ['missing ResourceUri', JSON.stringify({ EventName: 'referral-created' }), 'payload_invalid'],
    ['a numeric EventName', JSON.stringify({ ...base, EventName: 7 }), 'payload_invalid'],
    ['an empty EventName', JSON.stringify({ ...base, EventName: '' }), 'payload_invalid'],
    [
      'a referral event without a referral URI',
      JSON.stringify({ ...base, ResourceUri: 'https://x/y' }),
      'resource_uri_invalid',
    ],
  ])('is rejected when %s', (_case, body, reason) => {
    expect(parse(body)).toMatchObject({ ok: false, reason });
  });

  it('is accepted with any ResourceUri when it is not a referral event', () => {
    expect(parse({ ...base, EventName: 'invoice-ready', ResourceUri: 'https://x/invoices/1' })).toMatchObject(
      {
        ok: true,
        notification: { kind: 'ignored', referralId: null },
      },
    );
  });
});

describe('event classification', () => {
  it.each([
    ['referral-created', 'sync'],
    ['referral-updated', 'sync'],
    ['related-referral-created', 'sync'],
    ['related-referral-updated', 'sync'],
    ['test-created', 'test'],
    ['subscription-updated', 'ignored'],
    ['referral-deleted', 'ignored'],
  ])('%s is %s', (eventName, kind) => {
    expect(classifyEvent(eventName)).toBe(kind);
  });
});
