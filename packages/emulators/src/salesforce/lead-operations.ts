/**
 * What can happen to a lead, whoever asks (the REST API or a seller through the control API): create,
 * update, upsert by an external id, delete, and conversion. Each checks its input like the org does
 * (payload rules, State and Country picklists, converted leads are read-only) before the table stores it.
 */

import { readLeadPayload } from './lead-payload.ts';
import type { LeadStatuses } from './lead-statuses.ts';
import type { FieldValue, LeadTable, StoredLead } from './lead-table.ts';
import { salesforceErrors } from './salesforce-error.ts';
import { type IdFactory, KEY_PREFIXES } from './salesforce-ids.ts';
import { formatDate } from './salesforce-time.ts';
import type { SObjectType } from './sobject-type.ts';
import { applyStateAndCountry } from './state-country-picklists.ts';

export type UpsertOutcome =
  | { outcome: 'created' | 'updated'; lead: StoredLead }
  | { outcome: 'multiple'; ids: string[] };

export type ConvertParameters = {
  /** A LeadStatus with IsConverted; default the org's first converted status. */
  convertedStatus?: string;
  doNotCreateOpportunity?: boolean;
};

export type LeadOperations = {
  create(body: Record<string, unknown>, writerId: string): StoredLead;
  update(id: string, body: Record<string, unknown>, writerId: string): StoredLead;
  /** `field` is the external id named in the URL; `value` its percent-decoded value. */
  upsert(
    field: string,
    value: string,
    body: Record<string, unknown>,
    writerId: string,
    options?: { updateOnly?: boolean },
  ): UpsertOutcome;
  /** A live lead, or NOT_FOUND / ENTITY_IS_DELETED. */
  find(id: string): StoredLead;
  remove(id: string, writerId: string): void;
  convert(id: string, parameters: ConvertParameters, writerId: string): StoredLead;
};

export function createLeadOperations(options: {
  type: () => SObjectType;
  table: LeadTable;
  statuses: LeadStatuses;
  ids: IdFactory;
  stateCountryPicklists: () => boolean;
  now: () => number;
}): LeadOperations {
  const { table, statuses, ids } = options;

  const withDerived = (
    changes: Record<string, FieldValue>,
    current: StoredLead | undefined,
    mode: 'create' | 'update',
  ): Record<string, FieldValue> => {
    const checked = options.stateCountryPicklists() ? applyStateAndCountry(changes, current, mode) : changes;
    if (!('FirstName' in checked) && !('LastName' in checked)) return checked;
    const first = 'FirstName' in checked ? checked.FirstName : current?.FirstName;
    const last = 'LastName' in checked ? checked.LastName : current?.LastName;
    return { ...checked, Name: [first, last].filter((part) => typeof part === 'string' && part).join(' ') };
  };

  const find = (id: string): StoredLead => {
    const row = table.getAny(id);
    if (!row) throw salesforceErrors.notFound();
    if (row.IsDeleted) throw salesforceErrors.entityIsDeleted();
    return row;
  };

  const create = (body: Record<string, unknown>, writerId: string): StoredLead => {
    const changes = readLeadPayload(body, { type: options.type(), mode: 'create', statuses });
    const row: Record<string, FieldValue> = {
      Status: statuses.defaultStatus(),
      OwnerId: writerId,
      IsConverted: false,
      IsUnreadByOwner: true,
      HasOptedOutOfEmail: false,
      DoNotCall: false,
      ...withDerived(changes, undefined, 'create'),
      Id: ids.next(KEY_PREFIXES.Lead),
    };
    if (row.Status === null) row.Status = statuses.defaultStatus();
    return table.insert(row, writerId);
  };

  const update = (id: string, body: Record<string, unknown>, writerId: string): StoredLead => {
    const current = find(id);
    if (current.IsConverted) throw salesforceErrors.cannotUpdateConvertedLead();
    const changes = readLeadPayload(body, { type: options.type(), mode: 'update', statuses });
    return table.update(id, withDerived(changes, current, 'update'), writerId);
  };

  return {
    create,
    update,
    find,
    upsert(fieldName, value, body, writerId, upsertOptions = {}) {
      const type = options.type();
      const field = type.field(fieldName);
      if (!field?.externalId) throw salesforceErrors.notFound();
      if (Object.keys(body).some((name) => name.toLowerCase() === field.name.toLowerCase())) {
        throw salesforceErrors.externalIdInBody(field.name);
      }
      const matches = table.findBy(field, value);
      if (matches.length > 1) return { outcome: 'multiple', ids: matches.map((row) => row.Id) };
      const [match] = matches;
      if (match) return { outcome: 'updated', lead: update(match.Id, body, writerId) };
      if (upsertOptions.updateOnly) throw salesforceErrors.notFound();
      return { outcome: 'created', lead: create({ ...body, [field.name]: value }, writerId) };
    },
    remove(id, writerId) {
      find(id);
      table.remove(id, writerId);
    },
    convert(id, parameters, writerId) {
      const current = find(id);
      if (current.IsConverted) throw salesforceErrors.cannotUpdateConvertedLead();
      const status = parameters.convertedStatus ?? statuses.defaultConvertedStatus();
      if (!statuses.isConverted(status)) throw salesforceErrors.invalidConvertedStatus(status);
      return table.update(
        id,
        {
          IsConverted: true,
          Status: status,
          ConvertedDate: formatDate(options.now()),
          ConvertedAccountId: ids.next(KEY_PREFIXES.Account),
          ConvertedContactId: ids.next(KEY_PREFIXES.Contact),
          ConvertedOpportunityId: parameters.doNotCreateOpportunity
            ? null
            : ids.next(KEY_PREFIXES.Opportunity),
        },
        writerId,
      );
    },
  };
}
