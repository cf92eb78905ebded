import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, REFERRALS_PATH, type ReferralsWorld, startReferralsWorld } from './test-support.ts';

let world: ReferralsWorld;
let id: string;

beforeAll(async () => {
  world = await startReferralsWorld();
  id = world.state.create({}, { as: 'microsoft' }).id;
});
afterAll(() => world.close());
afterEach(() => {
  world.traffic.setFaults({});
  world.traffic.reset();
});

describe('injected traffic faults', () => {
  it('renders an injected 429 in the error envelope with Retry-After, before authentication', async () => {
    world.traffic.setFaults({ referrals: { '429': 1, retryAfterSeconds: 7 } });
    const response = await world.call('GET', `${REFERRALS_PATH}/${id}`, {
      token: null,
      headers: { 'client-request-id': 'c-1' },
    });
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.headers['client-request-id']).toBe('c-1');
    expect(response.headers['request-id']).toBeDefined();
    expect(json(response)).toEqual({
      error: { code: 'tooManyRequests', message: 'Rate limit is exceeded. Try again in 7 seconds.' },
    });
    expect(world.traffic.counters().referrals.injected['429']).toBe(1);
  });

  it('renders injected 5xx as generalException (500) or serviceNotAvailable (503)', async () => {
    world.traffic.setFaults({ referrals: { '5xx': 1 } });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const response = await world.call('GET', REFERRALS_PATH);
      statuses.add(response.status);
      const expectedCode = response.status === 503 ? 'serviceNotAvailable' : 'generalException';
      expect(json(response).error).toMatchObject({ code: expectedCode });
    }
    expect([...statuses].sort()).toEqual([500, 503]);
  });

  it('leaves the referral untouched when a write is answered with an injected fault', async () => {
    const before = world.state.get(id);
    world.traffic.setFaults({
      referrals: { endpoints: { 'PATCH /v1.0/engagements/referrals/:id': { '429': 1 } } },
    });
    const patched = await world.call('PATCH', `${REFERRALS_PATH}/${id}`, {
      body: [{ op: 'replace', path: '/details/notes', value: 'lost' }],
    });
    expect(patched.status).toBe(429);
    expect(world.state.get(id)).toEqual(before);
    expect((await world.call('GET', `${REFERRALS_PATH}/${id}`)).status).toBe(200);
  });

  it('counts requests per documented endpoint name', async () => {
    await world.call('GET', REFERRALS_PATH);
    await world.call('GET', `${REFERRALS_PATH}/${id}`);
    await world.call('GET', `${REFERRALS_PATH}/unknown-id`);
    const byEndpoint = world.traffic.counters().referrals.byEndpoint;
    expect(byEndpoint['GET /v1.0/engagements/referrals']).toEqual({ count: 1, byStatus: { 200: 1 } });
    expect(byEndpoint['GET /v1.0/engagements/referrals/:id']).toEqual({
      count: 2,
      byStatus: { 200: 1, 404: 1 },
    });
  });
});
