import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { API, type SalesforceWorld, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
beforeAll(async () => {
  world = await startSalesforceWorld();
});
afterAll(() => world.close());

const lead = (extra: Record<string, unknown> = {}) => ({ LastName: 'Hopper', Company: 'Navy', ...extra });

async function create(extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await world.call('POST', 'sobjects/Lead', { body: lead(extra) });
  if (answer.status !== 201) throw new Error(answer.text);
  return answer.json.id;
}

describe('create', () => {
  test('answers 201 with id, success and errors, and a Location of the new record', async () => {
    const answer = await world.call('POST', 'sobjects/Lead', { body: lead() });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({
      id: expect.stringMatching(/^00Q[a-zA-Z0-9]{15}$/),
      success: true,
      errors: [],
    });
    expect(answer.headers.location).toBe(`${API}/sobjects/Lead/${answer.json.id}`);
    expect(answer.headers['content-type']).toBe('application/json;charset=UTF-8');
  });

  test('gives the lead the default LeadStatus, the caller as owner and system stamps to the second', async () => {
    world.clock.advance(1234);
    const id = await create();
    const stored = world.state.lead(id);
    const stamp = new Date(Math.floor(world.clock.now() / 1000) * 1000).toISOString().replace('Z', '+0000');
    expect(stored).toMatchObject({
      Status: 'Open - Not Contacted',
      IsConverted: false,
      IsDeleted: false,
      OwnerId: world.state.user('integration@contoso-partner.example')?.id,
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
      Name: 'Hopper',
    });
  });

  test('refuses missing required fields, naming them all', async () => {
    const answer = await world.call('POST', 'sobjects/Lead', { body: { FirstName: 'Grace', Company: '' } });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual([
      {
        message: 'Required fields are missing: [LastName, Company]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['LastName', 'Company'],
      },
    ]);
  });

  test.each([
    [
      { LastName: 'x'.repeat(81) },
      'STRING_TOO_LONG',
      `Last Name: data value too large: ${'x'.repeat(81)} (max length=80)`,
      ['LastName'],
    ],
    [
      { Status: 'Hot' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Status: bad value for restricted picklist field: Hot',
      ['Status'],
    ],
    [
      { LeadSource: 'Carrier Pigeon' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Lead Source: bad value for restricted picklist field: Carrier Pigeon',
      ['LeadSource'],
    ],
    [
      { Email: 'not-an-address' },
      'INVALID_EMAIL_ADDRESS',
      'Email: invalid email address: not-an-address',
      ['Email'],
    ],
    [
      { OwnerId: '001000000000000AAA' },
      'MALFORMED_ID',
      'Owner ID: id value of incorrect type: 001000000000000AAA',
      ['OwnerId'],
    ],
  ])('refuses %j with %s', async (extra, errorCode, message, fields) => {
    const answer = await world.call('POST', 'sobjects/Lead', { body: lead(extra) });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual([{ message, errorCode, fields }]);
  });

  test('refuses unknown and read-only fields, and bodies that are not a JSON object', async () => {
    const unknown = await world.call('POST', 'sobjects/Lead', { body: lead({ Referal_Id__c: 'x' }) });
    expect(unknown.json).toEqual([
      { message: "No such column 'Referal_Id__c' on sobject of type Lead", errorCode: 'INVALID_FIELD' },
    ]);
    const readOnly = await world.call('POST', 'sobjects/Lead', {
      body: lead({ IsConverted: true, ConvertedDate: '2026-01-01' }),
    });
    expect(readOnly.json[0]).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['IsConverted', 'ConvertedDate'],
    });
    expect(readOnly.json[0].message).toMatch(
      /^Unable to create\/update fields: IsConverted, ConvertedDate\./,
    );
    const notJson = await world.call('POST', 'sobjects/Lead', { body: '{"LastName":' });
    expect([notJson.status, notJson.json[0].errorCode]).toEqual([400, 'JSON_PARSER_ERROR']);
    const wrongType = await world.call('POST', 'sobjects/Lead', { body: lead({ LastName: { first: 'a' } }) });
    expect(wrongType.json[0].errorCode).toBe('JSON_PARSER_ERROR');
  });

  test('matches field names in the body without regard to case and stores empty text as null', async () => {
    const id = await create({ lastname: 'Lowercase', Title: '' });
    expect(world.state.lead(id)).toMatchObject({ LastName: 'Lowercase', Title: null });
  });

  test('refuses to set a converted status: only conversion does that', async () => {
    const answer = await world.call('POST', 'sobjects/Lead', {
      body: lead({ Status: 'Closed - Converted' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.json[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['Status'] });
  });
});

describe('retrieve', () => {
  test('answers every field with attributes first, or only those asked for in order', async () => {
    const id = await create({ FirstName: 'Grace', City: 'Arlington' });
    const all = await world.call('GET', `sobjects/Lead/${id}`);
    expect(all.status).toBe(200);
    expect(Object.keys(all.json)[0]).toBe('attributes');
    expect(all.json).toMatchObject({
      attributes: { type: 'Lead', url: `${API}/sobjects/Lead/${id}` },
      Id: id,
      Name: 'Grace Hopper',
      Address: expect.objectContaining({ city: 'Arlington', street: null }),
      IsConverted: false,
      ConvertedAccountId: null,
    });
    expect(all.headers['sforce-limit-info']).toMatch(/^api-usage=\d+\/100000$/);
    const some = await world.call('GET', `sobjects/Lead/${id}?fields=Status,Id,SystemModstamp`);
    expect(Object.keys(some.json)).toEqual(['attributes', 'Status', 'Id', 'SystemModstamp']);
    expect(some.json.SystemModstamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
  });

  test('finds a record by its 15-character id too, and answers 404 NOT_FOUND for others', async () => {
    const id = await create();
    expect((await world.call('GET', `sobjects/Lead/${id.slice(0, 15)}?fields=Id`)).json.Id).toBe(id);
    for (const missing of ['00Q5g00000ZZZZZAAA', 'not-an-id', '0015g000001AbCdAAA']) {
      const answer = await world.call('GET', `sobjects/Lead/${missing}`);
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual([
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);
    }
  });

  test('refuses an unknown field in ?fields= with INVALID_FIELD', async () => {
    const id = await create();
    const answer = await world.call('GET', `sobjects/Lead/${id}?fields=Id,Bogus__c`);
    expect(answer.status).toBe(400);
    expect(answer.json[0].errorCode).toBe('INVALID_FIELD');
    expect(answer.json[0].message).toMatch(/^No such column 'Bogus__c' on entity 'Lead'\./);
  });
});

describe('update and delete', () => {
  test('PATCH by id answers 204 and moves LastModifiedDate and SystemModstamp', async () => {
    const id = await create();
    const before = world.state.lead(id);
    world.clock.advance(5000);
    const answer = await world.call('PATCH', `sobjects/Lead/${id}`, { body: { Title: 'Rear Admiral' } });
    expect([answer.status, answer.text]).toEqual([204, '']);
    const after = world.state.lead(id);
    expect(after?.Title).toBe('Rear Admiral');
    expect(after?.SystemModstamp).not.toBe(before?.SystemModstamp);
    expect(after?.CreatedDate).toBe(before?.CreatedDate);
  });

  test('PATCH applies the same rules as create, and a required field cannot be emptied', async () => {
    const id = await create();
    const emptied = await world.call('PATCH', `sobjects/Lead/${id}`, { body: { Company: null } });
    expect(emptied.json[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] });
    const status = await world.call('PATCH', `sobjects/Lead/${id}`, { body: { Status: null } });
    expect(status.json[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Status'] });
    const id18 = await world.call('PATCH', `sobjects/Lead/${id}`, { body: { Id: id } });
    expect(id18.json[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  test('DELETE answers 204; the lead is then gone for reads and deleted for writes', async () => {
    const id = await create();
    expect((await world.call('DELETE', `sobjects/Lead/${id}`)).status).toBe(204);
    expect((await world.call('GET', `sobjects/Lead/${id}`)).status).toBe(404);
    const write = await world.call('PATCH', `sobjects/Lead/${id}`, { body: { Title: 'x' } });
    expect([write.status, write.json]).toEqual([
      404,
      [{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }],
    ]);
    expect(world.state.lead(id)?.IsDeleted).toBe(true);
  });

  test('answers a method a resource does not take with 405', async () => {
    const id = await create();
    const answer = await world.call('PUT', `sobjects/Lead/${id}`, { body: {} });
    expect(answer.status).toBe(405);
    expect(answer.json).toEqual([
      {
        message: "HTTP Method 'PUT' not allowed. Allowed are GET,PATCH,DELETE,HEAD",
        errorCode: 'METHOD_NOT_ALLOWED',
      },
    ]);
  });

  test('answers unknown objects, resources and API versions with 404 NOT_FOUND', async () => {
    for (const path of [
      'sobjects/Account/describe',
      'sobjects/Lead/describe/extra',
      'tooling/query',
      '/services/data/v99.0/limits',
      '/services/data/v30.0/limits',
    ]) {
      const answer = await world.call('GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.json, path).toEqual([
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);
    }
  });
});
