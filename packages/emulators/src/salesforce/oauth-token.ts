/**
 * The token endpoint `POST /services/oauth2/token` (spec B1) for the two server-to-server flows:
 * client credentials (the connected app's Run As user; My Domain only) and the JWT bearer flow (an
 * RS256 assertion signed with the key of the certificate uploaded to the connected app, `iss` = consumer
 * key, `sub` = a pre-authorised username, `aud` = a login URL or the My Domain URL, `exp` within three
 * minutes). Success is a session id with `instance_url`, `id`, `issued_at` (epoch ms as a string) and
 * `signature`, and never `refresh_token` or `expires_in`. Errors are 400 `{error, error_description}`
 * with the strings real orgs answer.
 */
import { createHmac, type KeyObject, X509Certificate } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { Sessions } from './sessions.ts';

export type OrgUser = {
  id: string;
  username: string;
  /** Deactivated users cannot get sessions ("inactive user"). */
  active: boolean;
  /** Pre-authorised for the connected app (profile or permission set): needed for the JWT flow. */
  preAuthorized: boolean;
};

export type ConnectedApp = {
  /** Consumer key. */
  clientId: string;
  /** Consumer secret. */
  clientSecret: string;
  /** PEM of the certificate JWT assertions must be signed for ("Use digital signatures"). */
  certificatePem: string;
  clientCredentialsEnabled: boolean;
  /** The client credentials flow's Run As user; null when none is set. */
  runAsUsername: string | null;
};

export type TokenResponse = {
  access_token: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
  signature: string;
  scope: string;
};

export class OAuthError extends Error {
  readonly status = 400;
  readonly error: string;
  constructor(error: string, description: string) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
  }
  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Assertions may expire at most this far ahead [O]. */
const MAX_ASSERTION_LIFETIME_S = 180;

export type TokenContext = {
  /** Which host the request reached: the org's My Domain or the shared login host. */
  host: 'myDomain' | 'login';
  app: ConnectedApp;
  userByName(username: string): OrgUser | undefined;
  sessions: Sessions;
  now: number;
  myDomainUrl: string;
  orgId: string;
  /** What a JWT assertion's `aud` may be. */
  audiences: readonly string[];
};

const errors = {
  unknownClient: () => new OAuthError('invalid_client_id', 'client identifier invalid'),
  badSecret: () => new OAuthError('invalid_client', 'invalid client credentials'),
  wrongDomain: () => new OAuthError('invalid_grant', 'request not supported on this domain'),
  noRunAsUser: () => new OAuthError('invalid_grant', 'no client credentials user enabled'),
  notApproved: () => new OAuthError('invalid_grant', "user hasn't approved this consumer"),
  audience: () => new OAuthError('invalid_grant', 'audience is invalid'),
  assertion: () => new OAuthError('invalid_grant', 'invalid assertion'),
  expired: () => new OAuthError('invalid_grant', 'expired authorization code'),
  inactive: () => new OAuthError('invalid_grant', 'inactive user'),
  grantType: () => new OAuthError('unsupported_grant_type', 'grant type not supported'),
};

export async function requestToken(form: URLSearchParams, context: TokenContext): Promise<TokenResponse> {
  const grantType = form.get('grant_type');
  if (grantType === 'client_credentials') return clientCredentials(form, context);
  if (grantType === JWT_BEARER_GRANT) return jwtBearer(form.get('assertion') ?? '', context);
  throw errors.grantType();
}

function clientCredentials(form: URLSearchParams, context: TokenContext): TokenResponse {
  if (context.host !== 'myDomain') throw errors.wrongDomain();
  const { app } = context;
  if (form.get('client_id') !== app.clientId) throw errors.unknownClient();
  if (form.get('client_secret') !== app.clientSecret) throw errors.badSecret();
  if (!app.clientCredentialsEnabled) throw errors.grantType();
  const user = app.runAsUsername ? context.userByName(app.runAsUsername) : undefined;
  if (!user) throw errors.noRunAsUser();
  if (!user.active) throw errors.inactive();
  return issue(user, context);
}

async function jwtBearer(assertion: string, context: TokenContext): Promise<TokenResponse> {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    if (decodeProtectedHeader(assertion).alg !== 'RS256') throw errors.assertion();
    claims = decodeJwt(assertion);
  } catch {
    throw errors.assertion();
  }
  // The app is found by the consumer key in `iss`; its certificate then checks the signature.
  if (claims.iss !== context.app.clientId) throw errors.unknownClient();
  try {
    await compactVerify(assertion, publicKeyOf(context.app.certificatePem), {
      algorithms: ['RS256'],
    });
  } catch {
    throw errors.assertion();
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (
    !audiences.some((aud) => typeof aud === 'string' && context.audiences.includes(aud.replace(/\/$/, '')))
  ) {
    throw errors.audience();
  }
  const nowSeconds = Math.floor(context.now / 1000);
  if (typeof claims.exp !== 'number') throw errors.assertion();
  if (claims.exp <= nowSeconds) throw errors.expired();
  if (claims.exp > nowSeconds + MAX_ASSERTION_LIFETIME_S) throw errors.assertion();
  const user = typeof claims.sub === 'string' ? context.userByName(claims.sub) : undefined;
  if (!user) throw errors.assertion();
  if (!user.active) throw errors.inactive();
  if (!user.preAuthorized) throw errors.notApproved();
  return issue(user, context);
}

// Parsing a PEM costs far more than verifying with the parsed key; an app has one certificate at a time.
let parsedCertificate: { pem: string; key: KeyObject } | undefined;
function publicKeyOf(pem: string): KeyObject {
  if (parsedCertificate?.pem !== pem) parsedCertificate = { pem, key: new X509Certificate(pem).publicKey };
  return parsedCertificate.key;
}

function issue(user: OrgUser, context: TokenContext): TokenResponse {
  const session = context.sessions.issue(user, context.app.clientId);
  const id = `${context.myDomainUrl}/id/${context.orgId}/${user.id}`;
  const issuedAt = String(session.issuedAt);
  return {
    access_token: session.token,
    instance_url: context.myDomainUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    // As documented: HMAC-SHA256 of id + issued_at keyed with the consumer secret, base64.
    signature: createHmac('sha256', context.app.clientSecret)
      .update(id + issuedAt)
      .digest('base64'),
    scope: 'api',
  };
}
