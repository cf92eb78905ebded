import { describe, expect, it } from 'vitest';
import { parseRegistrationBody } from './registration-body.ts';

describe('parseRegistrationBody', () => {
  it('binds property names case-insensitively and canonicalises event names', () => {
    expect(
      parseRegistrationBody({
        webhookurl: ' https://partner.example/hooks ',
        WEBHOOKEVENTS: ['Referral-Created', 'referral-created', 'test-created'],
        signatureTokenToMsSignatureHeader: true,
      }),
    ).toEqual({
      ok: true,
      value: {
        webhookUrl: 'https://partner.example/hooks',
        webhookEvents: ['referral-created', 'test-created'],
        signatureTokenToMsSignatureHeader: true,
      },
    });
  });

  it('defaults the signature header flag to false and ignores unknown properties', () => {
    const parsed = parseRegistrationBody({
      WebhookUrl: 'http://localhost:3000/h',
      WebhookEvents: ['referral-updated'],
      Extra: 1,
    });
    expect(parsed).toMatchObject({ ok: true, value: { signatureTokenToMsSignatureHeader: false } });
  });

  it.each([
    ['no body', undefined],
    ['an array', []],
    ['no URL', { WebhookEvents: ['referral-created'] }],
    ['a relative URL', { WebhookUrl: '/hooks', WebhookEvents: ['referral-created'] }],
    ['a non-http URL', { WebhookUrl: 'ftp://partner.example/h', WebhookEvents: ['referral-created'] }],
    ['no events', { WebhookUrl: 'https://partner.example/h', WebhookEvents: [] }],
    ['an unknown event', { WebhookUrl: 'https://partner.example/h', WebhookEvents: ['referral-deleted'] }],
    [
      'a non-boolean flag',
      {
        WebhookUrl: 'https://partner.example/h',
        WebhookEvents: ['test-created'],
        SignatureTokenToMsSignatureHeader: 'yes',
      },
    ],
  ])('refuses %s', (_case, body) => {
    expect(parseRegistrationBody(body)).toMatchObject({ ok: false, description: expect.any(String) });
  });
});
