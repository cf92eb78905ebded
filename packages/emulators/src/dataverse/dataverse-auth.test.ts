import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type DataverseWorld, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld();
});
afterAll(() => world.close());

describe('Dataverse authentication', () => {
  test('answers a call without a token with 401 and a challenge naming the tenant sign-in', async () => {
    const answer = await world.call('GET', 'WhoAmI', { token: null });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(
      `Bearer authorization_uri=${world.origin}/${DEV_CREDENTIALS.tenant}/oauth2/authorize, resource_id=${world.organizationUrl}`,
    );
    expect(answer.headers['odata-version']).toBe('4.0');
  });

  test('answers 401 to a token for another audience, an expired token, or another tenant', async () => {
    for (const overrides of [
      { aud: 'https://contoso.crm4.dynamics.com' },
      { aud: `${world.origin}/dataverse/api/data/v9.2` },
      { exp: Math.floor(world.clock.now() / 1000) - 10 },
      { tid: '00000000-0000-4000-8000-000000000000' },
    ]) {
      const answer = await world.call('GET', 'WhoAmI', { token: await world.token(overrides) });
      expect(answer.status, JSON.stringify(overrides)).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=/);
    }
    const garbage = await world.call('GET', 'WhoAmI', { token: 'not-a-jwt' });
    expect(garbage.status).toBe(401);
  });

  test('accepts the organization URL as audience with or without a trailing slash', async () => {
    const plain = await world.call('GET', 'WhoAmI', {
      token: await world.token({ aud: world.organizationUrl }),
    });
    const slash = await world.call('GET', 'WhoAmI', {
      token: await world.token({ aud: `${world.organizationUrl}/` }),
    });
    expect([plain.status, slash.status]).toEqual([200, 200]);
  });

  test('refuses a valid token of an app that is no application user of the organization with 403', async () => {
    const answer = await world.call('GET', 'WhoAmI', {
      token: await world.token({ appid: '99999999-1111-4222-8333-444444444444' }),
    });
    expect(answer.status).toBe(403);
    expect(answer.json.error).toEqual({
      code: '0x80072560',
      message: 'The user is not a member of the organization.',
    });
  });

  test('WhoAmI names the application user, its business unit and the organization', async () => {
    const answer = await world.call('GET', 'WhoAmI');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      '@odata.context': `${world.webApi}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      UserId: world.state.applicationUser(DEV_CREDENTIALS.clientId),
    });
    expect(answer.json.BusinessUnitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.json.OrganizationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers['content-type']).toBe('application/json; odata.metadata=minimal');
  });

  test('answers an unknown resource with a 404 in the error format', async () => {
    const answer = await world.call('GET', 'contactz');
    expect(answer.status).toBe(404);
    expect(answer.json.error).toEqual({
      code: '0x80060888',
      message: "Resource not found for the segment 'contactz'.",
    });
  });

  test('counts every request per endpoint, keys left out of the name', async () => {
    await world.call('GET', 'leads(6b1f6d7e-0c2a-4e0b-9a41-1d2c3b4a5f60)');
    const counters = world.traffic.counters().dataverse.byEndpoint;
    expect(counters['GET /leads({key})']?.byStatus['404']).toBe(1);
    expect(counters['GET /WhoAmI']?.count).toBeGreaterThanOrEqual(5);
  });
});
