/**
 * The control route through which another integration takes the tenant's events (gotcha G5): what a
 * `doctor` must notice, since the connector then receives nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../../credentials.ts';
import { startWebhooksWorld, type WebhooksWorld } from './test-support.ts';

describe('another integration registering', () => {
  let world: WebhooksWorld;
  beforeEach(async () => {
    world = await startWebhooksWorld({ retryDelaysMs: [5] });
  });
  afterEach(() => world.close());

  it('replaces the tenant registration the API then answers with (PUT /control/webhooks/registrations/:tenantId)', async () => {
    await world.call('POST', `${world.webhooksBase}/registration`, {
      body: {
        WebhookUrl: 'https://connector.example/webhooks/partner-center',
        WebhookEvents: ['referral-created'],
      },
    });
    const taken = await world.call(
      'PUT',
      `${world.origin}/control/webhooks/registrations/${DEV_CREDENTIALS.tenant}`,
      {
        body: {
          WebhookUrl: 'https://cosell.example/hook',
          WebhookEvents: ['referral-created', 'referral-updated'],
        },
        authorization: null,
      },
    );
    expect(taken.status).toBe(200);

    const read = await world.call('GET', `${world.webhooksBase}/registration`);
    expect(read.json).toMatchObject({
      WebhookUrl: 'https://cosell.example/hook',
      WebhookEvents: ['referral-created', 'referral-updated'],
    });
  });

  it('refuses a body the API would refuse, saying why', async () => {
    const refused = await world.call(
      'PUT',
      `${world.origin}/control/webhooks/registrations/${DEV_CREDENTIALS.tenant}`,
      {
        body: { WebhookUrl: 'https://cosell.example/hook', WebhookEvents: ['no-such-event'] },
        authorization: null,
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ error: "'no-such-event' is not a supported webhook event." });
  });
});
