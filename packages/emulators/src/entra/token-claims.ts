/**
 * The claims of the tokens the emulator issues, as Entra shapes them. Pure.
 *
 * Times follow Entra: `iat` and `nbf` are backdated five minutes (clock-skew allowance), `exp` is
 * the requested lifetime from now. v1 access tokens carry `appid`, `upn`, `unique_name` and `amr`;
 * v2 carry `azp`, `preferred_username` and no `amr` (plus `appid`, which our shared claim type needs).
 */
import { createHash } from 'node:crypto';
import type { AccessTokenClaims } from '../shared/access-tokens.ts';
import type { EntraApp, EntraResource, EntraUser } from './entra-state.ts';

export type ClientAuthentication = '0' | '1' | '2';

export type TokenSubject =
  | { kind: 'app'; app: EntraApp }
  | { kind: 'user'; app: EntraApp; user: EntraUser; amr: string[] };

export type ClaimContext = {
  tenantId: string;
  origin: string;
  /** Epoch seconds. */
  nowSeconds: number;
  lifetimeSeconds: number;
  /** Unique token id (`uti`). */
  uti: string;
  /** How the client proved itself: "0" public client, "1" secret, "2" certificate. */
  clientAuthentication: ClientAuthentication;
};

/** Extra claims Entra puts in tokens beyond the shared access-token type. */
export type EntraAccessTokenClaims = AccessTokenClaims & {
  uti: string;
  appidacr?: ClientAuthentication;
  azp?: string;
  azpacr?: ClientAuthentication;
  idp?: string;
  unique_name?: string;
  preferred_username?: string;
};

export type IdTokenClaims = {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  oid: string;
  sub: string;
  tid: string;
  ver: '1.0' | '2.0';
  name?: string;
  preferred_username?: string;
  email?: string;
  upn?: string;
  unique_name?: string;
  amr?: string[];
  /** Code flow: the authorize request's nonce, echoed. */
  nonce?: string;
  /** Code flow: app roles assigned to the user for this client; absent when none. */
  roles?: string[];
};

const SKEW_SECONDS = 300;

export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export function v2Issuer(origin: string, tenantId: string): string {
  return `${origin}/${tenantId}/v2.0`;
}

export function accessTokenClaims(
  subject: TokenSubject,
  resource: EntraResource,
  permissions: string[],
  context: ClaimContext,
): EntraAccessTokenClaims {
  const v1 = resource.accessTokenVersion === 1;
  const clientId = subject.app.clientId;
  const common = {
    aud: v1 ? resource.audience : (resource.appId ?? resource.audience),
    iss: v1 ? v1Issuer(context.tenantId) : v2Issuer(context.origin, context.tenantId),
    iat: context.nowSeconds - SKEW_SECONDS,
    nbf: context.nowSeconds - SKEW_SECONDS,
    exp: context.nowSeconds + context.lifetimeSeconds,
    tid: context.tenantId,
    appid: clientId,
    uti: context.uti,
    ...(v1
      ? { ver: '1.0' as const, appidacr: context.clientAuthentication }
      : { ver: '2.0' as const, azp: clientId, azpacr: context.clientAuthentication }),
  };
  if (subject.kind === 'app') {
    return {
      ...common,
      ...(v1 ? { idp: v1Issuer(context.tenantId) } : {}),
      idtyp: 'app',
      oid: subject.app.servicePrincipalId,
      sub: subject.app.servicePrincipalId,
      roles: [...permissions],
    };
  }
  const { user } = subject;
  return {
    ...common,
    oid: user.oid,
    sub: pairwiseSubject(user.oid, clientId),
    scp: permissions.join(' '),
    name: user.displayName,
    ...(v1
      ? { upn: user.username, unique_name: user.username, amr: [...subject.amr] }
      : { preferred_username: user.username }),
  };
}

/** The id_token of a user sign-in: its audience is the client, not the resource. */
export function idTokenClaims(
  version: 'v1' | 'v2',
  app: EntraApp,
  user: EntraUser,
  amr: string[],
  include: { profile: boolean; email: boolean },
  context: ClaimContext,
): IdTokenClaims {
  const base = {
    aud: app.clientId,
    iat: context.nowSeconds - SKEW_SECONDS,
    nbf: context.nowSeconds - SKEW_SECONDS,
    exp: context.nowSeconds + context.lifetimeSeconds,
    oid: user.oid,
    sub: pairwiseSubject(user.oid, app.clientId),
    tid: context.tenantId,
  };
  if (version === 'v1') {
    return {
      ...base,
      iss: v1Issuer(context.tenantId),
      ver: '1.0',
      amr: [...amr],
      name: user.displayName,
      upn: user.username,
      unique_name: user.username,
    };
  }
  return {
    ...base,
    iss: v2Issuer(context.origin, context.tenantId),
    ver: '2.0',
    ...(include.profile ? { name: user.displayName, preferred_username: user.username } : {}),
    ...(include.email ? { email: user.username } : {}),
  };
}

/** `sub` is pairwise: the same user has a different subject in each application. */
export function pairwiseSubject(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}:${clientId}`).digest('base64url').slice(0, 43);
}

/** The `client_info` MSAL asks for (`client_info=1`): base64url JSON of user id and tenant id. */
export function clientInfo(oid: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: tenantId })).toString('base64url');
}

/** v1 id_tokens from the token endpoint are unsigned JWTs (`alg: none`), as on the real service. */
export function unsignedJwt(claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ typ: 'JWT', alg: 'none' })}.${encode(claims)}.`;
}
