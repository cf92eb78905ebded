import { afterEach, describe, expect, test } from 'vitest';
import { API, type SalesforceWorld, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
afterEach(() => world?.close());

const body = { LastName: 'Turing', Company: 'Bletchley' };
const keyPath = (value: string, version = 'v62.0') =>
  `/services/data/${version}/sobjects/Lead/Referral_Id__c/${encodeURIComponent(value)}`;

describe('upsert by external id', () => {
  test('creates with 201 created:true and a Location, then updates with 200 created:false', async () => {
    world = await startSalesforceWorld();
    const created = await world.call('PATCH', keyPath('REF-1'), { body });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.stringMatching(/^00Q/),
      success: true,
      errors: [],
      created: true,
    });
    expect(created.headers.location).toBe(`${API}/sobjects/Lead/${created.json.id}`);
    expect(world.state.lead(created.json.id)?.Referral_Id__c).toBe('REF-1');

    const updated = await world.call('PATCH', keyPath('REF-1'), { body: { Title: 'Mathematician' } });
    expect(updated.status).toBe(200);
    expect(updated.json).toEqual({ id: created.json.id, success: true, errors: [], created: false });
    expect(world.state.leads()).toHaveLength(1);
  });

  test('answers like API v45 and before on those versions: 201 without created, then 204', async () => {
    world = await startSalesforceWorld();
    const created = await world.call('PATCH', keyPath('REF-OLD', 'v45.0'), { body });
    expect([created.status, created.json]).toEqual([201, { id: created.json.id, success: true, errors: [] }]);
    const updated = await world.call('PATCH', keyPath('REF-OLD', 'v45.0'), { body: { Title: 'x' } });
    expect([updated.status, updated.text]).toEqual([204, '']);
  });

  test('takes the key value percent-decoded from one path segment, slashes included', async () => {
    world = await startSalesforceWorld();
    const value = 'REF/2 #?%';
    expect((await world.call('PATCH', keyPath(value), { body })).status).toBe(201);
    expect(world.state.findByExternalId(value)).toHaveLength(1);
    const read = await world.call('GET', `${keyPath(value)}?fields=Id,Referral_Id__c`);
    expect(read.json.Referral_Id__c).toBe(value);
  });

  test('treats the unique case-sensitive key as case-sensitive', async () => {
    world = await startSalesforceWorld();
    await world.call('PATCH', keyPath('ref-case'), { body });
    const other = await world.call('PATCH', keyPath('REF-CASE'), { body });
    expect(other.json.created).toBe(true);
    expect(world.state.leads()).toHaveLength(2);
  });

  test('answers 404 NOT_FOUND for an unknown field and for a field that is no external id', async () => {
    world = await startSalesforceWorld();
    for (const field of ['Referal_Id__c', 'LastName', 'Referral_URL__c']) {
      const answer = await world.call('PATCH', `sobjects/Lead/${field}/REF-1`, { body });
      expect(answer.status, field).toBe(404);
      expect(answer.json).toEqual([
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);
    }
  });

  test('refuses the key field in the body', async () => {
    world = await startSalesforceWorld();
    const answer = await world.call('PATCH', keyPath('REF-1'), {
      body: { ...body, Referral_Id__c: 'REF-1' },
    });
    expect(answer.status).toBe(400);
    expect(answer.json[0]).toMatchObject({ errorCode: 'INVALID_FIELD', fields: ['Referral_Id__c'] });
    expect(world.state.leads()).toHaveLength(0);
  });

  test('with updateOnly=true updates a match and answers 404 NOT_FOUND instead of creating', async () => {
    world = await startSalesforceWorld();
    const missing = await world.call('PATCH', `${keyPath('REF-9')}?updateOnly=true`, { body });
    expect(missing.status).toBe(404);
    expect(world.state.leads()).toHaveLength(0);
    await world.call('PATCH', keyPath('REF-9'), { body });
    expect((await world.call('PATCH', `${keyPath('REF-9')}?updateOnly=true`, { body })).status).toBe(200);
  });

  test('validates the created record like a create, the key value included', async () => {
    world = await startSalesforceWorld();
    const missing = await world.call('PATCH', keyPath('REF-1'), { body: { LastName: 'x' } });
    expect(missing.json[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] });
    const long = await world.call('PATCH', keyPath('R'.repeat(101)), { body });
    expect(long.json[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Referral_Id__c'] });
  });

  test('a create holding a key another lead has is DUPLICATE_VALUE', async () => {
    world = await startSalesforceWorld();
    const first = await world.call('PATCH', keyPath('REF-D'), { body });
    const second = await world.call('POST', 'sobjects/Lead', { body: { ...body, Referral_Id__c: 'REF-D' } });
    expect(second.status).toBe(400);
    expect(second.json).toEqual([
      {
        message: `duplicate value found: Referral_Id__c duplicates value on record with id: ${first.json.id}`,
        errorCode: 'DUPLICATE_VALUE',
        fields: [],
      },
    ]);
  });
});

describe('a non-unique external id', () => {
  test('matching several leads answers 300 with their URLs, for upsert, GET and DELETE', async () => {
    world = await startSalesforceWorld({
      customFields: [{ name: 'Partner_Key__c', length: 50, externalId: true }],
    });
    const a = await world.call('POST', 'sobjects/Lead', { body: { ...body, Partner_Key__c: 'K1' } });
    const b = await world.call('POST', 'sobjects/Lead', { body: { ...body, Partner_Key__c: 'k1' } });
    const urls = [a.json.id, b.json.id].map((id) => `${API}/sobjects/Lead/${id}`);
    for (const method of ['PATCH', 'GET', 'DELETE']) {
      const answer = await world.call(
        method,
        'sobjects/Lead/Partner_Key__c/K1',
        method === 'PATCH' ? { body } : {},
      );
      expect(answer.status, method).toBe(300);
      expect(answer.json, method).toEqual(urls);
    }
    expect(world.state.leads()).toHaveLength(2);
  });
});

describe('read and delete by external id', () => {
  test('GET answers the record or 404; DELETE answers 204', async () => {
    world = await startSalesforceWorld();
    const created = await world.call('PATCH', keyPath('REF-G'), { body });
    const read = await world.call('GET', `${keyPath('REF-G')}?fields=Id,Status`);
    expect(read.json).toEqual({
      attributes: { type: 'Lead', url: `${API}/sobjects/Lead/${created.json.id}` },
      Id: created.json.id,
      Status: 'Open - Not Contacted',
    });
    expect((await world.call('GET', keyPath('REF-NONE'))).status).toBe(404);
    expect((await world.call('DELETE', keyPath('REF-G'))).status).toBe(204);
    expect((await world.call('GET', keyPath('REF-G'))).status).toBe(404);
  });
});
