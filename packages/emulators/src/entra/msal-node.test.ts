import {
  type AuthenticationResult,
  ConfidentialClientApplication,
  type Configuration,
  CryptoProvider,
  PublicClientApplication,
  ServerError,
} from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { createMsalNetworkClient, type EntraFixture, startEntra } from './test-support.ts';

const { tenant, clientId, clientSecret, username, password } = DEV_CREDENTIALS;
const PARTNER_CENTER = 'https://api.partner.microsoft.com';
const WEBHOOKS = 'https://api.partnercenter.microsoft.com';

/** msal-node configured exactly as the README tells a client to: authority, known host, network client. */
function msalConfig(entra: EntraFixture, tenantSegment: string, secret?: string): Configuration {
  return {
    auth: {
      clientId,
      authority: `${entra.origin}/${tenantSegment}`,
      knownAuthorities: [new URL(entra.origin).host],
      ...(secret ? { clientSecret: secret } : {}),
    },
    system: { networkClient: createMsalNetworkClient(entra.agent) },
  };
}

function refreshTokenOf(app: PublicClientApplication | ConfidentialClientApplication): string {
  const cache = JSON.parse(app.getTokenCache().serialize()) as {
    RefreshToken: Record<string, { secret: string }>;
  };
  const [entry] = Object.values(cache.RefreshToken);
  if (!entry) throw new Error('no refresh token in the MSAL cache');
  return entry.secret;
}

describe('@azure/msal-node against the emulator, unchanged', () => {
  let entra: EntraFixture;
  beforeAll(async () => {
    entra = await startEntra({ deviceCodeIntervalSeconds: 0.05 });
  });
  afterAll(() => entra.close());

  it('acquires an app-only token by client credentials and serves the second call from its cache', async () => {
    const cca = new ConfidentialClientApplication(msalConfig(entra, tenant, clientSecret));
    const first = await cca.acquireTokenByClientCredential({ scopes: [`${PARTNER_CENTER}/.default`] });
    expect(first?.fromCache).toBe(false);
    const check = await entra.ctx.tokens.check(`Bearer ${first?.accessToken}`, PARTNER_CENTER);
    expect(check.ok && check.claims).toMatchObject({ appid: clientId, idtyp: 'app', tid: tenant });

    const before = entra.ctx.traffic.counters().entra.total;
    const second = await cca.acquireTokenByClientCredential({ scopes: [`${PARTNER_CENTER}/.default`] });
    expect(second?.fromCache).toBe(true);
    expect(entra.ctx.traffic.counters().entra.total).toBe(before);
  });

  it('surfaces a wrong secret as a ServerError carrying AADSTS7000215', async () => {
    const cca = new ConfidentialClientApplication(msalConfig(entra, tenant, 'wrong-secret'));
    const failure = await cca
      .acquireTokenByClientCredential({ scopes: [`${PARTNER_CENTER}/.default`] })
      .catch((e) => e);
    expect(failure).toBeInstanceOf(ServerError);
    expect(failure.errorCode).toBe('invalid_client');
    expect(failure.errorNo).toBe(7000215);
  });

  it('acquires a user token by username and password (ROPC) with an account from the id_token', async () => {
    const pca = new PublicClientApplication(msalConfig(entra, 'organizations'));
    const result = await pca.acquireTokenByUsernamePassword({
      scopes: [`${PARTNER_CENTER}/user_impersonation`],
      username,
      password,
    });
    expect(result?.account).toMatchObject({
      username,
      tenantId: tenant,
      localAccountId: entra.state.findUser(username)?.oid,
    });
    const check = await entra.ctx.tokens.check(`Bearer ${result?.accessToken}`, PARTNER_CENTER);
    expect(check.ok && check.claims.amr).toEqual(['pwd']);
  });

  it('acquires a token by device code once the code is approved through the control API', async () => {
    const pca = new PublicClientApplication(msalConfig(entra, 'organizations'));
    const result = await pca.acquireTokenByDeviceCode({
      scopes: [`${PARTNER_CENTER}/user_impersonation`],
      deviceCodeCallback: (response) => {
        void entra.control('POST', `/device-codes/${response.userCode}/approve`, { username });
      },
    });
    const check = await entra.ctx.tokens.check(`Bearer ${result?.accessToken}`, PARTNER_CENTER);
    expect(check.ok && check.claims).toMatchObject({
      amr: ['pwd', 'mfa'],
      upn: username,
      scp: 'user_impersonation',
    });

    // Secure Application Model: keep the refresh token of the MFA sign-in, redeem it silently later.
    const stored = refreshTokenOf(pca);
    const cca = new ConfidentialClientApplication(msalConfig(entra, tenant, clientSecret));
    const refreshed = (await cca.acquireTokenByRefreshToken({
      refreshToken: stored,
      scopes: [`${WEBHOOKS}/.default`],
    })) as AuthenticationResult;
    const webhookCheck = await entra.ctx.tokens.check(`Bearer ${refreshed.accessToken}`, WEBHOOKS);
    expect(webhookCheck.ok && webhookCheck.claims.amr).toEqual(['pwd', 'mfa']);
  });

  it('signs a user in with getAuthCodeUrl and acquireTokenByCode (code + PKCE, state and nonce checked by msal)', async () => {
    const redirectUri = 'http://localhost:8081/auth/callback';
    entra.state.findApp(clientId)?.redirectUris.push(redirectUri);
    const cca = new ConfidentialClientApplication(msalConfig(entra, tenant, clientSecret));
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = new URL(
      await cca.getAuthCodeUrl({
        scopes: [],
        redirectUri,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        state: 'browser-state',
        nonce: 'browser-nonce',
      }),
    );
    expect(url.origin).toBe(entra.origin);
    // The browser's part: the sign-in page, then the redirect back with the code.
    const page = await entra.getJson(`${url.pathname}${url.search}`);
    const flowToken = /name="flowToken" value="([^"]+)"/.exec(String(page.body))?.[1] ?? '';
    const signedIn = await entra.postForm(`/${tenant}/login`, {
      flowToken,
      login: username,
      passwd: password,
    });
    const back = new URL(String(signedIn.headers.location)).searchParams;

    const result = await cca.acquireTokenByCode(
      {
        code: back.get('code') ?? '',
        scopes: [],
        redirectUri,
        codeVerifier: verifier,
        state: 'browser-state',
        nonce: 'browser-nonce',
      },
      {
        code: back.get('code') ?? '',
        state: back.get('state') ?? '',
        client_info: back.get('client_info') ?? '',
      },
    );
    expect(result.idTokenClaims).toMatchObject({
      oid: entra.state.findUser(username)?.oid,
      preferred_username: username,
      tid: tenant,
      nonce: 'browser-nonce',
      aud: clientId,
    });
    expect(result.account?.homeAccountId).toBe(`${entra.state.findUser(username)?.oid}.${tenant}`);

    // msal compares the nonce itself: a code redeemed under another nonce is refused client-side.
    const again = await entra.getJson(`${url.pathname}${url.search}`);
    const token2 = /name="flowToken" value="([^"]+)"/.exec(String(again.body))?.[1] ?? '';
    const second = await entra.postForm(`/${tenant}/login`, {
      flowToken: token2,
      login: username,
      passwd: password,
    });
    const code2 = new URL(String(second.headers.location)).searchParams.get('code') ?? '';
    const mismatch = await cca
      .acquireTokenByCode({ code: code2, scopes: [], redirectUri, codeVerifier: verifier, nonce: 'other' })
      .catch((error: { errorCode?: string }) => error);
    expect(mismatch).toMatchObject({ errorCode: 'nonce_mismatch' });
  });

  it('trusts the emulator through cloudDiscoveryMetadata fetched from its instance discovery endpoint', async () => {
    const authorize = encodeURIComponent(`${entra.origin}/${tenant}/oauth2/v2.0/authorize`);
    const discovery = await entra.getJson(
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
    );
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId,
        clientSecret,
        authority: `${entra.origin}/${tenant}`,
        cloudDiscoveryMetadata: JSON.stringify(discovery.body),
      },
      system: { networkClient: createMsalNetworkClient(entra.agent) },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: [`${PARTNER_CENTER}/.default`] });
    expect(result?.accessToken).toEqual(expect.any(String));
  });
});
