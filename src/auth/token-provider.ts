/**
 * Access tokens for one audience, cached and refreshed before they expire, with at most one request
 * to Entra in flight per provider however many callers ask at once.
 */
import type {
  AuthenticationResult,
  ConfidentialClientApplication,
  PublicClientApplication,
} from '@azure/msal-node';
import { explainMsalFailure } from '../net/explain-error.ts';
import { classifyEntraFailure, describeCredentialFix } from './classify-entra-failure.ts';
import { type CredentialKeys, UNPREFIXED_CREDENTIAL_KEYS } from './credential-keys.ts';
import { msalAppContext } from './msal-app.ts';

export type TokenProvider = {
  readonly audience: string;
  /** A bearer token valid for at least the refresh margin. */
  token(): Promise<string>;
  /**
   * Forget the cached token after a 401, so the next call fetches a fresh one. With `refused`, only if
   * that is still the cached token: concurrent calls refused on one old token renew it once, and none
   * throws away the fresh token another call already fetched.
   */
  invalidate(refused?: string): void;
  /** Tokens fetched from Entra so far (not cache hits). */
  readonly fetched: number;
};

/**
 * - login_required: no signed-in user, or their sign-in expired or was revoked (`auth login`).
 * - credential_rejected: Entra refused the app's own credential, id or tenant; `configKeys` says which
 *   settings to fix. Nothing changes until a person does.
 * - token_request_failed: anything else; may pass.
 */
export class AuthError extends Error {
  readonly code: 'login_required' | 'credential_rejected' | 'token_request_failed';
  /** Configuration keys to fix (credential_rejected). */
  readonly configKeys: readonly string[];
  /** Entra's AADSTS number, when it sent one. */
  readonly entraCode: number | undefined;
  /** The likely fix, when the failure was explained (a network or trust problem behind msal's code). */
  readonly fix: string | undefined;
  constructor(
    code: AuthError['code'],
    message: string,
    options: {
      cause?: unknown;
      configKeys?: readonly string[];
      entraCode?: number | undefined;
      fix?: string | undefined;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.configKeys = options.configKeys ?? [];
    this.entraCode = options.entraCode;
    this.fix = options.fix;
  }
}

export type TokenProviderOptions = {
  now?: () => number;
  /** The configuration keys of the app's registration, named when Entra refuses its credential. */
  credentialKeys?: CredentialKeys;
  /**
   * Runs a token refresh so that no other instance sharing the token cache refreshes at the same time:
   * msal reads the cache, asks Entra, then writes the cache back, and two instances interleaving those
   * steps would each keep a cache the other overwrote.
   */
  serialize?: <T>(refresh: () => Promise<T>) => Promise<T>;
};

const REFRESH_MARGIN_MS = 5 * 60_000;

function createCachingProvider(
  audience: string,
  acquire: (force: boolean) => Promise<AuthenticationResult | null>,
  now: () => number,
): TokenProvider {
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let forceNext = false;
  let fetched = 0;

  const refresh = async (): Promise<string> => {
    const force = forceNext;
    forceNext = false;
    const result = await acquire(force);
    if (!result?.accessToken)
      throw new AuthError('token_request_failed', `no token was issued for ${audience}`);
    fetched += 1;
    const expiresAt = result.expiresOn?.getTime() ?? now() + 60_000;
    // Refresh at the margin, or halfway through lifetimes shorter than twice the margin.
    const lifetime = expiresAt - now();
    cached = { token: result.accessToken, refreshAt: expiresAt - Math.min(REFRESH_MARGIN_MS, lifetime / 2) };
    return result.accessToken;
  };

  return {
    audience,
    token() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      inFlight ??= refresh().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(refused) {
      if (refused !== undefined && cached?.token !== refused) return;
      cached = undefined;
      forceNext = true;
    },
    get fetched() {
      return fetched;
    },
  };
}

/** App-only (client credentials) tokens, e.g. for Dataverse and the webhook registration API. */
export function createAppTokenProvider(
  app: ConfidentialClientApplication,
  audience: string,
  options: TokenProviderOptions = {},
): TokenProvider {
  const scopes = [`${audience.replace(/\/$/, '')}/.default`];
  const keys = options.credentialKeys ?? UNPREFIXED_CREDENTIAL_KEYS;
  return createCachingProvider(
    audience,
    async (force) => {
      try {
        return await app.acquireTokenByClientCredential({ scopes, skipCache: force });
      } catch (error) {
        throw tokenFailure(audience, error, keys, 'confidential', app);
      }
    },
    options.now ?? Date.now,
  );
}

/**
 * Delegated (App+User) tokens redeemed silently from the signed-in user's refresh token, which msal
 * keeps in its cache (persisted, encrypted, by the cache plugin). The Referrals API accepts only these.
 */
export function createDelegatedTokenProvider(
  app: PublicClientApplication,
  audience: string,
  options: TokenProviderOptions = {},
): TokenProvider {
  const keys = options.credentialKeys ?? UNPREFIXED_CREDENTIAL_KEYS;
  const scopes = [`${audience.replace(/\/$/, '')}/user_impersonation`];
  return createCachingProvider(
    audience,
    (force) =>
      (options.serialize ?? ((refresh) => refresh()))(async () => {
        const [account] = await app.getTokenCache().getAllAccounts();
        if (!account) {
          throw new AuthError(
            'login_required',
            'no Partner Center user is signed in: run `referral-connector auth login` (device code)',
          );
        }
        try {
          return await app.acquireTokenSilent({ account, scopes, forceRefresh: force });
        } catch (error) {
          throw tokenFailure(audience, error, keys, 'public', app);
        }
      }),
    options.now ?? Date.now,
  );
}

/** An msal failure as an AuthError, classified by `classifyEntraFailure`; `app` words network failures. */
export function tokenFailure(
  audience: string,
  error: unknown,
  keys: CredentialKeys,
  client: 'confidential' | 'public',
  app?: object,
): AuthError {
  const failure = classifyEntraFailure(error);
  if (failure.kind === 'credential_rejected') {
    const { configKeys, advice } = describeCredentialFix(failure, keys, client);
    return new AuthError('credential_rejected', `${advice} (${describeMsalError(audience, error)})`, {
      cause: error,
      configKeys,
      entraCode: failure.entraCode,
    });
  }
  // An app-only request has no user sign-in to lose; such an answer is not one we understand.
  if (failure.kind === 'login_required' && client === 'public') {
    return new AuthError(
      'login_required',
      `the Partner Center sign-in has expired or was revoked (${failure.errorCode}): run \`referral-connector auth login\``,
      { cause: error },
    );
  }
  return unexplainedFailure(audience, error, app);
}

/**
 * A failure msal reported with a bare code: reworded with the URL and the fix when the app's network
 * client saw why (a TLS or DNS failure msal dropped), else msal's own words.
 */
export function unexplainedFailure(audience: string, error: unknown, app?: object): AuthError {
  const context = app ? msalAppContext(app) : undefined;
  const errorCode = (error as { errorCode?: unknown }).errorCode;
  const recent = context?.lastNetworkFailure();
  const explanation =
    context && typeof errorCode === 'string'
      ? explainMsalFailure(errorCode, {
          authority: context.authority,
          networkFailure: recent && Date.now() - recent.at < RECENT_FAILURE_MS ? recent : undefined,
        })
      : undefined;
  if (!explanation) {
    return new AuthError('token_request_failed', describeMsalError(audience, error), { cause: error });
  }
  // msal's error has no cause; give it the transport failure, so the chain reads down to the socket.
  if (recent?.error && error instanceof Error && error.cause === undefined) error.cause = recent.error;
  return new AuthError(
    'token_request_failed',
    `token for ${audience} failed: ${explanation.problem}; ${explanation.fix}`,
    { cause: error, fix: explanation.fix },
  );
}

/** A network failure msal reports comes from the request it made just before. */
const RECENT_FAILURE_MS = 60_000;

/** msal errors carry an AADSTS code and description; secrets never appear in them. */
export function describeMsalError(audience: string, error: unknown): string {
  const e = error as { errorCode?: string; errorMessage?: string; message?: string };
  const detail = (e.errorMessage ?? e.message ?? String(error)).split(/\r?\n/)[0];
  return `token for ${audience} failed: ${e.errorCode ?? 'error'}: ${detail}`;
}
