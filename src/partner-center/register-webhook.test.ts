import { PARTNER_CENTER_AUDIENCES } from '@referral-connector/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld, waitFor } from '../../test/support/connector-world.ts';
import { registerWebhook } from './register-webhook.ts';
import { createWebhooksClient, type WebhookRegistration, type WebhooksClient } from './webhooks-client.ts';

const OURS = 'https://connector.contoso.example/webhooks/partner-center';
const FOREIGN = 'https://other-integration.example/hooks';
const wanted: WebhookRegistration = {
  webhookUrl: OURS,
  webhookEvents: ['referral-created', 'referral-updated'],
  signatureInMsSignatureHeader: false,
};

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

/** Writes (POST/PUT) the registration API has answered, once every request has been counted. */
async function writesAnswered(requests: number): Promise<number> {
  const counters = () => cw.world.traffic.counters().webhooks;
  await waitFor(() => counters().total >= requests, `${requests} registration requests`);
  return Object.entries(counters().byEndpoint)
    .filter(([endpoint]) => /^(POST|PUT) .*\/registration$/.test(endpoint))
    .reduce((sum, [, counter]) => sum + counter.count, 0);
}

describe('registerWebhook', () => {
  it('creates the registration when the tenant has none', async () => {
    const outcome = await registerWebhook(webhooks, wanted, { overwriteForeign: false });

    expect(outcome).toMatchObject({ outcome: 'created', previous: null });
    expect(registered()).toMatchObject({ webhookUrl: OURS, webhookEvents: wanted.webhookEvents });
  });

  it('changes nothing when the same registration is already there', async () => {
    await registerWebhook(webhooks, wanted, { overwriteForeign: false });
    cw.world.traffic.reset();
    const again = await registerWebhook(
      webhooks,
      { ...wanted, webhookEvents: ['referral-updated', 'referral-created'] },
      { overwriteForeign: false },
    );

    expect(again.outcome).toBe('unchanged');
    expect(await writesAnswered(1)).toBe(0);
  });

  it("refuses to take another integration's URL, and leaves its registration alone", async () => {
    await webhooks.put({ ...wanted, webhookUrl: FOREIGN, webhookEvents: ['referral-created'] }, 'create');
    const before = registered();
    const outcome = await registerWebhook(webhooks, wanted, { overwriteForeign: false });

    expect(outcome).toMatchObject({ outcome: 'foreign_url', previous: { webhookUrl: FOREIGN } });
    expect(registered()).toEqual(before);
  });

  it('takes over a foreign URL when told to, keeping the events already registered', async () => {
    await webhooks.put(
      { ...wanted, webhookUrl: FOREIGN, webhookEvents: ['referral-created', 'subscription-updated'] },
      'create',
    );
    const outcome = await registerWebhook(webhooks, wanted, { overwriteForeign: true });

    expect(outcome).toMatchObject({ outcome: 'updated', previous: { webhookUrl: FOREIGN } });
    expect(registered()?.webhookUrl).toBe(OURS);
    expect(registered()?.webhookEvents.toSorted()).toEqual(
      ['referral-created', 'referral-updated', 'subscription-updated'].toSorted(),
    );
  });

  it('adds missing events to our own registration', async () => {
    await webhooks.put({ ...wanted, webhookEvents: ['referral-created'] }, 'create');
    const outcome = await registerWebhook(webhooks, wanted, { overwriteForeign: false });

    expect(outcome.outcome).toBe('updated');
    expect(registered()?.webhookEvents.toSorted()).toEqual(wanted.webhookEvents.toSorted());
  });

  it('updates our own registration when only the signature header mode differs', async () => {
    await registerWebhook(webhooks, wanted, { overwriteForeign: false });
    const outcome = await registerWebhook(
      webhooks,
      { ...wanted, signatureInMsSignatureHeader: true },
      { overwriteForeign: false },
    );

    expect(outcome.outcome).toBe('updated');
    expect(registered()?.signatureTokenToMsSignatureHeader).toBe(true);
  });
});
