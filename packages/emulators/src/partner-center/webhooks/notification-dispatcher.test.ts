import { X509Certificate } from 'node:crypto';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReferralChange } from './notification-source.ts';
import {
  type Receiver,
  startReceiver,
  startWebhooksWorld,
  verifyAsReceiver,
  type WebhooksWorld,
  waitUntil,
} from './test-support.ts';
import type { WebhooksOptions } from './webhooks-emulator.ts';

const REFERRAL_A = '3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10';
const REFERRAL_B = 'b8e4d2a0-5c3f-4f7e-8d21-7a9b6c5d4e30';

const updated = (referralId: string, changedAt = '2025-03-12T09:01:44.7654321Z'): ReferralChange => ({
  eventName: 'referral-updated',
  referralId,
  changedAt,
});

describe('notification dispatcher', () => {
  let world: WebhooksWorld | undefined;
  let receiver: Receiver | undefined;

  afterEach(async () => {
    await world?.close();
    await receiver?.close();
    world = undefined;
    receiver = undefined;
  });

  async function setUp(
    options: {
      world?: WebhooksOptions;
      respond?: (n: number) => number | Promise<number>;
      registration?: Record<string, unknown>;
    } = {},
  ) {
    const started = await startWebhooksWorld({ retryDelaysMs: [1], ...options.world });
    world = started;
    const endpoint = await startReceiver(started.tls, options.respond);
    receiver = endpoint;
    const registered = await started.call('POST', `${started.webhooksBase}/registration`, {
      body: {
        WebhookUrl: endpoint.url,
        WebhookEvents: ['referral-created', 'referral-updated'],
        ...options.registration,
      },
    });
    expect(registered.status).toBe(200);
    return { world: started, receiver: endpoint };
  }

  it('delivers a notification whose signature verifies against a leaf chaining to the exported root', async () => {
    const { world, receiver } = await setUp();

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    expect(receiver.received).toHaveLength(1);
    const [notification] = receiver.received;
    if (!notification) throw new Error('nothing arrived');
    expect(notification.body.toString('utf8')).toBe(
      `{"EventName":"referral-updated","ResourceUri":"https://api.partnercenter.microsoft.com/engagements/v1/referrals/${REFERRAL_A}","ResourceName":"referral","AuditUri":null,"ResourceChangeUtcDate":"2025-03-12T09:01:44.7654321+00:00"}`,
    );
    expect(notification.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: expect.stringMatching(/^Signature [A-Za-z0-9+/]+=*$/),
      'x-ms-certificate-url': `${world.origin}/cert/pcnotifications-dispatch.microsoft.com.cer`,
      'x-ms-signature-algorithm': 'rsa-sha256',
    });
    expect(notification.headers['x-ms-signature']).toBeUndefined();

    const verified = await verifyAsReceiver(notification, {
      rootPem: world.state.signingRootPem,
      agent: world.agent,
    });
    expect(verified.signatureValid).toBe(true);
    expect(verified.chainsToRoot).toBe(true);
    expect(verified.leaf.subject).toContain('CN=pcnotifications-dispatch.microsoft.com');
    expect(verified.leaf.subject).toContain('O=Microsoft Corporation');
    expect(verified.leaf.issuer).toContain('O=Microsoft Corporation');
    expect(verified.leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(verified.intermediate.ca).toBe(true);
  });

  it('signs the exact bytes: a body changed after signing no longer verifies', async () => {
    const { world, receiver } = await setUp();
    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();
    const [notification] = receiver.received;
    if (!notification) throw new Error('nothing arrived');

    const tampered = Buffer.from(notification.body);
    tampered[tampered.length - 3] = '8'.charCodeAt(0);
    const verified = await verifyAsReceiver(
      { headers: notification.headers, body: tampered },
      { rootPem: world.state.signingRootPem, agent: world.agent },
    );

    expect(verified.signatureValid).toBe(false);
  });

  it('serves the signing root on the control API and the intermediate only at the AIA URL', async () => {
    const { world } = await setUp();

    const root = await world.call('GET', `${world.origin}/control/webhooks/signing-root.pem`, {
      authorization: null,
    });
    const leafResponse = await request(`${world.origin}/cert/pcnotifications-dispatch.microsoft.com.cer`, {
      dispatcher: world.agent,
    });
    const leaf = new X509Certificate(Buffer.from(await leafResponse.body.arrayBuffer()));
    const missing = await world.call('GET', `${world.origin}/cert/intermediate.cer`, {
      authorization: null,
    });

    expect(root.status).toBe(200);
    expect(root.text).toBe(world.state.signingRootPem);
    expect(leafResponse.headers['content-type']).toBe('application/pkix-cert');
    expect(leaf.infoAccess).toContain(`CA Issuers - URI:${world.origin}/pki/`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<Code>BlobNotFound</Code>');
  });

  it('puts a bare base64 signature in x-ms-signature when the registration asks for it', async () => {
    const { world, receiver } = await setUp({ registration: { SignatureTokenToMsSignatureHeader: true } });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    const [notification] = receiver.received;
    if (!notification) throw new Error('nothing arrived');
    expect(notification.headers.authorization).toBeUndefined();
    expect(notification.headers['x-ms-signature']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const verified = await verifyAsReceiver(notification, {
      rootPem: world.state.signingRootPem,
      agent: world.agent,
    });
    expect(verified.signatureValid).toBe(true);
  });

  it('prefixes x-ms-signature with the Signature scheme when the knob says so', async () => {
    const { world, receiver } = await setUp({
      registration: { SignatureTokenToMsSignatureHeader: true },
      world: { knobs: { prefixMsSignature: true } },
    });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    const [notification] = receiver.received;
    if (!notification) throw new Error('nothing arrived');
    expect(notification.headers['x-ms-signature']).toMatch(/^Signature [A-Za-z0-9+/]+=*$/);
    const verified = await verifyAsReceiver(notification, {
      rootPem: world.state.signingRootPem,
      agent: world.agent,
    });
    expect(verified.signatureValid).toBe(true);
  });

  it('serves the certificates as PEM when the knob says so, still verifiable', async () => {
    const { world, receiver } = await setUp();
    await world.call('PATCH', `${world.origin}/control/webhooks/knobs`, {
      authorization: null,
      body: { certificateEncoding: 'pem' },
    });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    const [notification] = receiver.received;
    if (!notification) throw new Error('nothing arrived');
    const download = await world.call('GET', String(notification.headers['x-ms-certificate-url']), {
      authorization: null,
    });
    expect(download.text).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const verified = await verifyAsReceiver(notification, {
      rootPem: world.state.signingRootPem,
      agent: world.agent,
    });
    expect(verified.signatureValid && verified.chainsToRoot).toBe(true);
  });

  it('names the referral by its v1.0 REST URL when the knob says so', async () => {
    const { world, receiver } = await setUp({ world: { knobs: { resourceUriForm: 'v1.0' } } });

    world.state.notify({
      eventName: 'referral-created',
      referralId: REFERRAL_A,
      changedAt: '2025-03-12T09:01:44Z',
    });
    await world.state.idle();

    const payload = JSON.parse(receiver.received[0]?.body.toString('utf8') ?? '{}');
    expect(payload).toMatchObject({
      EventName: 'referral-created',
      ResourceUri: `https://api.partner.microsoft.com/v1.0/engagements/referrals/${REFERRAL_A}`,
      ResourceChangeUtcDate: '2025-03-12T09:01:44.0000000+00:00',
    });
  });

  it('sends nothing for an event the registration does not subscribe to', async () => {
    const { world, receiver } = await setUp({ registration: { WebhookEvents: ['referral-created'] } });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    expect(receiver.received).toHaveLength(0);
    expect(world.state.counters()).toMatchObject({ sent: 0, notSubscribed: 1 });
  });

  it('retries until the receiver answers 2xx', async () => {
    const { world, receiver } = await setUp({ respond: (n) => (n <= 3 ? 500 : 202) });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    expect(receiver.received).toHaveLength(4);
    const [delivery] = world.state.deliveries();
    expect(delivery?.outcome).toBe('delivered');
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 500, 500, 202]);
    expect(world.state.counters()).toMatchObject({
      sent: 1,
      attempts: 4,
      succeeded: 1,
      failedAttempts: 3,
      gaveUp: 0,
    });
    expect(new Set(receiver.received.map((r) => r.body.toString('utf8'))).size).toBe(1);
  });

  it('gives up after ten attempts and never retries again', async () => {
    const { world, receiver } = await setUp({ respond: () => 503 });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    expect(receiver.received).toHaveLength(10);
    expect(world.state.deliveries()[0]?.outcome).toBe('gave-up');
    expect(world.state.counters()).toMatchObject({
      attempts: 10,
      failedAttempts: 10,
      succeeded: 0,
      gaveUp: 1,
    });
  });

  it('counts an unreachable receiver as failed attempts without a status', async () => {
    const { world } = await setUp({ registration: { WebhookUrl: 'https://localhost:1/hooks' } });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    const [delivery] = world.state.deliveries();
    expect(delivery?.outcome).toBe('gave-up');
    expect(delivery?.attempts).toHaveLength(10);
    expect(delivery?.attempts.every((a) => a.status === undefined && a.error)).toBe(true);
  });

  it('never logs the signature', async () => {
    const { world, receiver } = await setUp();
    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    const signature = String(receiver.received[0]?.headers.authorization).replace('Signature ', '');
    const log = await world.call('GET', `${world.origin}/control/webhooks/deliveries`, {
      authorization: null,
    });

    expect(signature.length).toBeGreaterThan(100);
    expect(log.text).not.toContain(signature);
    expect(log.json).toEqual([expect.objectContaining({ referralId: REFERRAL_A, outcome: 'delivered' })]);
  });

  it('sends an event twice under the duplicate fault, byte for byte', async () => {
    const { world, receiver } = await setUp();
    world.traffic.setFaults({ dispatcher: { duplicate: 1 } });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second?.body.equals(first?.body ?? Buffer.alloc(0))).toBe(true);
    expect(second?.headers.authorization).toBe(first?.headers.authorization);
    const [original, copy] = world.state.deliveries();
    expect(copy?.duplicateOf).toBe(original?.id);
    expect(world.state.counters()).toMatchObject({ sent: 1, duplicated: 1, succeeded: 2 });
  });

  it('holds an event back under the reorder fault and delivers it after the next one', async () => {
    const { world, receiver } = await setUp();
    world.traffic.setFaults({ dispatcher: { reorder: 1 } });

    world.state.notify(updated(REFERRAL_A));
    await waitUntil(() => world.state.deliveries()[0]?.outcome === 'held', 'the first event is held back');
    world.state.notify(updated(REFERRAL_B));
    await world.state.idle();

    const order = receiver.received.map((r) => JSON.parse(r.body.toString('utf8')).ResourceUri as string);
    expect(order).toEqual([expect.stringContaining(REFERRAL_B), expect.stringContaining(REFERRAL_A)]);
    expect(world.state.deliveries().map((d) => d.outcome)).toEqual(['delivered', 'delivered']);
    expect(world.state.counters()).toMatchObject({ reordered: 1 });
  });

  it('sends a held event anyway when no next event comes in time', async () => {
    const { world, receiver } = await setUp({ world: { reorderHoldMs: 20 } });
    world.traffic.setFaults({ dispatcher: { reorder: 1 } });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    expect(receiver.received).toHaveLength(1);
    expect(world.state.deliveries()[0]).toMatchObject({ outcome: 'delivered', reordered: true });
  });

  it('never delivers an event under the drop fault', async () => {
    const { world, receiver } = await setUp();
    world.traffic.setFaults({ dispatcher: { drop: 1 } });

    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    expect(receiver.received).toHaveLength(0);
    expect(world.state.deliveries()[0]?.outcome).toBe('dropped');
    expect(world.state.counters()).toMatchObject({ sent: 1, droppedByFault: 1, attempts: 0 });
  });

  it('waits the injected latency before sending', async () => {
    const { world, receiver } = await setUp();
    world.traffic.setFaults({ dispatcher: { latencyMs: 150 } });

    const started = Date.now();
    world.state.notify(updated(REFERRAL_A));
    await world.state.idle();

    expect(receiver.received).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('delivers other referrals while one receiver call is stuck, without blocking notify', async () => {
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { world, receiver } = await setUp({
      respond: async (n) => {
        if (n === 1) await stuck;
        return 200;
      },
    });

    world.state.notify(updated(REFERRAL_A));
    await waitUntil(() => receiver.received.length === 1, 'the first call reached the receiver');
    world.state.notify(updated(REFERRAL_B));
    await waitUntil(
      () => world.state.deliveries().some((d) => d.referralId === REFERRAL_B && d.outcome === 'delivered'),
      'the second referral was delivered',
    );

    expect(world.state.deliveries().find((d) => d.referralId === REFERRAL_A)?.outcome).toBe('pending');
    release();
    await world.state.idle();
    expect(world.state.deliveries().map((d) => d.outcome)).toEqual(['delivered', 'delivered']);
  });

  it('keeps events of one referral in order', async () => {
    const { world, receiver } = await setUp({ respond: (n) => (n === 1 ? 500 : 200) });

    world.state.notify(updated(REFERRAL_A, '2025-03-12T09:00:00.0000000Z'));
    world.state.notify(updated(REFERRAL_A, '2025-03-12T09:05:00.0000000Z'));
    await world.state.idle();

    const dates = receiver.received.map((r) => JSON.parse(r.body.toString('utf8')).ResourceChangeUtcDate);
    expect(dates).toEqual([
      '2025-03-12T09:00:00.0000000+00:00',
      '2025-03-12T09:00:00.0000000+00:00',
      '2025-03-12T09:05:00.0000000+00:00',
    ]);
  });

  it('cancels pending retries on close and then reports idle', async () => {
    const { world, receiver } = await setUp({ respond: () => 500, world: { retryDelaysMs: [60_000] } });

    world.state.notify(updated(REFERRAL_A));
    await waitUntil(() => receiver.received.length === 1, 'the first attempt was made');
    await world.state.close();
    await world.state.idle();

    expect(world.state.deliveries()[0]?.outcome).toBe('cancelled');
  });

  it('accepts notifications through the control API and reports counters and registrations', async () => {
    const { world, receiver } = await setUp();

    const accepted = await world.call('POST', `${world.origin}/control/webhooks/notify`, {
      authorization: null,
      body: { eventName: 'referral-created', referralId: REFERRAL_B },
    });
    await world.state.idle();
    const counters = await world.call('GET', `${world.origin}/control/webhooks/counters`, {
      authorization: null,
    });
    const registrations = await world.call('GET', `${world.origin}/control/webhooks/registrations`, {
      authorization: null,
    });

    expect(accepted.status).toBe(202);
    expect(receiver.received).toHaveLength(1);
    expect(counters.json).toMatchObject({ sent: 1, succeeded: 1 });
    expect(Object.values(registrations.json as object)).toEqual([
      expect.objectContaining({ webhookUrl: receiver.url }),
    ]);
  });
});
