import { afterEach, describe, expect, test } from 'vitest';
import { type SalesforceWorld, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
afterEach(() => world?.close());

const SESSION_EXPIRED = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

describe('sessions', () => {
  test('answers a call without a session, or with an unknown one, 401 INVALID_SESSION_ID and no challenge', async () => {
    world = await startSalesforceWorld();
    for (const token of [null, '00D000000000000!AQunknown']) {
      const answer = await world.call('GET', 'sobjects/Lead/describe', { token });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual(SESSION_EXPIRED);
      expect(answer.headers).not.toHaveProperty('www-authenticate');
      expect(answer.headers).not.toHaveProperty('sforce-limit-info');
    }
  });

  test('end after the session timeout of inactivity, and use keeps them alive', async () => {
    world = await startSalesforceWorld({ sessionLifetimeMs: 60_000 });
    const token = await world.token();
    world.clock.advance(59_000);
    expect((await world.call('GET', 'limits', { token })).status).toBe(200);
    world.clock.advance(59_000);
    expect((await world.call('GET', 'limits', { token })).status).toBe(200);
    world.clock.advance(60_000);
    const expired = await world.call('GET', 'limits', { token });
    expect([expired.status, expired.json]).toEqual([401, SESSION_EXPIRED]);
    expect((await world.call('GET', 'limits', { token: await world.freshToken() })).status).toBe(200);
  });

  test('take the session lifetime from the org settings at run time', async () => {
    world = await startSalesforceWorld();
    const token = await world.token();
    const set = await world.control('PUT', '/org', { sessionLifetimeMs: 1000 });
    expect(set.json).toMatchObject({ sessionLifetimeMs: 1000 });
    world.clock.advance(1000);
    expect((await world.call('GET', 'limits', { token })).status).toBe(401);
  });

  test('all end when revoked through the control API', async () => {
    world = await startSalesforceWorld();
    const token = await world.token();
    expect((await world.control('POST', '/sessions/end')).json).toEqual({ ended: 1 });
    expect((await world.call('GET', 'limits', { token })).status).toBe(401);
  });

  test('the sessionExpiry fault ends the calling session, so retrying without a new token fails too', async () => {
    world = await startSalesforceWorld();
    const token = await world.token();
    world.traffic.setFaults({ salesforce: { sessionExpiry: 1 } });
    const first = await world.call('GET', 'limits', { token });
    expect([first.status, first.json]).toEqual([401, SESSION_EXPIRED]);
    world.traffic.setFaults({});
    expect((await world.call('GET', 'limits', { token })).status).toBe(401);
    expect((await world.call('GET', 'limits', { token: await world.freshToken() })).status).toBe(200);
    expect(world.traffic.counters().salesforce.injected).toMatchObject({ sessionExpiry: 1 });
  });

  test('the sessionExpiry fault never hits the token endpoint', async () => {
    world = await startSalesforceWorld();
    world.traffic.setFaults({ salesforce: { sessionExpiry: 1 } });
    expect((await world.freshToken()).length).toBeGreaterThan(20);
  });
});
