import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type EntraFixture, jwtHeader, jwtPayload, startEntra } from './test-support.ts';
import { pairwiseSubject } from './token-claims.ts';

const { tenant, clientId, clientSecret, username, password } = DEV_CREDENTIALS;
const PARTNER_CENTER = 'https://api.partner.microsoft.com';

describe('password grant (ROPC)', () => {
  let entra: EntraFixture;
  beforeAll(async () => {
    entra = await startEntra();
  });
  afterAll(() => entra.close());

  it('answers the documented v1 recipe with string numbers, a refresh token and an unsigned id_token', async () => {
    const response = await entra.postForm('/common/oauth2/token', {
      resource: PARTNER_CENTER,
      grant_type: 'password',
      scope: 'openid',
      client_id: clientId,
      client_secret: clientSecret,
      username,
      password,
    });

    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      scope: 'user_impersonation',
      expires_in: '3600',
      ext_expires_in: '3600',
      resource: PARTNER_CENTER,
    });
    expect(body.refresh_token).toMatch(/^0\.A/);
    expect(jwtHeader(body.id_token)).toEqual({ typ: 'JWT', alg: 'none' });
    expect(jwtPayload(body.id_token)).toMatchObject({
      aud: clientId,
      upn: username,
      tid: tenant,
      ver: '1.0',
    });

    const user = entra.state.findUser(username);
    const check = await entra.ctx.tokens.check(`Bearer ${body.access_token}`, PARTNER_CENTER);
    expect(check.ok && check.claims).toMatchObject({
      aud: PARTNER_CENTER,
      iss: `https://sts.windows.net/${tenant}/`,
      scp: 'user_impersonation',
      upn: username,
      name: 'Referrals Admin',
      oid: user?.oid,
      sub: pairwiseSubject(user?.oid ?? '', clientId),
      amr: ['pwd'],
      appid: clientId,
      ver: '1.0',
    });
    expect(jwtPayload(body.access_token).roles).toBeUndefined();
  });

  it('answers v2 with prefixed scopes, a signed id_token, client_info and a refresh token for offline_access', async () => {
    const response = await entra.postForm('/organizations/oauth2/v2.0/token', {
      grant_type: 'password',
      client_id: clientId,
      scope: `${PARTNER_CENTER}/user_impersonation openid profile offline_access`,
      username,
      password,
      client_info: '1',
    });

    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      scope: `${PARTNER_CENTER}/user_impersonation openid profile`,
      expires_in: 3600,
      ext_expires_in: 3600,
    });
    expect(body.refresh_token).toEqual(expect.any(String));
    const user = entra.state.findUser(username);
    expect(JSON.parse(Buffer.from(body.client_info, 'base64url').toString())).toEqual({
      uid: user?.oid,
      utid: tenant,
    });
    expect(jwtHeader(body.id_token)).toMatchObject({ alg: 'RS256', kid: entra.ctx.tokens.keyId });
    expect(jwtPayload(body.id_token)).toMatchObject({
      aud: clientId,
      iss: `${entra.origin}/${tenant}/v2.0`,
      preferred_username: username,
      ver: '2.0',
    });
    expect(jwtPayload(body.access_token)).toMatchObject({ scp: 'user_impersonation', amr: ['pwd'] });
  });

  it('gives no refresh token on v2 without offline_access', async () => {
    const response = await entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'password',
      client_id: clientId,
      scope: `${PARTNER_CENTER}/.default`,
      username,
      password,
    });
    expect(response.status).toBe(200);
    expect(response.body.refresh_token).toBeUndefined();
    expect(response.body.id_token).toBeUndefined();
    expect(response.body.scope).toBe(`${PARTNER_CENTER}/user_impersonation`);
  });

  it('rejects a wrong password with AADSTS50126 and an unknown user with AADSTS50034', async () => {
    const form = {
      grant_type: 'password',
      client_id: clientId,
      scope: `${PARTNER_CENTER}/.default`,
      username,
      password,
    };
    const wrong = await entra.postForm(`/${tenant}/oauth2/v2.0/token`, { ...form, password: 'wrong' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_codes: [50126] });
    expect(wrong.body.error_description).toMatch(
      /^AADSTS50126: Error validating credentials due to invalid username or password\.\r\n/,
    );

    const unknown = await entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      ...form,
      username: 'nobody@contoso.example',
    });
    expect(unknown.body).toMatchObject({ error: 'invalid_grant', error_codes: [50034] });
  });

  it('refuses ROPC with AADSTS50076 (interaction required) for a user that must use MFA', async () => {
    entra.state.addUser({
      username: 'enforced@contoso-partner.example',
      password: 'P@ss-1',
      mfaRequired: true,
    });
    const response = await entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'password',
      client_id: clientId,
      scope: `${PARTNER_CENTER}/.default`,
      username: 'enforced@contoso-partner.example',
      password: 'P@ss-1',
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'invalid_grant',
      suberror: 'basic_action',
      error_codes: [50076],
    });
  });

  it('requires a secret from an app that does not allow public client flows', async () => {
    entra.state.addApp({
      clientId: '33333333-3333-4333-8333-333333333333',
      secret: 's3cret',
      publicClient: false,
    });
    const response = await entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'password',
      client_id: '33333333-3333-4333-8333-333333333333',
      scope: `${PARTNER_CENTER}/.default`,
      username,
      password,
    });
    expect(response.status).toBe(401);
    expect(response.body.error_codes).toEqual([7000218]);
  });

  it('rejects an unknown permission on a known resource with AADSTS70011', async () => {
    const response = await entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'password',
      client_id: clientId,
      scope: `${PARTNER_CENTER}/Referrals.Write`,
      username,
      password,
    });
    expect(response.body).toMatchObject({ error: 'invalid_scope', error_codes: [70011] });
  });
});
