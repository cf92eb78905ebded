import { afterEach, describe, expect, test } from 'vitest';
import { parseFaultSpec } from '../control/parse-fault-spec.ts';
import { type HubSpotWorld, startHubSpotWorld } from './test-support.ts';

let hub: HubSpotWorld | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const list = (world: HubSpotWorld, token?: string) =>
  world.call('GET', '/crm/v3/objects/contacts', token ? { token } : {});
const search = (world: HubSpotWorld) => world.call('POST', '/crm/v3/objects/contacts/search', { body: {} });

describe('HubSpot rate limits', () => {
  test('non-search answers carry the documented X-HubSpot-RateLimit headers, counting down', async () => {
    hub = await startHubSpotWorld();
    const first = await list(hub);
    expect(first.headers).toMatchObject({
      'x-hubspot-ratelimit-daily': '625000',
      'x-hubspot-ratelimit-daily-remaining': '624999',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-max': '190',
      'x-hubspot-ratelimit-remaining': '189',
    });
    const second = await list(hub);
    expect(second.headers['x-hubspot-ratelimit-remaining']).toBe('188');
    expect(second.headers['x-hubspot-ratelimit-daily-remaining']).toBe('624998');
  });

  test('beyond the ten-second budget: 429 TEN_SECONDLY_ROLLING with its policy body, until the window rolls', async () => {
    hub = await startHubSpotWorld({ limits: { tenSecondly: 3 } });
    for (const _ of [1, 2, 3]) expect((await list(hub)).status).toBe(200);
    hub.clock.advance(4000);
    const refused = await list(hub);
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: refused.headers['x-hubspot-correlation-id'],
      policyName: 'TEN_SECONDLY_ROLLING',
      groupName: expect.stringMatching(/^publicapi:private_app-api-calls-ten-secondly:\d+:48151623$/),
    });
    expect(refused.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    expect(refused.headers['retry-after']).toBeUndefined();
    hub.clock.advance(6000);
    expect((await list(hub)).status).toBe(200);
    expect(hub.world.hubspot.throttled()).toMatchObject({ TEN_SECONDLY_ROLLING: 1, total: 1 });
  });

  test('each app has its own ten-second budget; the daily one is the account’s', async () => {
    hub = await startHubSpotWorld({ limits: { tenSecondly: 1, daily: 3 } });
    const other = String((await hub.control('POST', '/tokens', {})).json.accessToken);
    expect((await list(hub)).status).toBe(200);
    expect((await list(hub, other)).status).toBe(200);
    hub.clock.advance(10_000);
    expect((await list(hub)).status).toBe(200);
    hub.clock.advance(10_000);
    const daily = await list(hub, other);
    expect(daily.status).toBe(429);
    expect(daily.json).toMatchObject({
      message: 'You have reached your daily limit.',
      policyName: 'DAILY',
      errorType: 'RATE_LIMIT',
    });
    expect(daily.headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    hub.clock.advance(24 * 3_600_000);
    expect((await list(hub)).status).toBe(200);
  });

  test('search has its own per-second budget, no rate-limit headers, and the documented 429', async () => {
    hub = await startHubSpotWorld();
    for (const _ of [1, 2, 3, 4, 5]) {
      const answer = await search(hub);
      expect(answer.status).toBe(200);
      expect(answer.headers['x-hubspot-ratelimit-max']).toBeUndefined();
    }
    const refused = await search(hub);
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
      correlationId: refused.headers['x-hubspot-correlation-id'],
      policyName: 'SECONDLY',
    });
    expect((await list(hub)).status).toBe(200);
    hub.clock.advance(1000);
    expect((await search(hub)).status).toBe(200);
  });

  test('OAuth tokens have the OAuth burst budget and no daily headers', async () => {
    hub = await startHubSpotWorld();
    const token = String((await hub.control('POST', '/tokens', { kind: 'oauth' })).json.accessToken);
    const answer = await list(hub, token);
    expect(answer.headers['x-hubspot-ratelimit-max']).toBe('110');
    expect(answer.headers['x-hubspot-ratelimit-daily']).toBeUndefined();
  });

  test('limits are read and changed through the control API', async () => {
    hub = await startHubSpotWorld();
    expect((await hub.control('PUT', '/limits', { tenSecondly: 1 })).json).toMatchObject({
      tenSecondly: 1,
      daily: 625_000,
    });
    await list(hub);
    expect((await list(hub)).status).toBe(429);
    expect((await hub.control('GET', '/usage')).json).toMatchObject({
      dailyUsed: 1,
      throttled: { TEN_SECONDLY_ROLLING: 1 },
    });
    expect((await hub.control('POST', '/usage/reset')).status).toBe(204);
    expect((await list(hub)).status).toBe(200);
    expect((await hub.control('PUT', '/limits', { daily: -1 })).status).toBe(400);
  });

  test('injected faults (hubspot.429=…, hubspot.5xx=…) are HubSpot answers: a 429 with its policy, a 5xx without category', async () => {
    hub = await startHubSpotWorld();
    hub.world.traffic.setFaults(parseFaultSpec('hubspot.429=1'));
    const throttled = await list(hub);
    expect(throttled.status).toBe(429);
    expect(throttled.json).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
    const throttledSearch = await search(hub);
    expect(throttledSearch.json).toMatchObject({
      policyName: 'SECONDLY',
      message: 'You have reached your secondly limit.',
    });
    hub.world.traffic.setFaults(parseFaultSpec('hubspot.5xx=1'));
    const failed = await list(hub);
    expect([500, 503]).toContain(failed.status);
    expect(failed.json).toEqual({
      status: 'error',
      message: failed.status === 500 ? 'internal error' : 'Service Unavailable',
      correlationId: failed.headers['x-hubspot-correlation-id'],
    });
    const counters = hub.world.traffic.counters().hubspot;
    expect(counters.injected).toEqual({ '429': 2, '5xx': 1 });
    expect(counters.byEndpoint['GET /crm/v3/objects/:objectType']?.count).toBe(2);
    expect(hub.world.traffic.requests({ service: 'hubspot' }).at(-1)).toMatchObject({
      method: 'GET',
      path: '/hubspot/crm/v3/objects/contacts',
      injected: '5xx',
    });
  });
});
