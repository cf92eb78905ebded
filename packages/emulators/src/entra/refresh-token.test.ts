import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type EntraFixture, jwtPayload, startEntra } from './test-support.ts';

const { tenant, clientId, clientSecret, username, password } = DEV_CREDENTIALS;
const PARTNER_CENTER = 'https://api.partner.microsoft.com';
const WEBHOOKS = 'https://api.partnercenter.microsoft.com';
const v2Token = `/${tenant}/oauth2/v2.0/token`;

describe('refresh token grant', () => {
  let entra: EntraFixture;
  beforeAll(async () => {
    entra = await startEntra({ deviceCodeIntervalSeconds: 1 });
  });
  afterAll(() => entra.close());

  /** A refresh token from an MFA sign-in (device code), as the Secure Application Model prescribes. */
  async function mfaRefreshToken(): Promise<string> {
    const issued = await entra.postForm(`/${tenant}/oauth2/v2.0/devicecode`, {
      client_id: clientId,
      scope: `${PARTNER_CENTER}/user_impersonation offline_access openid profile`,
    });
    expect(entra.state.approveDeviceCode(issued.body.user_code, username).ok).toBe(true);
    const token = await entra.postForm(v2Token, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: clientId,
      device_code: issued.body.device_code,
    });
    expect(token.status).toBe(200);
    return token.body.refresh_token;
  }

  it('rotates the refresh token and keeps the MFA of the original sign-in', async () => {
    const first = await mfaRefreshToken();
    const refreshed = await entra.postForm(v2Token, {
      grant_type: 'refresh_token',
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: first,
      scope: `${PARTNER_CENTER}/user_impersonation offline_access`,
    });

    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toEqual(expect.any(String));
    expect(refreshed.body.refresh_token).not.toBe(first);
    expect(jwtPayload(refreshed.body.access_token)).toMatchObject({ amr: ['pwd', 'mfa'], appidacr: '1' });

    const again = await entra.postForm(v2Token, {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: refreshed.body.refresh_token,
      scope: `${PARTNER_CENTER}/.default offline_access`,
    });
    expect(again.status).toBe(200);
    expect(jwtPayload(again.body.access_token).amr).toEqual(['pwd', 'mfa']);
  });

  it('redeems one refresh token for another resource (the webhook API)', async () => {
    const refreshToken = await mfaRefreshToken();
    const response = await entra.postForm(v2Token, {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: refreshToken,
      scope: `${WEBHOOKS}/.default offline_access`,
    });
    expect(response.status).toBe(200);
    const check = await entra.ctx.tokens.check(`Bearer ${response.body.access_token}`, WEBHOOKS);
    expect(check.ok).toBe(true);
  });

  it('redeems on v1 with resource and answers the v1 shape', async () => {
    const ropc = await entra.postForm(`/${tenant}/oauth2/token`, {
      grant_type: 'password',
      client_id: clientId,
      resource: PARTNER_CENTER,
      username,
      password,
    });
    const response = await entra.postForm(`/${tenant}/oauth2/token`, {
      grant_type: 'refresh_token',
      client_id: clientId,
      resource: PARTNER_CENTER,
      refresh_token: ropc.body.refresh_token,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      expires_in: '3600',
      resource: PARTNER_CENTER,
      scope: 'user_impersonation',
    });
    expect(response.body.refresh_token).toEqual(expect.any(String));
    expect(jwtPayload(response.body.access_token).amr).toEqual(['pwd']);
  });

  it('rejects an unknown token or one issued to another client with AADSTS70000', async () => {
    const refreshToken = await mfaRefreshToken();
    entra.state.addApp({ clientId: '44444444-4444-4444-8444-444444444444', publicClient: true });
    for (const form of [
      { client_id: clientId, refresh_token: 'garbage' },
      { client_id: '44444444-4444-4444-8444-444444444444', refresh_token: refreshToken },
    ]) {
      const response = await entra.postForm(v2Token, {
        grant_type: 'refresh_token',
        scope: `${PARTNER_CENTER}/.default`,
        ...form,
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_grant', error_codes: [70000] });
    }
  });

  it('rejects every refresh token of a user after revocation through the control API (AADSTS50173)', async () => {
    const refreshToken = await mfaRefreshToken();
    const revoke = await entra.control(
      'POST',
      `/users/${encodeURIComponent(username)}/revoke-refresh-tokens`,
    );
    expect(revoke.status).toBe(200);
    expect(revoke.body.revoked).toBeGreaterThanOrEqual(1);

    const response = await entra.postForm(v2Token, {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: refreshToken,
      scope: `${PARTNER_CENTER}/.default`,
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });

    const fresh = await mfaRefreshToken();
    const afterSignIn = await entra.postForm(v2Token, {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: fresh,
      scope: `${PARTNER_CENTER}/.default`,
    });
    expect(afterSignIn.status).toBe(200);
  });

  it('expires a refresh token after its inactivity window (AADSTS700082)', async () => {
    entra.state.settings.refreshTokenLifetimeSeconds = 60;
    const refreshToken = await mfaRefreshToken();
    entra.clock.advance(61_000);
    const response = await entra.postForm(v2Token, {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: refreshToken,
      scope: `${PARTNER_CENTER}/.default`,
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_grant', error_codes: [700082] });
    expect(response.body.error_description).toContain('was inactive for 00:01:01');
  });
});
