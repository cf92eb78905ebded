/**
 * Which scopes each endpoint needs (spec C2): object reads and writes their object's
 * `crm.objects.<object>.read|write`, associations the scopes of both ends, property definitions
 * `crm.schemas.<object>.read` (or the object's read scope), new properties `crm.schemas.<object>.write`,
 * pipelines the object's read scope. A requirement lists scopes of which any one suffices, as HubSpot's
 * 403 `requiredGranularScopes` does; an endpoint may have several requirements (both ends).
 */
import type { TokenGrant } from './access-tokens.ts';
import { type HubSpotError, missingScopes } from './hubspot-error.ts';
import { resolveObjectType } from './object-types.ts';

export type ScopeRequirement = readonly string[];
/** Route config: the requirements of a request, from its URL parameters. */
export type ScopeRule = (params: Record<string, string>) => readonly ScopeRequirement[];

const objectScope = (segment: string | undefined, access: 'read' | 'write') =>
  `crm.objects.${resolveObjectType(segment ?? '').name}.${access}`;

/** The object named by `objectType` (or each of `paramNames`), read or written. */
export function objectScopes(access: 'read' | 'write', ...paramNames: string[]): ScopeRule {
  const names = paramNames.length > 0 ? paramNames : ['objectType'];
  return (params) => names.map((name) => [objectScope(params[name], access)]);
}

export function schemaScopes(access: 'read' | 'write'): ScopeRule {
  return (params) => {
    const { name } = resolveObjectType(params.objectType ?? '');
    return access === 'read'
      ? [[`crm.schemas.${name}.read`, `crm.objects.${name}.read`]]
      : [[`crm.schemas.${name}.write`]];
  };
}

/** The 403 for the first requirement the token does not meet, if any. */
export function checkScopes(
  grant: TokenGrant,
  requirements: readonly ScopeRequirement[],
): HubSpotError | undefined {
  const missing = requirements.find((anyOf) => !anyOf.some((scope) => grant.scopes.includes(scope)));
  return missing ? missingScopes(missing) : undefined;
}
