import { listenOnLoopback, PARTNER_CENTER_AUDIENCES } from '@referral-connector/emulators';
import fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../test/support/connector-world.ts';
import { RemoteError } from '../net/remote-error.ts';
import { createWebhooksClient, type WebhooksClient } from './webhooks-client.ts';

const TENANT_EVENTS = ['referral-created', 'referral-updated'];

// The registration is one per tenant and cannot be deleted: each test gets a fresh tenant.
let cw: ConnectorWorld;
let webhooks: WebhooksClient;
beforeEach(async () => {
  cw = await startConnectorWorld();
  webhooks = createWebhooksClient({
    baseUrl: cw.world.urls.webhooks,
    http: cw.http('webhooks'),
    tokens: cw.appTokens(PARTNER_CENTER_AUDIENCES.webhooks),
  });
});
afterEach(() => cw?.close());

const registered = () => cw.world.webhooks.registrations()[cw.world.credentials.tenant];

describe('webhooks client', () => {
  it('reads no registration (null) while the tenant has none', async () => {
    expect(await webhooks.get()).toBeNull();
  });

  it('creates the registration and reads it back', async () => {
    const created = await webhooks.put(
      {
        webhookUrl: 'https://connector.example/webhooks/partner-center',
        webhookEvents: TENANT_EVENTS,
        signatureInMsSignatureHeader: true,
      },
      'create',
    );

    expect(created).toMatchObject({
      webhookUrl: 'https://connector.example/webhooks/partner-center',
      webhookEvents: TENANT_EVENTS,
    });
    expect(created.subscriberId).toEqual(expect.any(String));
    expect(registered()).toMatchObject({
      webhookUrl: 'https://connector.example/webhooks/partner-center',
      webhookEvents: TENANT_EVENTS,
      signatureTokenToMsSignatureHeader: true,
    });
    expect(await webhooks.get()).toEqual({
      webhookUrl: 'https://connector.example/webhooks/partner-center',
      webhookEvents: TENANT_EVENTS,
      signatureInMsSignatureHeader: true,
      subscriberId: created.subscriberId,
    });
  });

  it('returns the header mode it registered, although the answer leaves it out', async () => {
    const created = await webhooks.put(
      {
        webhookUrl: 'https://connector.example/hook',
        webhookEvents: TENANT_EVENTS,
        signatureInMsSignatureHeader: true,
      },
      'create',
    );
    expect(registered()?.signatureTokenToMsSignatureHeader).toBe(true);
    expect(created.signatureInMsSignatureHeader).toBe(true);
  });

  it('replaces the registration and keeps its subscriber id', async () => {
    const created = await webhooks.put(
      {
        webhookUrl: 'https://old.example/hook',
        webhookEvents: TENANT_EVENTS,
        signatureInMsSignatureHeader: false,
      },
      'create',
    );
    const replaced = await webhooks.put(
      {
        webhookUrl: 'https://new.example/hook',
        webhookEvents: ['referral-updated'],
        signatureInMsSignatureHeader: false,
      },
      'replace',
    );

    expect(replaced.subscriberId).toBe(created.subscriberId);
    expect(registered()).toMatchObject({
      webhookUrl: 'https://new.example/hook',
      webhookEvents: ['referral-updated'],
    });
  });

  it('refuses to create a second registration (Partner Center says use PUT)', async () => {
    const wanted = {
      webhookUrl: 'https://a.example/hook',
      webhookEvents: TENANT_EVENTS,
      signatureInMsSignatureHeader: false,
    };
    await webhooks.put(wanted, 'create');
    const failure = await webhooks.put(wanted, 'create').catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(RemoteError);
    expect(failure).toMatchObject({ disposition: 'dead_letter', status: 409, code: 'webhooks_rejected' });
  });

  it('lists the events a registration may name', async () => {
    const events = await webhooks.availableEvents();
    expect(events).toEqual(expect.arrayContaining(['test-created', ...TENANT_EVENTS]));
  });

  it('sends a test event to the registered URL and reports how the receiver answered', async () => {
    const receiver = fastify({ logger: false });
    const received: unknown[] = [];
    receiver.post('/hook', async (request, reply) => {
      received.push(request.body);
      return reply.type('text/plain').send('received');
    });
    const receiverUrl = await listenOnLoopback(receiver, { https: false });
    try {
      await webhooks.put(
        {
          webhookUrl: `${receiverUrl}/hook`,
          webhookEvents: ['test-created', ...TENANT_EVENTS],
          signatureInMsSignatureHeader: false,
        },
        'create',
      );
      const correlationId = await webhooks.sendTestEvent();
      await cw.world.webhooks.idle();
      const result = await webhooks.testEventResult(correlationId);

      expect(received).toEqual([expect.objectContaining({ EventName: 'test-created' })]);
      expect(result).toMatchObject({
        correlationId,
        status: 'completed',
        results: [{ responseCode: 'OK', responseMessage: 'received', systemError: false }],
      });
    } finally {
      await receiver.close();
    }
  });

  it('reads a test-event correlation id sent as a bare JSON string', async () => {
    cw.world.webhooks.setKnobs({ validationEventResponse: 'string' });
    await webhooks.put(
      {
        webhookUrl: 'http://127.0.0.1:9/unreachable',
        webhookEvents: ['test-created'],
        signatureInMsSignatureHeader: false,
      },
      'create',
    );
    const correlationId = await webhooks.sendTestEvent();
    expect(correlationId).toMatch(/\S+/);
    expect((await webhooks.testEventResult(correlationId)).correlationId).toBe(correlationId);
  });
});
