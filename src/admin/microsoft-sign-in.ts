/**
 * Sign in with Microsoft: OpenID Connect authorization code with PKCE through msal-node, as a confidential
 * web app (spec entra-oidc-and-metadata.md A1–A7). `start` makes the authorize URL and the values the
 * callback must find again (kept server-side by the caller); `finish` redeems the code and applies the
 * access rule. Nothing here touches cookies.
 */
import { randomBytes } from 'node:crypto';
import { CryptoProvider } from '@azure/msal-node';
import { createMsalApp } from '../auth/msal-app.ts';
import type { HttpClient } from '../net/http-client.ts';
import { type AccessDecision, decideAccess } from './access-rule.ts';
import type { MicrosoftSignIn as MicrosoftSettings } from './console-settings.ts';
import type { PendingSignIn } from './session-registry.ts';

export type CallbackQuery = {
  code?: string;
  state?: string;
  client_info?: string;
  error?: string;
  error_description?: string;
};

export type MicrosoftSignIn = {
  start(returnTo: string): Promise<{ url: string; pending: Omit<PendingSignIn, 'expiresAt'> }>;
  finish(
    query: CallbackQuery,
    pending: PendingSignIn,
  ): Promise<AccessDecision | { ok: false; reason: 'failed'; detail: string }>;
  /** Where sign-out continues, so the Entra session ends too (A6). */
  logoutUrl(): string;
};

export function createMicrosoftSignIn(
  settings: MicrosoftSettings,
  http: HttpClient,
  baseUrl: () => string,
): MicrosoftSignIn {
  const msal = createMsalApp(
    {
      authorityHost: settings.authorityHost,
      tenantId: settings.tenantId,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
    },
    http,
  );
  const crypto = new CryptoProvider();
  const redirectUri = () => `${baseUrl()}/auth/callback`;
  const scopes: string[] = [];
  const random = () => randomBytes(32).toString('base64url');

  return {
    async start(returnTo) {
      const { verifier, challenge } = await crypto.generatePkceCodes();
      const pending = { state: random(), nonce: random(), codeVerifier: verifier, returnTo };
      const url = await msal.getAuthCodeUrl({
        scopes,
        redirectUri: redirectUri(),
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        prompt: 'select_account',
      });
      return { url, pending };
    },

    async finish(query, pending) {
      // The state is checked before anything else, error included (A2).
      if (query.state !== pending.state) return { ok: false, reason: 'failed', detail: 'state_mismatch' };
      if (query.error) return { ok: false, reason: 'failed', detail: query.error };
      if (!query.code) return { ok: false, reason: 'failed', detail: 'no_code' };
      try {
        const result = await msal.acquireTokenByCode(
          {
            code: query.code,
            scopes,
            redirectUri: redirectUri(),
            codeVerifier: pending.codeVerifier,
            state: pending.state,
            nonce: pending.nonce,
          },
          {
            code: query.code,
            state: query.state,
            ...(query.client_info ? { client_info: query.client_info } : {}),
          },
        );
        return decideAccess(
          result.idTokenClaims as Record<string, unknown>,
          {
            tenantId: settings.tenantId,
            clientId: settings.clientId,
            issuer: `${settings.authorityHost}/${settings.tenantId}/v2.0`,
            allowedUsers: settings.allowedUsers,
            allowedRole: settings.allowedRole,
          },
          { nonce: pending.nonce, nowSeconds: Math.floor(Date.now() / 1000) },
        );
      } catch (error) {
        const code = (error as { errorCode?: string }).errorCode ?? 'token_request_failed';
        return { ok: false, reason: 'failed', detail: code };
      }
    },

    logoutUrl() {
      const target = encodeURIComponent(`${baseUrl()}/auth/signed-out`);
      return `${settings.authorityHost}/${settings.tenantId}/oauth2/v2.0/logout?post_logout_redirect_uri=${target}`;
    },
  };
}
