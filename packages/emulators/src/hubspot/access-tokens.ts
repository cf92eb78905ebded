/**
 * Bearer tokens the emulated portal accepts (spec C2): private-app tokens (`pat-na1-…`, no expiry), each
 * with its granted scopes, and OAuth-style access tokens that can expire (401 EXPIRED_AUTHENTICATION).
 * The well-known development token holds every scope; tests issue tokens with fewer.
 */
import type { Random } from '../shared/random.ts';
import { expiredAuthentication, type HubSpotError, invalidAuthentication } from './hubspot-error.ts';
import { OBJECT_NAMES } from './object-types.ts';

export type TokenKind = 'private-app' | 'oauth';

/** Every scope the emulated APIs check. */
export const ALL_SCOPES: readonly string[] = [
  ...OBJECT_NAMES.flatMap((name) => [
    `crm.objects.${name}.read`,
    `crm.objects.${name}.write`,
    `crm.schemas.${name}.read`,
    `crm.schemas.${name}.write`,
  ]),
  'crm.objects.owners.read',
];

export type TokenGrant = {
  token: string;
  kind: TokenKind;
  /** The app the token belongs to: its ten-second budget is its own. */
  appId: number;
  scopes: readonly string[];
  /** Epoch ms; only OAuth access tokens expire. */
  expiresAt?: number;
};

export type IssueTokenOptions = {
  scopes?: readonly string[];
  kind?: TokenKind;
  /** OAuth tokens only: lifetime from now. Default 1800 s, as `expires_in` of the token endpoint. */
  expiresInMs?: number;
  /** A token of its own choosing (e.g. a well-known one); default: a new random one. */
  token?: string;
};

export type TokenCheck = { ok: true; grant: TokenGrant } | { ok: false; error: HubSpotError };

export type TokenRegistry = {
  issue(options?: IssueTokenOptions): TokenGrant;
  revoke(token: string): boolean;
  check(authorization: string | undefined): TokenCheck;
  grants(): TokenGrant[];
};

export function createTokenRegistry(options: { random: Random; now: () => number }): TokenRegistry {
  const { random } = options;
  const grants = new Map<string, TokenGrant>();
  let nextAppId = 3_000_000 + random.int(0, 999_999);

  return {
    issue(issue = {}) {
      const kind = issue.kind ?? 'private-app';
      const scopes = [...(issue.scopes ?? ALL_SCOPES)];
      const unknown = scopes.filter((scope) => !ALL_SCOPES.includes(scope));
      if (unknown.length > 0) throw new TypeError(`unknown HubSpot scopes: ${unknown.join(', ')}`);
      const token = issue.token ?? (kind === 'oauth' ? oauthToken(random) : `pat-na1-${random.uuid()}`);
      nextAppId += random.int(1, 99);
      const grant: TokenGrant = {
        token,
        kind,
        appId: nextAppId,
        scopes,
        ...(kind === 'oauth' ? { expiresAt: options.now() + (issue.expiresInMs ?? 1_800_000) } : {}),
      };
      grants.set(token, grant);
      return { ...grant };
    },
    revoke: (token) => grants.delete(token),
    check(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
      const grant = match?.[1] ? grants.get(match[1]) : undefined;
      if (!grant) return { ok: false, error: invalidAuthentication() };
      if (grant.expiresAt !== undefined && grant.expiresAt <= options.now())
        return { ok: false, error: expiredAuthentication(grant.expiresAt, options.now()) };
      return { ok: true, grant };
    },
    grants: () => [...grants.values()].map((grant) => ({ ...grant })),
  };
}

/** OAuth access tokens are opaque, ~150–300 characters of URL-safe base64 (spec C2). */
function oauthToken(random: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return `C${Array.from({ length: 160 }, () => alphabet[random.int(0, 63)]).join('')}`;
}
