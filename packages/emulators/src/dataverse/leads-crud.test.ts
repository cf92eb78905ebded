import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DataverseWorld, idFromEntityId, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld();
});
afterAll(() => world.close());

const ADA = {
  subject: 'Referral REF-1001',
  firstname: 'Ada',
  lastname: 'Lovelace',
  companyname: 'Analytical Ltd',
  emailaddress1: 'ada@example.com',
  telephone1: '+44 20 7946 0000',
  leadsourcecode: 3,
  estimatedamount: 25000,
  estimatedclosedate: '2025-06-30',
  new_referralid: 'REF-1001',
};

describe('creating leads', () => {
  test('answers 204 with the new row in OData-EntityId and stores it Open/New', async () => {
    const answer = await world.call('POST', 'leads', { body: ADA });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    const id = idFromEntityId(answer.headers['odata-entityid']);
    expect(answer.headers['odata-entityid']).toBe(`${world.webApi}/leads(${id})`);
    expect(world.state.lead(id)).toMatchObject({
      ...ADA,
      fullname: 'Ada Lovelace',
      statecode: 0,
      statuscode: 1,
      _ownerid_value: world.state.applicationUser('0b9e6c4d-2f1a-4d3e-8b7c-5a6f9e8d7c6b'),
    });
  });

  test('answers 201 with the row, an ETag and no OData-EntityId under return=representation', async () => {
    const answer = await world.call('POST', 'leads?$select=leadid,lastname,estimatedamount,statecode', {
      body: { ...ADA, new_referralid: 'REF-1002' },
      headers: { prefer: 'return=representation' },
    });
    expect(answer.status).toBe(201);
    expect(answer.headers['odata-entityid']).toBeUndefined();
    expect(answer.headers['preference-applied']).toBe('return=representation');
    const version = world.state.findByAlternateKey('REF-1002')?.versionnumber;
    expect(answer.headers.etag).toBe(`W/"${version}"`);
    expect(answer.json['@odata.etag']).toBe(`W/"${version}"`);
    expect(answer.json['@odata.context']).toBe(
      `${world.webApi}/$metadata#leads(leadid,lastname,estimatedamount,statecode)/$entity`,
    );
    expect(answer.text).toContain('"estimatedamount":25000.0000');
    expect(Object.keys(answer.json).sort()).toEqual(
      ['@odata.context', '@odata.etag', 'estimatedamount', 'lastname', 'leadid', 'statecode'].sort(),
    );
  });

  test('takes a caller-chosen leadid on create', async () => {
    const leadid = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const answer = await world.call('POST', 'leads', { body: { leadid, lastname: 'Chosen' } });
    expect(idFromEntityId(answer.headers['odata-entityid'])).toBe(leadid);
  });

  test('binds the currency of a Money column to a transaction currency', async () => {
    const euros = await world.call(
      'GET',
      "transactioncurrencies?$select=isocurrencycode&$filter=isocurrencycode eq 'EUR'",
    );
    expect(euros.json.value).toHaveLength(1);
    const eur = String(euros.json.value?.[0]?.transactioncurrencyid);
    const created = await world.call('POST', 'leads', {
      body: {
        lastname: 'Euro',
        estimatedamount: 1234.5,
        'transactioncurrencyid@odata.bind': `/transactioncurrencies(${eur})`,
      },
    });
    expect(created.status).toBe(204);
    const id = idFromEntityId(created.headers['odata-entityid']);
    expect(world.state.lead(id)?._transactioncurrencyid_value).toBe(eur);
    const read = await world.call(
      'GET',
      `leads(${id})?$select=estimatedamount,_transactioncurrencyid_value`,
      {
        headers: { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
      },
    );
    expect(read.text).toContain('"estimatedamount":1234.5000');
    expect(read.json['estimatedamount@OData.Community.Display.V1.FormattedValue']).toBe('€1,234.50');
    const missing = await world.call('POST', 'leads', {
      body: {
        lastname: 'X',
        'transactioncurrencyid@odata.bind': '/transactioncurrencies(00000000-0000-4000-8000-000000000000)',
      },
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error?.code).toBe('0x80040217');
  });

  test('gives Money without a bound currency the base currency', async () => {
    const answer = await world.call('POST', 'leads', { body: { lastname: 'Dollar', estimatedamount: 10 } });
    const row = world.state.lead(idFromEntityId(answer.headers['odata-entityid']));
    const usd = world.state.currencies().find((c) => c.isocurrencycode === 'USD');
    expect(row?._transactioncurrencyid_value).toBe(usd?.transactioncurrencyid);
  });

  test('refuses a string longer than its column with a validation error', async () => {
    const answer = await world.call('POST', 'leads', { body: { lastname: 'x'.repeat(51) } });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toEqual({
      code: '0x80044331',
      message:
        "A validation error occurred.  The length of the 'lastname' attribute of the 'lead' entity exceeded the maximum allowed length of '50'.",
    });
    const url = await world.call('POST', 'leads', {
      body: { lastname: 'ok', new_referralurl: `https://x/${'a'.repeat(500)}` },
    });
    expect(url.status).toBe(400);
  });

  test('refuses unknown properties, read-only columns, wrong types and option values outside the set', async () => {
    const unknown = await world.call('POST', 'leads', { body: { lastname: 'x', referal_id: 'R' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error?.code).toBe('0x80048d19');
    expect(unknown.json.error?.message).toContain(
      "The property 'referal_id' does not exist on type 'Microsoft.Dynamics.CRM.lead'",
    );
    for (const body of [
      { fullname: 'A B' },
      { createdon: '2025-01-01T00:00:00Z' },
      { versionnumber: 1 },
      { _ownerid_value: 'x' },
    ]) {
      const answer = await world.call('POST', 'leads', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error?.code).toBe('0x80048d19');
    }
    const wrongType = await world.call('POST', 'leads', { body: { lastname: 7 } });
    expect(wrongType.json.error?.code).toBe('0x80048d19');
    const badDate = await world.call('POST', 'leads', { body: { estimatedclosedate: '30/06/2025' } });
    expect(badDate.status).toBe(400);
    const option = await world.call('POST', 'leads', { body: { leadsourcecode: 42 } });
    expect(option.json.error?.code).toBe('0x80044331');
    const json = await world.call('POST', 'leads', { body: '{"lastname":' });
    expect(json.status).toBe(400);
  });
});

describe('reading, updating and deleting leads', () => {
  test('retrieves the selected columns, always with the primary key and the ETag', async () => {
    const created = await world.call('POST', 'leads', { body: { ...ADA, new_referralid: 'REF-2001' } });
    const id = idFromEntityId(created.headers['odata-entityid']);
    const answer = await world.call(
      'GET',
      `leads(${id})?$select=statecode,statuscode,modifiedon,_qualifyingopportunityid_value`,
    );
    expect(answer.status).toBe(200);
    const row = world.state.lead(id);
    expect(answer.json).toEqual({
      '@odata.context': `${world.webApi}/$metadata#leads(statecode,statuscode,modifiedon,_qualifyingopportunityid_value)/$entity`,
      '@odata.etag': `W/"${row?.versionnumber}"`,
      leadid: id,
      statecode: 0,
      statuscode: 1,
      modifiedon: '2026-05-04T09:00:00Z',
      _qualifyingopportunityid_value: null,
    });
    expect(answer.headers.etag).toBe(`W/"${row?.versionnumber}"`);
    const unknown = await world.call('GET', `leads(${id})?$select=nope`);
    expect(unknown.status).toBe(400);
  });

  test('answers 404 with the documented message for a missing lead', async () => {
    const answer = await world.call('GET', 'leads(00000000-0000-4000-8000-000000000001)');
    expect(answer.status).toBe(404);
    expect(answer.json.error).toEqual({
      code: '0x80040217',
      message: 'lead With Id = 00000000-0000-4000-8000-000000000001 Does Not Exist',
    });
  });

  test('updates only the sent columns, bumps the ETag and clears a column sent as null', async () => {
    const created = await world.call('POST', 'leads', { body: { ...ADA, new_referralid: 'REF-3001' } });
    const id = idFromEntityId(created.headers['odata-entityid']);
    const before = world.state.lead(id);
    world.clock.advance(60_000);
    const answer = await world.call('PATCH', `leads(${id})`, {
      body: { jobtitle: 'Countess', telephone1: null },
      headers: { 'if-match': '*' },
    });
    expect(answer.status).toBe(204);
    const after = world.state.lead(id);
    expect(after).toMatchObject({
      jobtitle: 'Countess',
      telephone1: null,
      lastname: 'Lovelace',
      modifiedon: '2026-05-04T09:01:00Z',
    });
    expect(after?.versionnumber).toBeGreaterThan(Number(before?.versionnumber));
    expect(after?.createdon).toBe(before?.createdon);
  });

  test('answers 200 with the row to an update under return=representation', async () => {
    const created = await world.call('POST', 'leads', { body: { lastname: 'Rep' } });
    const id = idFromEntityId(created.headers['odata-entityid']);
    const answer = await world.call('PATCH', `leads(${id})?$select=lastname`, {
      body: { lastname: 'Represented' },
      headers: { prefer: 'return=representation', 'if-match': '*' },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ leadid: id, lastname: 'Represented' });
    expect(answer.headers.etag).toBe(`W/"${world.state.lead(id)?.versionnumber}"`);
  });

  test('answers a conditional GET with 304 while the ETag still matches, never when annotations are asked for', async () => {
    const created = await world.call('POST', 'leads', { body: { lastname: 'Cached' } });
    const id = idFromEntityId(created.headers['odata-entityid']);
    const first = await world.call('GET', `leads(${id})?$select=lastname`);
    const etag = String(first.json['@odata.etag']);
    const unchanged = await world.call('GET', `leads(${id})?$select=lastname`, {
      headers: { 'if-none-match': etag },
    });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    const annotated = await world.call('GET', `leads(${id})?$select=lastname`, {
      headers: { 'if-none-match': etag, prefer: 'odata.include-annotations="*"' },
    });
    expect(annotated.status).toBe(200);
    await world.call('PATCH', `leads(${id})`, {
      body: { lastname: 'Changed' },
      headers: { 'if-match': '*' },
    });
    const changed = await world.call('GET', `leads(${id})?$select=lastname`, {
      headers: { 'if-none-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.json.lastname).toBe('Changed');
  });

  test('adds FormattedValue annotations for option sets when asked', async () => {
    const created = await world.call('POST', 'leads', { body: { lastname: 'Labels', leadsourcecode: 3 } });
    const id = idFromEntityId(created.headers['odata-entityid']);
    const answer = await world.call('GET', `leads(${id})?$select=statecode,statuscode,leadsourcecode`, {
      headers: { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
    });
    expect(answer.json).toMatchObject({
      'statecode@OData.Community.Display.V1.FormattedValue': 'Open',
      'statuscode@OData.Community.Display.V1.FormattedValue': 'New',
      'leadsourcecode@OData.Community.Display.V1.FormattedValue': 'External Referral',
    });
    expect(answer.headers['preference-applied']).toBe(
      'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    );
  });

  test('drops a leadid sent in an update, keeping the row where it is', async () => {
    const created = await world.call('POST', 'leads', { body: { lastname: 'Keyed' } });
    const id = idFromEntityId(created.headers['odata-entityid']);
    const answer = await world.call('PATCH', `leads(${id})`, {
      body: { leadid: '12345678-1234-4234-8234-123456789012', lastname: 'Kept' },
      headers: { 'if-match': '*' },
    });
    expect(answer.status).toBe(204);
    expect(world.state.lead(id)?.lastname).toBe('Kept');
    expect(world.state.lead('12345678-1234-4234-8234-123456789012')).toBeUndefined();
  });

  test('deletes a lead with 204, then answers 404', async () => {
    const created = await world.call('POST', 'leads', { body: { lastname: 'Gone' } });
    const id = idFromEntityId(created.headers['odata-entityid']);
    expect((await world.call('DELETE', `leads(${id})`)).status).toBe(204);
    expect(world.state.lead(id)).toBeUndefined();
    const again = await world.call('DELETE', `leads(${id})`);
    expect(again.status).toBe(404);
    expect(again.json.error?.code).toBe('0x80040217');
  });

  test('refuses methods a resource does not support with 405', async () => {
    const answer = await world.call('PATCH', 'leads', { body: { lastname: 'x' } });
    expect(answer.status).toBe(405);
    const currency = await world.call('POST', 'transactioncurrencies', { body: { isocurrencycode: 'XXX' } });
    expect(currency.status).toBe(405);
  });
});
