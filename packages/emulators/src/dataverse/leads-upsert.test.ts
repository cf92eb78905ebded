import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DataverseWorld, idFromEntityId, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld();
});
afterAll(() => world.close());

/** The alternate-key segment as the docs say to write it: quotes doubled, then URL-encoded. */
const byReferral = (referralId: string) =>
  `leads(new_referralid='${encodeURIComponent(referralId.replaceAll("'", "''"))}')`;

describe('PATCH upsert by alternate key', () => {
  test('creates when missing and updates when present, both 204 with the key-segment OData-EntityId', async () => {
    const created = await world.call('PATCH', byReferral('REF-1001'), {
      body: { lastname: 'Lovelace', subject: 'Referral REF-1001' },
    });
    expect(created.status).toBe(204);
    expect(created.headers['odata-entityid']).toBe(`${world.webApi}/leads(new_referralid='REF-1001')`);
    const row = world.state.findByAlternateKey('REF-1001');
    expect(row).toMatchObject({
      lastname: 'Lovelace',
      new_referralid: 'REF-1001',
      statecode: 0,
      statuscode: 1,
    });
    const updated = await world.call('PATCH', byReferral('REF-1001'), { body: { lastname: 'Byron' } });
    expect(updated.status).toBe(204);
    expect(updated.headers['odata-entityid']).toBe(`${world.webApi}/leads(new_referralid='REF-1001')`);
    expect(world.state.leads().filter((l) => l.new_referralid === 'REF-1001')).toHaveLength(1);
    expect(world.state.findByAlternateKey('REF-1001')).toMatchObject({
      leadid: row?.leadid,
      lastname: 'Byron',
    });
  });

  test('tells created from updated with 201 and 200 under return=representation', async () => {
    const headers = { prefer: 'return=representation' };
    const created = await world.call('PATCH', `${byReferral('REF-1100')}?$select=leadid,new_referralid`, {
      body: { lastname: 'A' },
      headers,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ new_referralid: 'REF-1100' });
    expect(created.headers.etag).toBe(created.json['@odata.etag']);
    const updated = await world.call('PATCH', `${byReferral('REF-1100')}?$select=leadid,new_referralid`, {
      body: { lastname: 'B' },
      headers,
    });
    expect(updated.status).toBe(200);
    expect(updated.json.leadid).toBe(created.json.leadid);
    expect(updated.headers.etag).not.toBe(created.headers.etag);
  });

  test('reads keys with quotes, spaces and slashes, URL-encoded', async () => {
    const key = "O'Brien / 7 (EU)";
    const answer = await world.call('PATCH', byReferral(key), { body: { lastname: "O'Brien" } });
    expect(answer.status).toBe(204);
    expect(answer.headers['odata-entityid']).toBe(
      `${world.webApi}/leads(new_referralid='O''Brien / 7 (EU)')`,
    );
    expect(world.state.findByAlternateKey(key)?.lastname).toBe("O'Brien");
    const read = await world.call('GET', `${byReferral(key)}?$select=new_referralid`);
    expect(read.json.new_referralid).toBe(key);
  });

  test('copies the URL key into a new row unless the body sets it, and drops body keys on update', async () => {
    await world.call('PATCH', byReferral('REF-URL'), { body: { lastname: 'X', new_referralid: 'REF-BODY' } });
    expect(world.state.findByAlternateKey('REF-BODY')?.lastname).toBe('X');
    expect(world.state.findByAlternateKey('REF-URL')).toBeUndefined();
    await world.call('PATCH', byReferral('REF-BODY'), {
      body: { lastname: 'Y', new_referralid: 'REF-OTHER' },
    });
    expect(world.state.findByAlternateKey('REF-BODY')?.lastname).toBe('Y');
    expect(world.state.findByAlternateKey('REF-OTHER')).toBeUndefined();
  });

  test('matches key values case-insensitively, like the database collation', async () => {
    await world.call('PATCH', byReferral('REF-CASE'), { body: { lastname: 'Upper' } });
    await world.call('PATCH', byReferral('ref-case'), { body: { lastname: 'Lower' } });
    expect(
      world.state.leads().filter((l) => String(l.new_referralid).toLowerCase() === 'ref-case'),
    ).toHaveLength(1);
    expect(world.state.findByAlternateKey('REF-CASE')?.lastname).toBe('Lower');
  });

  test('refuses a create that would duplicate an alternate key', async () => {
    await world.call('PATCH', byReferral('REF-DUP'), { body: { lastname: 'First' } });
    const answer = await world.call('POST', 'leads', {
      body: { lastname: 'Second', new_referralid: 'REF-DUP' },
    });
    expect(answer.status).toBe(412);
    expect(answer.json.error?.code).toBe('0x80060892');
  });

  test('refuses a key that is not the alternate key of lead', async () => {
    const answer = await world.call('PATCH', "leads(emailaddress1='a@b.c')", { body: { lastname: 'x' } });
    expect(answer.status).toBe(400);
    expect(answer.json.error?.code).toBe('0x80060888');
  });
});

describe('the If-Match / If-None-Match matrix', () => {
  test('If-Match: * updates a present row and answers 404 without creating a missing one', async () => {
    await world.call('PATCH', byReferral('REF-M1'), { body: { lastname: 'A' } });
    const update = await world.call('PATCH', byReferral('REF-M1'), {
      body: { lastname: 'B' },
      headers: { 'if-match': '*' },
    });
    expect(update.status).toBe(204);
    const missing = await world.call('PATCH', byReferral('REF-M2'), {
      body: { lastname: 'B' },
      headers: { 'if-match': '*' },
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error?.code).toBe('0x80040217');
    expect(world.state.findByAlternateKey('REF-M2')).toBeUndefined();
  });

  test('If-None-Match: * creates a missing row and answers 412 for a present one', async () => {
    const created = await world.call('PATCH', byReferral('REF-N1'), {
      body: { lastname: 'A' },
      headers: { 'if-none-match': '*' },
    });
    expect(created.status).toBe(204);
    const again = await world.call('PATCH', byReferral('REF-N1'), {
      body: { lastname: 'B' },
      headers: { 'if-none-match': '*' },
    });
    expect(again.status).toBe(412);
    expect(again.json.error).toEqual({
      code: '0x80040237',
      message: 'A record with matching key values already exists.',
    });
    expect(world.state.findByAlternateKey('REF-N1')?.lastname).toBe('A');
  });

  test('If-Match with the read ETag updates; with a stale one answers 412 0x80060882; on a missing row 404', async () => {
    const created = await world.call('PATCH', `${byReferral('REF-E1')}?$select=leadid`, {
      body: { lastname: 'A' },
      headers: { prefer: 'return=representation' },
    });
    const etag = String(created.json['@odata.etag']);
    const fresh = await world.call('PATCH', byReferral('REF-E1'), {
      body: { lastname: 'B' },
      headers: { 'if-match': etag },
    });
    expect(fresh.status).toBe(204);
    const stale = await world.call('PATCH', byReferral('REF-E1'), {
      body: { lastname: 'C' },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    expect(stale.json.error).toEqual({
      code: '0x80060882',
      message: "The version of the existing record doesn't match the RowVersion property provided.",
    });
    expect(world.state.findByAlternateKey('REF-E1')?.lastname).toBe('B');
    const missing = await world.call('PATCH', byReferral('REF-E2'), {
      body: { lastname: 'A' },
      headers: { 'if-match': etag },
    });
    expect(missing.status).toBe(404);
  });
});

describe('PATCH upsert by id', () => {
  test('creates the row with the URL id when missing, then updates it', async () => {
    const id = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const created = await world.call('PATCH', `leads(${id})`, { body: { lastname: 'ById' } });
    expect(created.status).toBe(204);
    expect(idFromEntityId(created.headers['odata-entityid'])).toBe(id);
    const updated = await world.call('PATCH', `leads(${id})`, {
      body: { lastname: 'Again' },
      headers: { prefer: 'return=representation' },
    });
    expect(updated.status).toBe(200);
    expect(world.state.lead(id)?.lastname).toBe('Again');
  });
});
