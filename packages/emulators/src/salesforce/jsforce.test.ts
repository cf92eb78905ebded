import { importPKCS8, SignJWT } from 'jose';
import { Connection, OAuth2 } from 'jsforce';
import { setDispatcher } from 'jsforce/lib/request.js';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_SALESFORCE } from '../credentials.ts';
import { type EmulatorWorld, startEmulators } from '../world.ts';

/**
 * jsforce 3.10, which nobody here wrote, against the emulated org in the emulated world, unchanged. The
 * only thing it is given is trust in the world's TLS CA, through its own dispatcher hook (the one the
 * Salesforce CLI uses for proxies); everything else is its public API.
 */
let world: EmulatorWorld;
let agent: Agent;

beforeAll(async () => {
  world = await startEmulators({ seed: 'jsforce' });
  agent = new Agent({ connect: { ca: world.tlsCaPem ?? '' } });
  setDispatcher(agent);
});
afterAll(async () => {
  setDispatcher();
  await world.close();
  await agent.close();
});

function clientCredentialsConnection(): Connection {
  return new Connection({
    version: '62.0',
    oauth2: new OAuth2({
      loginUrl: world.urls.salesforce,
      clientId: DEV_SALESFORCE.clientId,
      clientSecret: DEV_SALESFORCE.clientSecret,
    }),
  });
}

describe('jsforce 3.10 against the emulated org', () => {
  it('authorizes with the OAuth 2.0 client credentials flow at the My Domain', async () => {
    const conn = clientCredentialsConnection();
    const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
    expect(conn.instanceUrl).toBe(world.urls.salesforce);
    expect(conn.accessToken).toMatch(/^00D[A-Za-z0-9]{12}!/);
    expect(userInfo.organizationId).toBe(world.salesforce.orgId());
    expect(userInfo.id).toBe(world.salesforce.user(DEV_SALESFORCE.username)?.id);
    const identity = await conn.identity();
    expect(identity.username).toBe(DEV_SALESFORCE.username);
  });

  it('authorizes with the JWT bearer flow, the assertion signed with the connected app certificate key', async () => {
    const key = await importPKCS8(DEV_SALESFORCE.jwtPrivateKeyPem, 'RS256');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(DEV_SALESFORCE.clientId)
      .setSubject(DEV_SALESFORCE.username)
      .setAudience('https://login.salesforce.com')
      .setExpirationTime('3m')
      .sign(key);
    const conn = new Connection({
      version: '62.0',
      oauth2: new OAuth2({ loginUrl: world.salesforce.loginUrl(), clientId: DEV_SALESFORCE.clientId }),
    });
    await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    expect(conn.instanceUrl).toBe(world.urls.salesforce);
    expect((await conn.query('SELECT Id FROM Lead LIMIT 1')).done).toBe(true);
  });

  it('works with just an access token and the instance URL, at its default API version', async () => {
    const issuer = clientCredentialsConnection();
    await issuer.authorize({ grant_type: 'client_credentials' });
    const conn = new Connection({
      instanceUrl: world.urls.salesforce,
      accessToken: issuer.accessToken ?? '',
    });
    expect(conn.version).toBe('50.0');
    const created = await conn
      .sobject('Lead')
      .create({ LastName: 'Token', Company: 'Only', Referral_Id__c: 'JSF-T' });
    expect(created).toMatchObject({ success: true });
    const again = await conn
      .sobject('Lead')
      .upsert({ Referral_Id__c: 'JSF-T', Title: 'v50' }, 'Referral_Id__c');
    expect(again).toMatchObject({ success: true, created: false });
  });

  it('surfaces a wrong consumer secret as the token endpoint error', async () => {
    const conn = new Connection({
      oauth2: new OAuth2({
        loginUrl: world.urls.salesforce,
        clientId: DEV_SALESFORCE.clientId,
        clientSecret: 'nope',
      }),
    });
    const failure = await conn.authorize({ grant_type: 'client_credentials' }).catch((error: Error) => error);
    expect(failure).toMatchObject({ name: 'invalid_client', message: 'invalid client credentials' });
  });

  it('creates, retrieves, updates, upserts by external id and destroys leads with sobject()', async () => {
    const conn = clientCredentialsConnection();
    await conn.authorize({ grant_type: 'client_credentials' });
    const leads = conn.sobject('Lead');

    const created = await leads.create({
      LastName: 'Lovelace',
      Company: 'Analytical Engines',
      Referral_Id__c: 'JSF-1',
    });
    expect(created).toEqual({ id: expect.stringMatching(/^00Q[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const id = (created as { id: string }).id;

    const read = await leads.retrieve(id, { fields: ['Id', 'Name', 'Status'] });
    expect(read).toMatchObject({
      attributes: { type: 'Lead' },
      Id: id,
      Name: 'Lovelace',
      Status: 'Open - Not Contacted',
    });

    expect(await leads.update({ Id: id, FirstName: 'Ada' })).toEqual({ id, success: true, errors: [] });
    expect(world.salesforce.lead(id)?.Name).toBe('Ada Lovelace');

    const updated = await leads.upsert({ Referral_Id__c: 'JSF-1', Title: 'Countess' }, 'Referral_Id__c');
    expect(updated).toEqual({ id, success: true, errors: [], created: false });
    const inserted = await leads.upsert(
      { Referral_Id__c: 'JSF-2', LastName: 'Babbage', Company: 'Difference Engines' },
      'Referral_Id__c',
    );
    expect(inserted).toMatchObject({ success: true, created: true });
    expect(world.salesforce.findByExternalId('JSF-2')).toHaveLength(1);

    expect(await leads.destroy(id)).toEqual({ id, success: true, errors: [] });
    expect(world.salesforce.lead(id)?.IsDeleted).toBe(true);
  });

  it('reports API errors with their errorCode and fields', async () => {
    const conn = clientCredentialsConnection();
    await conn.authorize({ grant_type: 'client_credentials' });
    const failure = await conn
      .sobject('Lead')
      .create({ LastName: 'NoCompany' })
      .catch((error: Error) => error);
    expect(failure).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      data: { fields: ['Company'], message: 'Required fields are missing: [Company]' },
    });
  });

  it('pages through a query with autoFetch, and by hand with queryMore', async () => {
    const conn = clientCredentialsConnection();
    await conn.authorize({ grant_type: 'client_credentials' });
    const batch = Array.from({ length: 450 }, (_, i) => ({
      LastName: `Page ${String(i).padStart(3, '0')}`,
      Company: 'Paging Ltd',
      Referral_Id__c: `PAGE-${i}`,
    }));
    for (const lead of batch) await conn.sobject('Lead').create(lead);
    const soql = "SELECT Id, LastName FROM Lead WHERE Company = 'Paging Ltd' ORDER BY LastName";
    const headers = { 'Sforce-Query-Options': 'batchSize=200' };

    const all = await conn.query(soql, { autoFetch: true, maxFetch: 1000, headers });
    expect(all.totalSize).toBe(450);
    expect(all.records).toHaveLength(450);
    expect(all.records.map((r) => r.LastName)).toEqual(batch.map((l) => l.LastName));

    const first = await conn.query(soql, { headers });
    expect(first).toMatchObject({ totalSize: 450, done: false });
    expect(first.records).toHaveLength(200);
    expect(first.nextRecordsUrl).toMatch(/\/query\/01g[A-Za-z0-9]{15}-200$/);
    const second = await conn.queryMore(first.nextRecordsUrl ?? '');
    const third = await conn.queryMore(second.nextRecordsUrl ?? '');
    expect([second.records.length, third.records.length, third.done]).toEqual([200, 50, true]);

    expect(await conn.sobject('Lead').count({ Company: 'Paging Ltd' })).toBe(450);
    const found = await conn.sobject('Lead').find({ Referral_Id__c: 'PAGE-7' }, ['Id', 'LastName']);
    expect(found.map((r) => r.LastName)).toEqual(['Page 007']);
  });

  it('describes Lead, lists the org sObjects and API versions, and reads the limit info', async () => {
    const conn = clientCredentialsConnection();
    await conn.authorize({ grant_type: 'client_credentials' });
    const lead = await conn.describe('Lead');
    const referralId = lead.fields.find((field) => field.name === 'Referral_Id__c');
    expect(referralId).toMatchObject({ externalId: true, unique: true, caseSensitive: true, type: 'string' });
    const status = lead.fields.find((field) => field.name === 'Status');
    expect(status?.picklistValues?.find((value) => value.defaultValue)?.value).toBe('Open - Not Contacted');
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((sobject) => sobject.name)).toEqual(['Lead', 'LeadStatus']);
    const versions = await conn.request<Array<{ version: string }>>('/services/data/');
    expect(versions.at(-1)?.version).toBe('62.0');
    // The versions root is the one resource without Sforce-Limit-Info; the info is from describeGlobal.
    expect(conn.limitInfo.apiUsage).toEqual({ used: world.salesforce.apiUsage().used, limit: 100_000 });
  });

  it('refreshes an expired session through its refresh function and retries the call', async () => {
    const conn = new Connection({
      version: '62.0',
      oauth2: {
        loginUrl: world.urls.salesforce,
        clientId: DEV_SALESFORCE.clientId,
        clientSecret: DEV_SALESFORCE.clientSecret,
      },
      refreshFn: async (connection, callback) => {
        try {
          const token = await connection.oauth2.requestToken({ grant_type: 'client_credentials' });
          callback(null, token.access_token, token);
        } catch (error) {
          callback(error as Error);
        }
      },
    });
    await conn.authorize({ grant_type: 'client_credentials' });
    const before = conn.accessToken;
    world.salesforce.endSessions();
    const result = await conn.query('SELECT Id FROM Lead LIMIT 1');
    expect(result.done).toBe(true);
    expect(conn.accessToken).not.toBe(before);
  });
});
