import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type EntraFixture, jwtPayload, startEntra } from './test-support.ts';

const { tenant, clientId, username, password } = DEV_CREDENTIALS;
const PARTNER_CENTER = 'https://api.partner.microsoft.com';
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('device code flow', () => {
  let entra: EntraFixture;
  beforeAll(async () => {
    entra = await startEntra();
  });
  afterAll(() => entra.close());

  const startV2 = () =>
    entra.postForm(`/${tenant}/oauth2/v2.0/devicecode`, {
      client_id: clientId,
      scope: `${PARTNER_CENTER}/.default offline_access openid profile`,
    });
  const poll = (deviceCode: string) =>
    entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: DEVICE_CODE_GRANT,
      client_id: clientId,
      device_code: deviceCode,
    });

  it('issues a v2 device code with numeric expires_in and interval and a verification_uri', async () => {
    const response = await startV2();
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      user_code: expect.stringMatching(/^[A-Z0-9]{9}$/),
      device_code: expect.any(String),
      verification_uri: `${entra.origin}/devicelogin`,
      expires_in: 900,
      interval: 5,
    });
    expect(response.body.message).toBe(
      `To sign in, use a web browser to open the page ${entra.origin}/devicelogin and enter the code ${response.body.user_code} to authenticate.`,
    );
  });

  it('answers authorization_pending until approved through the control API, then an MFA token once', async () => {
    const issued = await startV2();
    const pending = await poll(issued.body.device_code);
    expect(pending.status).toBe(400);
    expect(pending.body).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });

    const listed = await entra.control('GET', '/device-codes');
    expect(listed.body).toContainEqual(
      expect.objectContaining({ userCode: issued.body.user_code, clientId, approvedAs: null }),
    );
    const approved = await entra.control('POST', `/device-codes/${issued.body.user_code}/approve`, {
      username,
    });
    expect(approved.status).toBe(200);

    const token = await poll(issued.body.device_code);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(token.body.refresh_token).toEqual(expect.any(String));
    expect(token.body.id_token).toEqual(expect.any(String));
    const check = await entra.ctx.tokens.check(`Bearer ${token.body.access_token}`, PARTNER_CENTER);
    expect(check.ok && check.claims).toMatchObject({
      amr: ['pwd', 'mfa'],
      scp: 'user_impersonation',
      upn: username,
    });

    const replay = await poll(issued.body.device_code);
    expect(replay.body).toMatchObject({ error: 'bad_verification_code', error_codes: [70000] });
  });

  it('gives only a password amr to a user without MFA registered', async () => {
    entra.state.addUser({ username: 'nomfa@contoso-partner.example', password: 'x', mfaRegistered: false });
    const issued = await startV2();
    entra.state.approveDeviceCode(issued.body.user_code, 'nomfa@contoso-partner.example');
    const token = await poll(issued.body.device_code);
    expect(jwtPayload(token.body.access_token).amr).toEqual(['pwd']);
  });

  it('answers expired_token after the code lifetime', async () => {
    const issued = await startV2();
    entra.clock.advance(901_000);
    const response = await poll(issued.body.device_code);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'expired_token', error_codes: [70019] });
    const late = await entra.control('POST', `/device-codes/${issued.body.user_code}/approve`, { username });
    expect(late.status).toBe(404);
  });

  it('refuses to approve an expired code through the control API', async () => {
    const issued = await startV2();
    entra.clock.advance(901_000);
    const response = await entra.control('POST', `/device-codes/${issued.body.user_code}/approve`, {
      username,
    });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('expired');
  });

  it('serves the v1 device code shape and redeems it with `code` on the v1 token endpoint', async () => {
    const issued = await entra.postForm('/common/oauth2/devicecode', {
      client_id: clientId,
      resource: PARTNER_CENTER,
    });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      verification_url: `${entra.origin}/devicelogin`,
      expires_in: '900',
      interval: '5',
    });
    expect(issued.body.verification_uri).toBeUndefined();

    entra.state.approveDeviceCode(issued.body.user_code, username);
    const token = await entra.postForm('/common/oauth2/token', {
      grant_type: 'device_code',
      client_id: clientId,
      resource: PARTNER_CENTER,
      code: issued.body.device_code,
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({
      resource: PARTNER_CENTER,
      expires_in: '3600',
      scope: 'user_impersonation',
    });
    expect(token.body.refresh_token).toEqual(expect.any(String));
  });

  it('approves a code from the /devicelogin page with the user password', async () => {
    const issued = await startV2();
    const page = await entra.postForm('/devicelogin', {
      otc: issued.body.user_code,
      username,
      password: 'wrong',
    });
    expect(page.status).toBe(400);
    expect((await poll(issued.body.device_code)).body.error).toBe('authorization_pending');

    const ok = await entra.postForm('/devicelogin', {
      otc: issued.body.user_code.toLowerCase(),
      username,
      password,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('You have signed in to the Referral Connector application');
    expect((await poll(issued.body.device_code)).status).toBe(200);
  });

  it('approves every new code at once as the configured user (demo mode)', async () => {
    const auto = await startEntra({ deviceCodeAutoApprove: username });
    try {
      const issued = await auto.postForm(`/${tenant}/oauth2/v2.0/devicecode`, {
        client_id: clientId,
        scope: `${PARTNER_CENTER}/.default`,
      });
      const token = await auto.postForm(`/${tenant}/oauth2/v2.0/token`, {
        grant_type: DEVICE_CODE_GRANT,
        client_id: clientId,
        device_code: issued.body.device_code,
      });
      expect(token.status).toBe(200);
      expect(jwtPayload(token.body.access_token).upn).toBe(username);
    } finally {
      await auto.close();
    }
  });

  it('rejects a device code request for an unknown resource up front (AADSTS500011)', async () => {
    const response = await entra.postForm(`/${tenant}/oauth2/v2.0/devicecode`, {
      client_id: clientId,
      scope: 'https://unknown.example.com/.default',
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
  });
});
