/**
 * What a token request asks for, read from the v2 `scope` parameter or the v1 `resource` (+ `scope`)
 * parameters. Pure; resolving the resource against the tenant happens later.
 *
 * Glossary: a *resource* is the API the access token is for (its App ID URI, e.g.
 * `https://api.partner.microsoft.com`, or its app id GUID); a *permission* is the name after the last
 * slash of a v2 scope (`user_impersonation`, `.default`); OpenID scopes name no resource.
 */
import { type EntraError, entraErrors } from './entra-error.ts';

export type TokenTarget = {
  /** The resource as requested, without a trailing slash; undefined when only OpenID scopes were asked for. */
  resource: string | undefined;
  /** v1 only: the `resource` parameter exactly as sent, which the v1 response echoes. */
  resourceAsSent?: string;
  /** Permission names on that resource, e.g. [".default"] or ["user_impersonation"]. */
  permissions: string[];
  openid: boolean;
  profile: boolean;
  email: boolean;
  offlineAccess: boolean;
};

const OPENID_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
/** Bare permission names ("User.Read") belong to Microsoft Graph, as on the real service. */
const GRAPH = 'https://graph.microsoft.com';

/** Reads a v2 `scope` parameter; exactly one resource may be named (AADSTS28000 otherwise). */
export function parseV2Scope(scope: string): TokenTarget | EntraError {
  const items = scope.split(/\s+/).filter((item) => item.length > 0);
  if (items.length === 0) return entraErrors.missingParameter('scope');
  const lower = new Set(items.map((item) => item.toLowerCase()));
  const resources = new Map<string, string>();
  const permissions: string[] = [];
  for (const item of items) {
    if (OPENID_SCOPES.has(item.toLowerCase())) continue;
    const slash = item.lastIndexOf('/');
    const resource = slash < 0 ? GRAPH : trimTrailingSlashes(item.slice(0, slash));
    const permission = slash < 0 ? item : item.slice(slash + 1);
    if (resource.length === 0 || permission.length === 0) return entraErrors.invalidScope(item);
    resources.set(resource.toLowerCase(), resource);
    permissions.push(permission);
  }
  if (resources.size > 1) return entraErrors.multipleResources(scope);
  const [resource] = resources.values();
  return {
    resource,
    permissions: resource === undefined ? [] : permissions,
    openid: lower.has('openid'),
    profile: lower.has('profile'),
    email: lower.has('email'),
    offlineAccess: lower.has('offline_access'),
  };
}

/**
 * Reads the v1 parameters: `resource` names the API; v1 grants every consented permission, so the
 * target is `.default`. `scope=openid` asks for an id_token; user flows always get a refresh token.
 */
export function parseV1Resource(resource: string, scope: string | undefined): TokenTarget {
  const scopes = new Set((scope ?? '').split(/\s+/).map((item) => item.toLowerCase()));
  return {
    resource: trimTrailingSlashes(resource.trim()),
    resourceAsSent: resource,
    permissions: ['.default'],
    openid: scopes.has('openid'),
    profile: scopes.has('profile'),
    email: scopes.has('email'),
    offlineAccess: true,
  };
}

export function trimTrailingSlashes(value: string): string {
  return value.replace(/\/+$/, '');
}
