import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type EntraFixture, jwtPayload, startEntra } from './test-support.ts';

const { tenant, username, password } = DEV_CREDENTIALS;
const CONSOLE = { clientId: '5a1d7c2e-3b4f-4e6a-9c8d-7e6f5a4b3c2d', secret: 'console-secret' };
const CALLBACK = 'http://127.0.0.1:8081/auth/callback';
const OPERATOR = { username: 'dana@contoso-partner.example', password: 'Dana-Password-1!' };

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('authorization code flow with PKCE (OIDC sign-in of a web app)', () => {
  let entra: EntraFixture;
  beforeAll(async () => {
    entra = await startEntra({
      apps: [
        {
          clientId: CONSOLE.clientId,
          displayName: 'Referral Connector console',
          secret: CONSOLE.secret,
          redirectUris: [CALLBACK],
        },
        { clientId: DEV_CREDENTIALS.clientId, secret: DEV_CREDENTIALS.clientSecret, publicClient: true },
      ],
      users: [
        { username, password, appRoleAssignments: { [CONSOLE.clientId]: ['Console.Operator'] } },
        { username: OPERATOR.username, password: OPERATOR.password },
      ],
    });
  });
  afterAll(() => entra.close());

  const authorizeQuery = (overrides: Record<string, string | undefined> = {}) => {
    const params: Record<string, string> = {};
    const all = {
      client_id: CONSOLE.clientId,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid profile offline_access',
      state: 'state-123',
      nonce: 'nonce-456',
      client_info: '1',
      ...overrides,
    };
    for (const [key, value] of Object.entries(all)) if (value !== undefined) params[key] = value;
    return new URLSearchParams(params).toString();
  };

  /** The browser leg: open the authorize page, sign in, return where Entra sends the browser. */
  async function signIn(
    query: string,
    who: { username: string; password: string } = { username, password },
  ): Promise<{ status: number; location: URL | undefined; body: string }> {
    const pageResponse = await entra.getJson(`/${tenant}/oauth2/v2.0/authorize?${query}`);
    const html = String(pageResponse.body);
    const flowToken = /name="flowToken" value="([^"]+)"/.exec(html)?.[1];
    if (!flowToken) return { status: pageResponse.status, location: undefined, body: html };
    const response = await entra.postForm(`/${tenant}/login`, {
      flowToken,
      login: who.username,
      passwd: who.password,
    });
    const location = response.headers.location;
    return {
      status: response.status,
      location: typeof location === 'string' ? new URL(location) : undefined,
      body: String(response.body),
    };
  }

  async function codeFor(overrides: Record<string, string | undefined> = {}) {
    const signedIn = await signIn(authorizeQuery(overrides));
    const code = signedIn.location?.searchParams.get('code');
    if (!code) throw new Error(`no code: ${signedIn.status} ${signedIn.body}`);
    return code;
  }

  const redeem = (form: Record<string, string>) =>
    entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      client_id: CONSOLE.clientId,
      client_secret: CONSOLE.secret,
      grant_type: 'authorization_code',
      redirect_uri: CALLBACK,
      scope: 'openid profile offline_access',
      ...form,
    });

  it('signs the user in on its page and sends code, state, client_info and session_state to the redirect URI', async () => {
    const signedIn = await signIn(authorizeQuery());
    expect(signedIn.status).toBe(302);
    expect(`${signedIn.location?.origin}${signedIn.location?.pathname}`).toBe(CALLBACK);
    const params = signedIn.location?.searchParams;
    expect(params?.get('code')).toMatch(/^1\.A/);
    expect(params?.get('state')).toBe('state-123');
    expect(JSON.parse(Buffer.from(params?.get('client_info') ?? '', 'base64url').toString())).toEqual({
      uid: entra.state.findUser(username)?.oid,
      utid: tenant,
    });
    expect(params?.get('session_state')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redeems a code once, with its PKCE verifier, for an id_token with oid, preferred_username, roles and the nonce', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor({ code_challenge: challenge, code_challenge_method: 'S256' });
    const first = await redeem({ code, code_verifier: verifier, client_info: '1' });
    expect(first.status).toBe(200);
    const claims = jwtPayload(first.body.id_token);
    expect(claims).toMatchObject({
      aud: CONSOLE.clientId,
      iss: `${entra.origin}/${tenant}/v2.0`,
      tid: tenant,
      oid: entra.state.findUser(username)?.oid,
      preferred_username: username,
      nonce: 'nonce-456',
      roles: ['Console.Operator'],
      ver: '2.0',
    });
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.client_info).toEqual(expect.any(String));

    const again = await redeem({ code, code_verifier: verifier });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('leaves roles out of the id_token of a user who has none', async () => {
    const signedIn = await signIn(authorizeQuery(), OPERATOR);
    const code = signedIn.location?.searchParams.get('code') ?? '';
    const response = await redeem({ code });
    expect(response.status).toBe(200);
    const claims = jwtPayload(response.body.id_token);
    expect(claims.preferred_username).toBe(OPERATOR.username);
    expect(claims).not.toHaveProperty('roles');
  });

  it('refuses a verifier that does not match the challenge (AADSTS501481), and a missing one', async () => {
    const { challenge } = pkce();
    const code = await codeFor({ code_challenge: challenge, code_challenge_method: 'S256' });
    const wrong = await redeem({ code, code_verifier: pkce().verifier });
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    const missing = await redeem({ code });
    expect(missing.body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
  });

  it('refuses a redirect_uri other than the one the code was issued for (AADSTS500112)', async () => {
    const code = await codeFor();
    const response = await redeem({ code, redirect_uri: 'http://127.0.0.1:8081/other' });
    expect(response.body).toMatchObject({ error: 'invalid_grant', error_codes: [500112] });
  });

  it('refuses a code older than its lifetime (AADSTS70008)', async () => {
    const code = await codeFor();
    entra.clock.advance(601_000);
    const response = await redeem({ code });
    expect(response.body).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });
  });

  it('needs the web app’s secret to redeem (AADSTS7000218 without one, 7000215 with a wrong one)', async () => {
    const code = await codeFor();
    const none = await entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      client_id: CONSOLE.clientId,
      grant_type: 'authorization_code',
      redirect_uri: CALLBACK,
      code,
    });
    expect(none.body).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
    const wrong = await redeem({ code, client_secret: 'not-it' });
    expect(wrong.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });

  it('shows its own error page and never calls the app for an unregistered redirect URI or an unknown app', async () => {
    const unregistered = await signIn(authorizeQuery({ redirect_uri: 'http://127.0.0.1:8081/elsewhere' }));
    expect(unregistered.status).toBe(400);
    expect(unregistered.location).toBeUndefined();
    expect(unregistered.body).toContain('AADSTS50011');
    const unknown = await signIn(authorizeQuery({ client_id: '11111111-2222-4333-8444-555555555555' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('AADSTS700016');
  });

  it('sends access_denied (AADSTS50105) to the app when assignment is required and the user has no role', async () => {
    const app = entra.state.findApp(CONSOLE.clientId);
    if (!app) throw new Error('console app missing');
    app.appRoleAssignmentRequired = true;
    try {
      const refused = await signIn(authorizeQuery(), OPERATOR);
      expect(refused.status).toBe(302);
      expect(refused.location?.searchParams.get('error')).toBe('access_denied');
      expect(refused.location?.searchParams.get('error_description')).toMatch(/^AADSTS50105: /);
      expect(refused.location?.searchParams.get('state')).toBe('state-123');
      const assigned = await signIn(authorizeQuery());
      expect(assigned.location?.searchParams.get('code')).toEqual(expect.any(String));
    } finally {
      app.appRoleAssignmentRequired = false;
    }
  });

  it('answers prompt=none with login_required (AADSTS50058): no single sign-on session is emulated', async () => {
    const response = await entra.getJson(
      `/${tenant}/oauth2/v2.0/authorize?${authorizeQuery({ prompt: 'none' })}`,
    );
    expect(response.status).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('shows the sign-in page again, without a code, after a wrong password', async () => {
    const response = await signIn(authorizeQuery(), { username, password: 'wrong' });
    expect(response.status).toBe(400);
    expect(response.location).toBeUndefined();
    expect(response.body).toContain('Your account or password is incorrect.');
  });

  it('posts the code to the app in an auto-submitting form with response_mode=form_post', async () => {
    const response = await signIn(authorizeQuery({ response_mode: 'form_post' }));
    expect(response.status).toBe(200);
    expect(response.body).toContain(`<form method="post" action="${CALLBACK}">`);
    expect(response.body).toMatch(/name="code" value="1\.A/);
    expect(response.body).toContain('name="state" value="state-123"');
  });

  it('follows post_logout_redirect_uri at logout only when it is registered', async () => {
    const registered = await entra.getJson(
      `/${tenant}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(CALLBACK)}`,
    );
    expect(registered.status).toBe(302);
    expect(registered.headers.location).toBe(CALLBACK);
    const foreign = await entra.getJson(
      `/${tenant}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(foreign.status).toBe(200);
    expect(String(foreign.body)).toContain('You signed out');
  });
});
