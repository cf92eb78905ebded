import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { DEV_SALESFORCE } from '../credentials.ts';
import { issueCertificate } from '../shared/certificates.ts';
import { type SalesforceWorld, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
afterEach(() => world?.close());

const clientCredentials = (overrides: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: DEV_SALESFORCE.clientId,
  client_secret: DEV_SALESFORCE.clientSecret,
  ...overrides,
});
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('client credentials flow', () => {
  test('answers a session id with the documented fields and neither expires_in nor refresh_token', async () => {
    world = await startSalesforceWorld();
    const answer = await world.tokenRequest(clientCredentials());
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json)).toEqual([
      'access_token',
      'instance_url',
      'id',
      'token_type',
      'issued_at',
      'signature',
      'scope',
    ]);
    const runAs = world.state.user(DEV_SALESFORCE.username);
    expect(answer.json).toMatchObject({
      access_token: expect.stringMatching(new RegExp(`^${world.state.orgId().slice(0, 15)}![A-Za-z0-9._]+$`)),
      instance_url: world.instanceUrl,
      id: `${world.instanceUrl}/id/${world.state.orgId()}/${runAs?.id}`,
      token_type: 'Bearer',
      issued_at: String(world.clock.now()),
      scope: 'api',
    });
    const expected = createHmac('sha256', DEV_SALESFORCE.clientSecret)
      .update(answer.json.id + answer.json.issued_at)
      .digest('base64');
    expect(answer.json.signature).toBe(expected);
  });

  test('works only on the My Domain: the login host answers invalid_grant', async () => {
    world = await startSalesforceWorld();
    const answer = await world.tokenRequest(clientCredentials(), `${world.loginUrl}/services/oauth2/token`);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      error: 'invalid_grant',
      error_description: 'request not supported on this domain',
    });
  });

  test.each([
    [{ client_id: 'unknown' }, 'invalid_client_id', 'client identifier invalid'],
    [{ client_secret: 'wrong' }, 'invalid_client', 'invalid client credentials'],
    [{ grant_type: 'password' }, 'unsupported_grant_type', 'grant type not supported'],
  ])('refuses %j with 400 %s', async (overrides, error, description) => {
    world = await startSalesforceWorld();
    const answer = await world.tokenRequest(clientCredentials(overrides));
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error, error_description: description });
  });

  test('needs the flow enabled, a Run As user and that user active', async () => {
    world = await startSalesforceWorld();
    await world.control('PUT', '/connected-app', { clientCredentialsEnabled: false });
    expect((await world.tokenRequest(clientCredentials())).json.error).toBe('unsupported_grant_type');
    await world.control('PUT', '/connected-app', { clientCredentialsEnabled: true, runAsUsername: null });
    expect((await world.tokenRequest(clientCredentials())).json).toEqual({
      error: 'invalid_grant',
      error_description: 'no client credentials user enabled',
    });
    await world.control('PUT', '/connected-app', { runAsUsername: DEV_SALESFORCE.username });
    await world.control('PATCH', `/users/${DEV_SALESFORCE.username}`, { active: false });
    expect((await world.tokenRequest(clientCredentials())).json).toEqual({
      error: 'invalid_grant',
      error_description: 'inactive user',
    });
  });
});

describe('JWT bearer flow', () => {
  test('issues a session for the assertion subject at the login host and at the My Domain', async () => {
    world = await startSalesforceWorld();
    for (const url of [
      `${world.loginUrl}/services/oauth2/token`,
      `${world.instanceUrl}/services/oauth2/token`,
    ]) {
      const answer = await world.tokenRequest(
        { grant_type: JWT_GRANT, assertion: await world.assertion() },
        url,
      );
      expect(answer.status).toBe(200);
      expect(answer.json.instance_url).toBe(world.instanceUrl);
      expect(answer.json).not.toHaveProperty('refresh_token');
      const call = await world.call('GET', 'limits', { token: answer.json.access_token });
      expect(call.status).toBe(200);
    }
  });

  test('accepts the login URL, the emulated login host and the My Domain as audience', async () => {
    world = await startSalesforceWorld();
    for (const aud of [
      'https://login.salesforce.com',
      world.loginUrl,
      world.instanceUrl,
      `${world.instanceUrl}/`,
    ]) {
      const answer = await world.tokenRequest({
        grant_type: JWT_GRANT,
        assertion: await world.assertion({ aud }),
      });
      expect(answer.status, aud).toBe(200);
    }
  });

  test.each([
    ['another audience', { aud: 'https://test.salesforce.com' }, 'invalid_grant', 'audience is invalid'],
    ['an expired assertion', { exp: 'past' }, 'invalid_grant', 'expired authorization code'],
    ['an expiry more than 3 minutes ahead', { exp: 'far' }, 'invalid_grant', 'invalid assertion'],
    ['an unknown consumer key', { iss: 'unknown' }, 'invalid_client_id', 'client identifier invalid'],
    ['an unknown user', { sub: 'nobody@example.com' }, 'invalid_grant', 'invalid assertion'],
  ])('refuses %s', async (_case, claims: Record<string, unknown>, error, description) => {
    world = await startSalesforceWorld();
    const seconds = Math.floor(world.clock.now() / 1000);
    const exp = claims.exp === 'past' ? seconds - 1 : claims.exp === 'far' ? seconds + 600 : undefined;
    const assertion = await world.assertion({ ...claims, ...(exp === undefined ? {} : { exp }) });
    const answer = await world.tokenRequest({ grant_type: JWT_GRANT, assertion });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error, error_description: description });
  });

  test('refuses an assertion signed with a key other than the certificate one, and a mangled one', async () => {
    world = await startSalesforceWorld();
    const other = await issueCertificate({ subject: 'CN=other' });
    const forged = await world.assertion({}, other.keyPem);
    const answer = await world.tokenRequest({ grant_type: JWT_GRANT, assertion: forged });
    expect(answer.json).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
    const mangled = await world.tokenRequest({ grant_type: JWT_GRANT, assertion: 'not.a.jwt' });
    expect(mangled.json).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
  });

  test('accepts a certificate registered on the connected app through the control API', async () => {
    world = await startSalesforceWorld();
    const replacement = await issueCertificate({ subject: 'CN=replacement' });
    const before = await world.tokenRequest({
      grant_type: JWT_GRANT,
      assertion: await world.assertion({}, replacement.keyPem),
    });
    expect(before.status).toBe(400);
    expect(
      (await world.control('PUT', '/connected-app', { certificatePem: replacement.certPem })).status,
    ).toBe(200);
    const after = await world.tokenRequest({
      grant_type: JWT_GRANT,
      assertion: await world.assertion({}, replacement.keyPem),
    });
    expect(after.status).toBe(200);
  });

  test('needs the user pre-authorised for the app and active', async () => {
    world = await startSalesforceWorld();
    await world.control('PATCH', `/users/${DEV_SALESFORCE.username}`, { preAuthorized: false });
    const unapproved = await world.tokenRequest({
      grant_type: JWT_GRANT,
      assertion: await world.assertion(),
    });
    expect(unapproved.json).toEqual({
      error: 'invalid_grant',
      error_description: "user hasn't approved this consumer",
    });
    await world.control('PATCH', `/users/${DEV_SALESFORCE.username}`, { preAuthorized: true, active: false });
    const inactive = await world.tokenRequest({ grant_type: JWT_GRANT, assertion: await world.assertion() });
    expect(inactive.json).toEqual({ error: 'invalid_grant', error_description: 'inactive user' });
  });
});

describe('the identity URL', () => {
  test('describes the session user with the session; without one it is 401', async () => {
    world = await startSalesforceWorld();
    const token = await world.tokenRequest(clientCredentials());
    const identity = await world.call('GET', token.json.id, { token: token.json.access_token });
    expect(identity.status).toBe(200);
    expect(identity.json).toMatchObject({
      username: DEV_SALESFORCE.username,
      organization_id: world.state.orgId(),
    });
    expect((await world.call('GET', token.json.id, { token: null })).status).toBe(401);
  });
});
