import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../../credentials.ts';
import {
  type Receiver,
  startReceiver,
  startWebhooksWorld,
  verifyAsReceiver,
  type WebhooksWorld,
  waitUntil,
} from './test-support.ts';

describe('webhook registration API', () => {
  let world: WebhooksWorld;
  let receiver: Receiver;

  beforeEach(async () => {
    world = await startWebhooksWorld({ retryDelaysMs: [5] });
    receiver = await startReceiver(world.tls);
  });
  afterEach(async () => {
    await world.close();
    await receiver.close();
  });

  const registration = () => `${world.webhooksBase}/registration`;

  it('registers with PascalCase properties and answers with a subscriber id', async () => {
    const created = await world.call('POST', registration(), {
      body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-created', 'referral-updated'] },
    });

    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      SubscriberId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      WebhookUrl: receiver.url,
      WebhookEvents: ['referral-created', 'referral-updated'],
    });
    expect(world.state.registrations()[DEV_CREDENTIALS.tenant]?.webhookUrl).toBe(receiver.url);
  });

  it('binds camelCase properties too and reads the registration back', async () => {
    await world.call('POST', registration(), {
      body: {
        webhookUrl: receiver.url,
        webhookEvents: ['Referral-Updated'],
        signatureTokenToMsSignatureHeader: true,
      },
    });

    const read = await world.call('GET', registration());

    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({
      WebhookUrl: receiver.url,
      WebhookEvents: ['referral-updated'],
      SignatureTokenToMsSignatureHeader: true,
    });
  });

  it('answers 404 in the classic shape when the tenant has no registration', async () => {
    const read = await world.call('GET', registration());

    expect(read.status).toBe(404);
    expect(read.json).toEqual({
      code: '404',
      description: expect.any(String),
      data: [],
      source: 'PartnerFD',
    });
  });

  it('refuses a second POST with 409 and keeps the first registration', async () => {
    await world.call('POST', registration(), {
      body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] },
    });

    const again = await world.call('POST', registration(), {
      body: { WebhookUrl: 'https://other.example/hook', WebhookEvents: ['referral-updated'] },
    });

    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ description: 'Registration already exists, use the PUT method' });
    expect(world.state.registrations()[DEV_CREDENTIALS.tenant]?.webhookUrl).toBe(receiver.url);
  });

  it('replaces the whole registration on PUT, keeping the subscriber id', async () => {
    const first = await world.call('POST', registration(), {
      body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-created', 'referral-updated'] },
    });

    const replaced = await world.call('PUT', registration(), {
      body: { WebhookUrl: 'https://other.example/hook', WebhookEvents: ['test-created'] },
    });

    expect(replaced.status).toBe(200);
    expect(replaced.json).toEqual({
      SubscriberId: (first.json as { SubscriberId: string }).SubscriberId,
      WebhookUrl: 'https://other.example/hook',
      WebhookEvents: ['test-created'],
    });
    const read = await world.call('GET', registration());
    expect(read.json).toMatchObject({
      WebhookEvents: ['test-created'],
      SignatureTokenToMsSignatureHeader: false,
    });
  });

  it('answers PUT without a registration with 404', async () => {
    const put = await world.call('PUT', registration(), {
      body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] },
    });

    expect(put.status).toBe(404);
  });

  it('has no DELETE: 405 with the allowed methods, registration untouched', async () => {
    await world.call('POST', registration(), {
      body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] },
    });

    const deleted = await world.call('DELETE', registration());

    expect(deleted.status).toBe(405);
    expect(deleted.headers.allow).toBe('GET, POST, PUT');
    expect(deleted.json).toMatchObject({ code: '405', source: 'PartnerFD' });
    expect((await world.call('GET', registration())).status).toBe(200);
  });

  it('keeps registrations apart per tenant', async () => {
    const otherTenant = `Bearer ${await world.token({ tid: '99999999-0000-4000-8000-000000000000' })}`;
    await world.call('POST', registration(), {
      body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] },
    });

    const other = await world.call('GET', registration(), { authorization: otherTenant });

    expect(other.status).toBe(404);
  });

  it('accepts App+User tokens as well as app-only ones', async () => {
    const delegated = `Bearer ${await world.token({ idtyp: 'user', scp: 'user_impersonation', roles: undefined, upn: DEV_CREDENTIALS.username })}`;

    const created = await world.call('POST', registration(), {
      authorization: delegated,
      body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] },
    });

    expect(created.status).toBe(200);
  });

  it('rejects a missing token and a token for the referrals audience with a classic 401', async () => {
    const missing = await world.call('GET', registration(), { authorization: null });
    const wrongAudience = await world.call('GET', registration(), {
      authorization: `Bearer ${await world.token({ aud: 'https://api.partner.microsoft.com' })}`,
    });

    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^OAuth realm=urn:cpsvc:cpid:/);
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.json).toMatchObject({ code: '401', data: [], source: 'PartnerFD' });
  });

  it('rejects unknown events, missing URLs and broken JSON with a classic 400', async () => {
    const unknownEvent = await world.call('POST', registration(), {
      body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-deleted'] },
    });
    const noUrl = await world.call('POST', registration(), { body: { WebhookEvents: ['referral-created'] } });
    const broken = await world.call('POST', registration(), {
      rawBody: '{"WebhookUrl":',
      headers: { 'content-type': 'application/json' },
    });

    for (const response of [unknownEvent, noUrl, broken]) {
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: '400', data: [], source: 'PartnerFD' });
    }
    expect(world.state.registrations()).toEqual({});
  });

  it('lists the available events, referral events included', async () => {
    const events = await world.call('GET', `${world.webhooksBase}/registration/events`);

    expect(events.status).toBe(200);
    expect(events.json).toEqual(
      expect.arrayContaining([
        'test-created',
        'referral-created',
        'referral-updated',
        'related-referral-updated',
      ]),
    );
  });

  it('answers unknown paths on the host with a classic 404', async () => {
    const unknown = await world.call('GET', `${world.webhooksBase}/registrations`);

    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: '404', source: 'PartnerFD' });
  });

  it('renders injected faults in the classic formats and counts every request', async () => {
    world.traffic.setFaults({
      webhooks: { endpoints: { 'GET /webhooks/v1/registration/events': { '429': 1 } } },
    });

    const throttled = await world.call('GET', `${world.webhooksBase}/registration/events`);

    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    expect(throttled.json).toEqual({
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 1 seconds.',
    });
    expect(world.traffic.counters().webhooks.byEndpoint['GET /webhooks/v1/registration/events']).toEqual({
      count: 1,
      byStatus: { '429': 1 },
    });
  });

  describe('validation events', () => {
    const validationEvents = () => `${world.webhooksBase}/registration/validationEvents`;

    it('delivers a signed test-created event and reports its result by correlation id', async () => {
      await world.call('POST', registration(), {
        body: { WebhookUrl: receiver.url, WebhookEvents: ['test-created'] },
      });

      const posted = await world.call('POST', validationEvents());

      expect(posted.status).toBe(200);
      const { correlationId } = posted.json as { correlationId: string };
      await world.state.idle();
      const [notification] = receiver.received;
      if (!notification) throw new Error(`no test event arrived ${JSON.stringify(world.state.deliveries())}`);
      const verified = await verifyAsReceiver(notification, {
        rootPem: world.state.signingRootPem,
        agent: world.agent,
      });
      expect(verified.signatureValid).toBe(true);
      expect(verified.payload).toMatchObject({
        EventName: 'test-created',
        ResourceName: 'test',
        ResourceUri: `https://api.partnercenter.microsoft.com/webhooks/v1/registration/validationEvents/${correlationId}`,
      });

      const status = await world.call('GET', `${validationEvents()}/${correlationId}`);
      expect(status.status).toBe(200);
      expect(status.json).toEqual({
        correlationId,
        partnerId: DEV_CREDENTIALS.tenant,
        status: 'completed',
        callbackUrl: receiver.url,
        results: [
          { responseCode: 'OK', responseMessage: '', systemError: false, dateTimeUtc: expect.any(String) },
        ],
      });
    });

    it('reports each failed attempt of a test event with the receiver status and message', async () => {
      const failingOnce = await startReceiver(world.tls, (n) => (n === 1 ? 503 : 200));
      try {
        await world.call('POST', registration(), {
          body: { WebhookUrl: failingOnce.url, WebhookEvents: ['test-created'] },
        });
        const { correlationId } = (await world.call('POST', validationEvents())).json as {
          correlationId: string;
        };
        await world.state.idle();

        const status = await world.call('GET', `${validationEvents()}/${correlationId}`);

        expect(status.json).toMatchObject({
          status: 'completed',
          results: [
            { responseCode: 'ServiceUnavailable', responseMessage: 'receiver says 503', systemError: false },
            { responseCode: 'OK', systemError: false },
          ],
        });
      } finally {
        await failingOnce.close();
      }
    });

    it('answers the correlation id as a bare JSON string when the knob says so', async () => {
      world.state.setKnobs({ validationEventResponse: 'string' });
      await world.call('POST', registration(), {
        body: { WebhookUrl: receiver.url, WebhookEvents: ['test-created'] },
      });

      const posted = await world.call('POST', validationEvents());

      expect(posted.json).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    });

    it('throttles a third validation event within a minute with 429 and Retry-After', async () => {
      await world.call('POST', registration(), {
        body: { WebhookUrl: receiver.url, WebhookEvents: ['test-created'] },
      });

      const first = await world.call('POST', validationEvents());
      const second = await world.call('POST', validationEvents());
      const third = await world.call('POST', validationEvents());

      expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(third.json).toMatchObject({ statusCode: 429 });
      await world.state.idle();
      expect(receiver.received).toHaveLength(2);
    });

    it('requires test-created in the registration', async () => {
      await world.call('POST', registration(), {
        body: { WebhookUrl: receiver.url, WebhookEvents: ['referral-created'] },
      });

      const posted = await world.call('POST', validationEvents());

      expect(posted.status).toBe(400);
      expect(world.state.counters().sent).toBe(0);
    });

    it('answers 404 for an unknown correlation id and for another tenant', async () => {
      await world.call('POST', registration(), {
        body: { WebhookUrl: receiver.url, WebhookEvents: ['test-created'] },
      });
      const { correlationId } = (await world.call('POST', validationEvents())).json as {
        correlationId: string;
      };
      const otherTenant = `Bearer ${await world.token({ tid: '99999999-0000-4000-8000-000000000000' })}`;

      const unknown = await world.call('GET', `${validationEvents()}/00000000-0000-4000-8000-000000000000`);
      const foreign = await world.call('GET', `${validationEvents()}/${correlationId}`, {
        authorization: otherTenant,
      });

      expect(unknown.status).toBe(404);
      expect(foreign.status).toBe(404);
      await waitUntil(() => receiver.received.length === 1, 'the test event arrived');
    });
  });
});
