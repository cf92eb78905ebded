/**
 * Salesforce sessions for the connector (spec crm.md §B1): OAuth 2.0 client credentials (the app's Run As
 * user) or the JWT bearer flow (an RS256 assertion signed with the app's certificate key). The answer has
 * no lifetime: a session lives until it idles out or is revoked, so it is kept until a call answers 401.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { TokenProvider } from '../../auth/token-provider.ts';
import type { HttpClient, HttpResponse } from '../../net/http-client.ts';
import { TransportError } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';

export type SalesforceGrant =
  | { kind: 'client_credentials'; clientId: string; clientSecret: string }
  | { kind: 'jwt_bearer'; clientId: string; username: string; privateKeyPem: string; audience: string };

export type SalesforceTokenOptions = {
  /** My Domain URL: client credentials are refused anywhere else. */
  instanceUrl: string;
  grant: SalesforceGrant;
  http: HttpClient;
  now?: () => number;
};

/** The JWT bearer flow wants a short-lived assertion (≤ 3 minutes in practice). */
const ASSERTION_LIFETIME_S = 180;

export function createSalesforceTokenProvider(options: SalesforceTokenOptions): TokenProvider {
  const now = options.now ?? Date.now;
  const tokenUrl = `${options.instanceUrl.replace(/\/$/, '')}/services/oauth2/token`;
  const key: KeyObject | undefined =
    options.grant.kind === 'jwt_bearer' ? createPrivateKey(options.grant.privateKeyPem) : undefined;
  let cached: string | undefined;
  let inFlight: Promise<string> | undefined;
  let fetched = 0;

  const form = (): URLSearchParams => {
    const { grant } = options;
    if (grant.kind === 'client_credentials') {
      return new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: grant.clientId,
        client_secret: grant.clientSecret,
      });
    }
    const issuedAt = Math.floor(now() / 1000);
    const assertion = signJwt(
      { iss: grant.clientId, sub: grant.username, aud: grant.audience, exp: issuedAt + ASSERTION_LIFETIME_S },
      key as KeyObject,
    );
    return new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
  };

  const request = async (): Promise<string> => {
    let response: HttpResponse;
    try {
      response = await options.http.send({
        method: 'POST',
        url: tokenUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form().toString(),
      });
    } catch (error) {
      if (error instanceof TransportError) {
        throw new RemoteError({
          remote: 'salesforce',
          disposition: error.code === 'tls' ? 'dead_letter' : 'retry',
          code: `salesforce_${error.code}`,
          message: `token request: ${error.message}`,
          cause: error,
        });
      }
      throw error;
    }
    const body = parseBody(response);
    if (response.status === 200 && typeof body.access_token === 'string') {
      fetched += 1;
      return body.access_token;
    }
    throw classifyTokenFailure(response.status, body, options.grant.kind);
  };

  return {
    audience: options.instanceUrl,
    token() {
      if (cached) return Promise.resolve(cached);
      inFlight ??= request()
        .then((token) => {
          cached = token;
          return token;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
    invalidate(refused) {
      if (refused !== undefined && cached !== refused) return;
      cached = undefined;
    },
    get fetched() {
      return fetched;
    },
  };
}

function parseBody(response: HttpResponse): Record<string, unknown> {
  try {
    const body = response.json();
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Refused credentials are configuration: retrying cannot help until a person fixes the named key. */
function classifyTokenFailure(
  status: number,
  body: Record<string, unknown>,
  grant: SalesforceGrant['kind'],
): RemoteError {
  const error = typeof body.error === 'string' ? body.error : undefined;
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  const what = `token request answered ${status}${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}`;
  if (status >= 500 || status === 429 || status === 408) {
    return new RemoteError({
      remote: 'salesforce',
      disposition: 'retry',
      code: 'salesforce_unavailable',
      status,
      message: what,
    });
  }
  const keys =
    grant === 'client_credentials'
      ? 'check crm.salesforce.clientId and crm.salesforce.clientSecret, the app’s Run As user, and that crm.salesforce.instanceUrl is the My Domain URL'
      : 'check crm.salesforce.clientId, crm.salesforce.username (pre-authorised for the app), crm.salesforce.privateKeyFile (its certificate uploaded to the app) and crm.salesforce.jwtAudience';
  return new RemoteError({
    remote: 'salesforce',
    disposition: 'dead_letter',
    code: 'salesforce_credentials_refused',
    status,
    remoteCode: error,
    message: `${what}; ${keys}`,
  });
}

function signJwt(claims: Record<string, unknown>, key: KeyObject): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}
