import { afterEach, describe, expect, test } from 'vitest';
import { type SalesforceWorld, soql, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
afterEach(() => world?.close());

const LIMIT_EXCEEDED = [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
const body = { LastName: 'Limit', Company: 'Quota' };

describe('daily API allocation', () => {
  test('every REST answer carries Sforce-Limit-Info with the calls counted so far; token requests do not count', async () => {
    world = await startSalesforceWorld({ dailyApiRequests: 15_000 });
    await world.token();
    const first = await world.call('GET', 'limits');
    expect(first.headers['sforce-limit-info']).toBe('api-usage=1/15000');
    const failed = await world.call('GET', 'sobjects/Lead/00Q5g00000ZZZZZAAA');
    expect([failed.status, failed.headers['sforce-limit-info']]).toEqual([404, 'api-usage=2/15000']);
    const limits = await world.call('GET', 'limits');
    expect(limits.json.DailyApiRequests).toEqual({ Max: 15_000, Remaining: 15_000 - 3 });
  });

  test('once spent, calls are refused 403 REQUEST_LIMIT_EXCEEDED, not counted, until the window moves on', async () => {
    world = await startSalesforceWorld({ dailyApiRequests: 3 });
    for (const _ of [1, 2, 3]) expect((await world.call('GET', 'limits')).status).toBe(200);
    const refused = await world.call('POST', 'sobjects/Lead', { body });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual(LIMIT_EXCEEDED);
    expect(refused.headers['sforce-limit-info']).toBe('api-usage=3/3');
    expect(refused.headers).not.toHaveProperty('retry-after');
    expect(world.state.leads()).toHaveLength(0);
    world.clock.advance(24 * 60 * 60_000);
    const fresh = await world.freshToken();
    expect((await world.call('GET', 'limits', { token: fresh })).headers['sforce-limit-info']).toBe(
      'api-usage=1/3',
    );
  });

  test('the allocation and the count can be set through the control API', async () => {
    world = await startSalesforceWorld();
    expect((await world.control('PUT', '/api-usage', { used: 99_999 })).json).toEqual({
      used: 99_999,
      max: 100_000,
    });
    expect((await world.call('GET', 'limits')).status).toBe(200);
    expect((await world.call('GET', 'limits')).status).toBe(403);
    await world.control('PUT', '/org', { dailyApiRequests: 200_000 });
    expect((await world.call('GET', 'limits')).headers['sforce-limit-info']).toBe('api-usage=100001/200000');
  });
});

describe('injected faults', () => {
  test('lock: 400 UNABLE_TO_LOCK_ROW naming the record, only on writes', async () => {
    world = await startSalesforceWorld({ leads: [{ ...body, Referral_Id__c: 'REF-L' }] });
    const [lead] = world.state.leads();
    world.traffic.setFaults({ salesforce: { lock: 1 } });
    const byId = await world.call('PATCH', `sobjects/Lead/${lead?.Id}`, { body: { Title: 'x' } });
    expect([byId.status, byId.json]).toEqual([
      400,
      [
        {
          message: `unable to obtain exclusive access to this record or 1 records: ${lead?.Id}`,
          errorCode: 'UNABLE_TO_LOCK_ROW',
          fields: [],
        },
      ],
    ]);
    const byKey = await world.call('PATCH', 'sobjects/Lead/Referral_Id__c/REF-L', { body: { Title: 'x' } });
    expect(byKey.json[0].message).toContain(String(lead?.Id));
    expect((await world.call('POST', 'sobjects/Lead', { body })).json[0].errorCode).toBe(
      'UNABLE_TO_LOCK_ROW',
    );
    expect((await world.call('GET', `sobjects/Lead/${lead?.Id}`)).status).toBe(200);
    expect((await world.call('GET', soql('SELECT Id FROM Lead'))).status).toBe(200);
    expect(world.state.lead(String(lead?.Id))?.Title).toBeNull();
    expect(world.traffic.counters().salesforce.injected).toMatchObject({ lock: 3 });
  });

  test('5xx: 500 UNKNOWN_EXCEPTION or 503 SERVER_UNAVAILABLE as arrays; at the token endpoint, OAuth-shaped', async () => {
    world = await startSalesforceWorld();
    const token = await world.token();
    world.traffic.setFaults({ salesforce: { '5xx': 1 } });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const answer = await world.call('GET', 'limits', { token });
      seen.add(`${answer.status} ${answer.json[0].errorCode}`);
      expect(answer.headers['sforce-limit-info']).toMatch(/^api-usage=/);
    }
    expect([...seen].toSorted()).toEqual(['500 UNKNOWN_EXCEPTION', '503 SERVER_UNAVAILABLE']);
    const tokenAnswer = await world.tokenRequest({ grant_type: 'client_credentials' });
    expect([500, 503]).toContain(tokenAnswer.status);
    expect(tokenAnswer.json).toEqual({ error: 'unknown_error', error_description: 'retry your request' });
  });

  test('429: Salesforce throttles with 403 REQUEST_LIMIT_EXCEEDED (concurrent requests), never at the token endpoint', async () => {
    world = await startSalesforceWorld();
    const token = await world.token();
    world.traffic.setFaults({ salesforce: { '429': 1 } });
    const answer = await world.call('GET', 'limits', { token });
    expect([answer.status, answer.json]).toEqual([
      403,
      [{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    ]);
    expect((await world.freshToken()).length).toBeGreaterThan(20);
  });

  test('knobs per endpoint, latency, and the request log and counters name endpoints without ids', async () => {
    world = await startSalesforceWorld({ leads: [{ ...body, Referral_Id__c: 'REF-E' }] });
    world.traffic.setFaults({
      salesforce: {
        endpoints: { 'PATCH /services/data/v62.0/sobjects/Lead/Referral_Id__c/{value}': { lock: 1 } },
      },
    });
    expect(
      (await world.call('PATCH', 'sobjects/Lead/Referral_Id__c/REF-E', { body: { Title: 'x' } })).status,
    ).toBe(400);
    const [lead] = world.state.leads();
    expect((await world.call('PATCH', `sobjects/Lead/${lead?.Id}`, { body: { Title: 'y' } })).status).toBe(
      204,
    );
    const counters = world.traffic.counters().salesforce.byEndpoint;
    expect(counters['PATCH /services/data/v62.0/sobjects/Lead/Referral_Id__c/{value}']?.byStatus).toEqual({
      '400': 1,
    });
    expect(counters['PATCH /services/data/v62.0/sobjects/Lead/{id}']?.byStatus).toEqual({ '204': 1 });
    expect(counters['POST /services/oauth2/token']?.count).toBe(1);
    const log = world.traffic.requests({ service: 'salesforce' });
    expect(log.at(-2)).toMatchObject({ method: 'PATCH', status: 400, injected: 'lock' });
  });
});
