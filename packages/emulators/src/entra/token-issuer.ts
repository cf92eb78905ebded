/**
 * Mints the tokens of one successful grant and shapes the token-endpoint response: v1 (numbers as
 * strings, `expires_on`, `not_before`, `resource`) or v2 (numeric `expires_in`, prefixed scopes).
 */
import type { AccessTokenClaims, AccessTokens } from '../shared/access-tokens.ts';
import type { Random } from '../shared/random.ts';
import type { EntraResource, EntraState } from './entra-state.ts';
import {
  accessTokenClaims,
  type ClaimContext,
  type ClientAuthentication,
  clientInfo,
  idTokenClaims,
  type TokenSubject,
  unsignedJwt,
} from './token-claims.ts';
import type { TokenTarget } from './token-target.ts';

export type IssueRequest = {
  /** Endpoint version: decides the response shape (the resource decides the access-token format). */
  version: 'v1' | 'v2';
  subject: TokenSubject;
  resource: EntraResource;
  /** The resource as the client wrote it; v1 echoes it in `resource`. */
  requestedResource: string;
  /** Granted delegated scopes (user) or app roles (app). */
  permissions: string[];
  target: TokenTarget;
  /** MSAL's `client_info=1`. */
  clientInfo: boolean;
  clientAuthentication: ClientAuthentication;
  /** Epoch ms of the original sign-in, carried into rotated refresh tokens. */
  authTime?: number;
  /** Claims of an interactive sign-in's id_token (code flow). */
  idToken?: IdTokenExtras;
};

/** The authorize request's `nonce`, echoed, and the user's app roles for the client (absent when none). */
export type IdTokenExtras = { nonce?: string; roles?: string[] };

export type V1TokenResponse = {
  token_type: 'Bearer';
  scope?: string;
  expires_in: string;
  ext_expires_in: string;
  expires_on: string;
  not_before: string;
  resource: string;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
};

export type V2TokenResponse = {
  token_type: 'Bearer';
  scope?: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
};

export type TokenIssuer = {
  issue(request: IssueRequest): Promise<V1TokenResponse | V2TokenResponse>;
};

export function createTokenIssuer(deps: {
  state: EntraState;
  tokens: AccessTokens;
  now: () => number;
  origin: () => string;
  random: Random;
}): TokenIssuer {
  const { state, tokens } = deps;
  const mintUti = () =>
    Buffer.from(Array.from({ length: 16 }, () => deps.random.int(0, 255))).toString('base64url');

  return {
    async issue(request) {
      const nowMs = deps.now();
      const lifetimeSeconds = state.settings.tokenLifetimeSeconds;
      const context: ClaimContext = {
        tenantId: state.tenantId,
        origin: deps.origin(),
        nowSeconds: Math.floor(nowMs / 1000),
        lifetimeSeconds,
        uti: mintUti(),
        clientAuthentication: request.clientAuthentication,
      };
      const { subject, target } = request;
      const claims = accessTokenClaims(subject, request.resource, request.permissions, context);
      const accessToken = await tokens.sign(claims);

      let refreshToken: string | undefined;
      let idToken: string | undefined;
      if (subject.kind === 'user') {
        if (request.version === 'v1' || target.offlineAccess) {
          refreshToken = state.refreshTokens.issue(
            {
              clientId: subject.app.clientId,
              tenantId: state.tenantId,
              username: subject.user.username.toLowerCase(),
              amr: subject.amr,
              authTime: request.authTime ?? nowMs,
            },
            state.settings.refreshTokenLifetimeSeconds,
          );
        }
        if (target.openid) {
          const id = {
            ...idTokenClaims(request.version, subject.app, subject.user, subject.amr, target, {
              ...context,
              uti: mintUti(),
            }),
            ...(request.idToken?.nonce === undefined ? {} : { nonce: request.idToken.nonce }),
            ...(request.idToken?.roles?.length ? { roles: [...request.idToken.roles] } : {}),
          };
          // The shared signer is typed for access tokens; id tokens use the same key and header.
          idToken =
            request.version === 'v1'
              ? unsignedJwt(id)
              : await tokens.sign(id as unknown as AccessTokenClaims);
        }
      }
      const optional = {
        ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
        ...(idToken === undefined ? {} : { id_token: idToken }),
      };

      if (request.version === 'v1') {
        return {
          token_type: 'Bearer',
          ...(subject.kind === 'user' ? { scope: request.permissions.join(' ') } : {}),
          expires_in: String(lifetimeSeconds),
          ext_expires_in: String(lifetimeSeconds),
          expires_on: String(claims.exp),
          not_before: String(claims.nbf),
          resource: request.requestedResource,
          access_token: accessToken,
          ...optional,
        } satisfies V1TokenResponse;
      }
      return {
        token_type: 'Bearer',
        ...(subject.kind === 'user' ? { scope: v2ScopeText(request) } : {}),
        expires_in: lifetimeSeconds,
        ext_expires_in: lifetimeSeconds,
        access_token: accessToken,
        ...optional,
        ...(request.clientInfo && subject.kind === 'user'
          ? { client_info: clientInfo(subject.user.oid, state.tenantId) }
          : {}),
      } satisfies V2TokenResponse;
    },
  };
}

/** Granted scopes prefixed with the resource, then the OpenID scopes that were asked for. */
function v2ScopeText(request: IssueRequest): string {
  const prefix = request.resource.audience;
  const { target } = request;
  return [
    ...request.permissions.map((permission) => `${prefix}/${permission}`),
    ...(target.openid ? ['openid'] : []),
    ...(target.profile ? ['profile'] : []),
    ...(target.email ? ['email'] : []),
  ].join(' ');
}
