/**
 * Reads an authorize request (spec entra-oidc-and-metadata.md A1) against the tenant. Pure. Entra
 * splits failures in two: while it cannot trust the redirect URI (unknown tenant or app, missing or
 * unregistered redirect URI) it shows its own error page and never calls the app; after that every
 * error travels back to the redirect URI with `error`, `error_description` and the echoed `state`.
 * Unknown parameters (msal's `client_info`, `x-client-*`, `clidata`…) are ignored, as on Entra.
 */
import type { CodeChallenge } from './authorization-codes.ts';
import { EntraError, entraErrors } from './entra-error.ts';
import type { EntraApp, EntraState } from './entra-state.ts';
import { parseV2Scope, type TokenTarget } from './token-target.ts';

export type ResponseMode = 'query' | 'form_post' | 'fragment';

export type AuthorizeRequest = {
  app: EntraApp;
  /** The tenant segment as requested (id, domain, `common`, `organizations`). */
  tenantSegment: string;
  redirectUri: string;
  responseMode: ResponseMode;
  state: string | undefined;
  nonce: string | undefined;
  challenge: CodeChallenge | undefined;
  target: TokenTarget;
  /** msal's `client_info=1`: the redirect carries `client_info`. */
  clientInfo: boolean;
  loginHint: string | undefined;
};

/** Where the failure is told: Entra's own page, or the app's redirect URI. */
export type AuthorizeFailure =
  | { kind: 'page'; error: EntraError }
  | {
      kind: 'redirect';
      error: EntraError;
      redirectUri: string;
      responseMode: ResponseMode;
      state: string | undefined;
    };

const MULTI_TENANT = new Set(['common', 'organizations']);
const RESPONSE_MODES = new Set<ResponseMode>(['query', 'form_post', 'fragment']);

export function readAuthorizeRequest(
  state: EntraState,
  tenantSegment: string,
  params: URLSearchParams,
): AuthorizeRequest | AuthorizeFailure {
  const get = (name: string) => {
    const value = params.get(name);
    return value === null || value === '' ? undefined : value;
  };
  if (!state.isThisTenant(tenantSegment) && !MULTI_TENANT.has(tenantSegment.toLowerCase()))
    return { kind: 'page', error: entraErrors.tenantNotFound(tenantSegment) };
  const clientId = get('client_id');
  if (clientId === undefined) return { kind: 'page', error: entraErrors.missingParameter('client_id') };
  const app = state.findApp(clientId);
  if (!app) return { kind: 'page', error: entraErrors.applicationNotFound(clientId, state.tenantId) };
  const redirectUri = get('redirect_uri');
  if (redirectUri === undefined) return { kind: 'page', error: entraErrors.missingParameter('redirect_uri') };
  // Exact match, path case included (reply-url rules); only then is the app told anything.
  if (!app.redirectUris.includes(redirectUri))
    return { kind: 'page', error: entraErrors.redirectUriMismatch(redirectUri, app.clientId) };

  const askedMode = get('response_mode') ?? 'query';
  const responseMode: ResponseMode = RESPONSE_MODES.has(askedMode as ResponseMode)
    ? (askedMode as ResponseMode)
    : 'query';
  const echo = get('state');
  const fail = (error: EntraError): AuthorizeFailure => ({
    kind: 'redirect',
    error,
    redirectUri,
    responseMode,
    state: echo,
  });

  const responseType = get('response_type');
  if (responseType === undefined) return fail(entraErrors.missingParameter('response_type'));
  // Only the code flow is emulated; hybrid and implicit need the app's implicit ID-token setting.
  if (responseType !== 'code') return fail(entraErrors.unsupportedResponseType(app.clientId));
  const scope = get('scope');
  if (scope === undefined) return fail(entraErrors.missingParameter('scope'));
  const target = parseV2Scope(scope);
  if (target instanceof EntraError) return fail(target);

  const challengeValue = get('code_challenge');
  const method = get('code_challenge_method') ?? 'plain';
  if (challengeValue !== undefined && method !== 'S256' && method !== 'plain')
    return fail(entraErrors.unsupportedChallengeMethod(method));
  // No single-sign-on session is emulated: a silent request always finds nobody signed in.
  if (get('prompt') === 'none') return fail(entraErrors.noSignInSession());

  return {
    app,
    tenantSegment,
    redirectUri,
    responseMode,
    state: echo,
    nonce: get('nonce'),
    challenge:
      challengeValue === undefined
        ? undefined
        : { value: challengeValue, method: method as CodeChallenge['method'] },
    target,
    clientInfo: get('client_info') === '1',
    loginHint: get('login_hint'),
  };
}

export function isAuthorizeFailure(value: AuthorizeRequest | AuthorizeFailure): value is AuthorizeFailure {
  return 'kind' in value;
}
