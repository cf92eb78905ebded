/**
 * What the application user's security roles allow on `lead` (spec entra-oidc-and-metadata.md B5): the
 * privileges a role grants by name (`prv` + verb + table), the check each lead operation makes, and
 * `RetrieveUserSetOfPrivilegesByNames`, through which a client asks which of them it holds. Only lead
 * privileges are modelled; every other privilege counts as held, at Global depth.
 */
import { type ApiRequest, type ApiResponse, type Caller, jsonResponse } from './api-message.ts';
import { DATAVERSE_CODES, DataverseError, notFound, queryError } from './dataverse-error.ts';
import type { ResourcePath } from './odata-resource-path.ts';

export const LEAD_PRIVILEGES = [
  'prvCreateLead',
  'prvReadLead',
  'prvWriteLead',
  'prvDeleteLead',
  'prvAppendLead',
  'prvAppendToLead',
] as const;
export type LeadPrivilege = (typeof LEAD_PRIVILEGES)[number];

const FUNCTION = /^Microsoft\.Dynamics\.CRM\.RetrieveUserSetOfPrivilegesByNames\(PrivilegeNames=(.+)\)$/;

export type LeadPrivilegesOptions = {
  serviceRoot: () => string;
  businessUnitId: string;
  /** The lead privileges application users hold now. */
  held: () => ReadonlySet<string>;
  /** Application users' systemuserids. */
  isApplicationUser: (systemUserId: string) => boolean;
};

export function createLeadPrivileges(options: LeadPrivilegesOptions) {
  const holds = (name: string) =>
    !(LEAD_PRIVILEGES as readonly string[]).includes(name) || options.held().has(name);

  return {
    /** Throws the platform's 403 when the caller's roles lack `privilege` (the operation is `method`). */
    require(caller: Caller, privilege: LeadPrivilege, method: string): void {
      if (holds(privilege)) return;
      throw new DataverseError(
        403,
        DATAVERSE_CODES.privilegeMissing,
        `Principal user (Id=${caller.systemUserId}, type=8, roleCount=1, privilegeCount=${options.held().size}, accessMode=4), ` +
          `is missing ${privilege} privilege (Id=${privilegeId(privilege)}) on OTC=4 for entity 'lead'. Context: Method=${method}`,
      );
    },

    /** `systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p)?@p=[…]`. */
    handle(request: ApiRequest, resource: ResourcePath): ApiResponse {
      if (resource.key?.kind !== 'id') throw queryError('systemusers are addressed by their id.');
      const [call, ...rest] = resource.rest;
      const match = call ? FUNCTION.exec(call) : null;
      if (!match || rest.length > 0)
        throw queryError(`Resource not found for the segment '${call ?? ''}'.`, 404);
      if (request.method !== 'GET')
        throw queryError(`The requested resource does not support http method '${request.method}'.`, 405);
      if (!options.isApplicationUser(resource.key.id)) throw notFound('systemuser', resource.key.id);
      const names = privilegeNames(match[1] ?? '', new URLSearchParams(request.query));
      return jsonResponse(200, {
        '@odata.context': `${options.serviceRoot()}/$metadata#Microsoft.Dynamics.CRM.RetrieveUserSetOfPrivilegesByNamesResponse`,
        RolePrivileges: names.filter(holds).map((name) => ({
          Depth: 'Global',
          PrivilegeId: privilegeId(name),
          BusinessUnitId: options.businessUnitId,
          PrivilegeName: name,
        })),
      });
    },
  };
}

/** The parameter inline (`["prvReadLead"]`) or as a parameter alias (`@p`, its value in the query). */
function privilegeNames(argument: string, query: URLSearchParams): string[] {
  const raw = argument.startsWith('@') ? query.get(argument) : argument;
  if (raw === null) throw queryError(`The parameter alias '${argument}' has no value in the query.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.replaceAll("'", '"'));
  } catch {
    throw queryError('PrivilegeNames must be a JSON array of privilege names.');
  }
  if (!Array.isArray(parsed) || !parsed.every((name) => typeof name === 'string'))
    throw queryError('PrivilegeNames must be a JSON array of privilege names.');
  return parsed;
}

/** Privilege ids are fixed per organization; derived from the name, they stay stable. */
function privilegeId(name: string): string {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  const hex = hash.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}
