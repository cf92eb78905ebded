/**
 * What the Web API does to leads, independent of HTTP: create, update, the PATCH-upsert matrix of
 * If-Match / If-None-Match (spec A5), delete, QualifyLead, and the status rules (A4). Used by the HTTP
 * routes, by `$batch`, and by the control API (a seller editing a lead in the CRM UI).
 */
import type { Random } from '../shared/random.ts';
import { DATAVERSE_CODES, DataverseError, notFound, payloadError, queryError } from './dataverse-error.ts';
import { type Payload, type PayloadContext, readPayload } from './entity-payload.ts';
import type { EntitySchema, Row } from './entity-schema.ts';
import { findRejection, type LeadRejectionRule } from './lead-rejection-rules.ts';
import {
  invalidPairMessage,
  isClosed,
  isValidPair,
  LEAD_STATES,
  QUALIFIED,
  type StatusDecision,
  statusOnCreate,
  statusOnUpdate,
} from './lead-status.ts';
import type { LeadRecord, LeadTable } from './lead-table.ts';
import type { KeyPredicate, KeyValue } from './odata-resource-path.ts';

export type Conditions = { ifMatch?: string; ifNoneMatch?: string };
export type WriteResult = { row: LeadRecord; created: boolean };
export type Actor = { systemUserId: string };

export type QualifyResult = {
  row: LeadRecord;
  created: Array<{ entity: 'account' | 'contact' | 'opportunity'; id: string }>;
};

export type LeadOperations = {
  find(key: KeyPredicate): LeadRecord | undefined;
  create(body: unknown, actor: Actor): LeadRecord;
  /** PATCH on a key: update, or create when missing, as the conditions allow. */
  upsert(key: KeyPredicate, body: unknown, conditions: Conditions, actor: Actor): WriteResult;
  /** An update that must not create (the control API's seller edit). */
  update(id: string, body: unknown): LeadRecord;
  remove(key: KeyPredicate, conditions?: Conditions): LeadRecord;
  qualify(key: KeyPredicate, parameters: unknown): QualifyResult;
  /** The 404 the service answers for a key that addresses no row. */
  missing(key: KeyPredicate): DataverseError;
};

export function createLeadOperations(options: {
  table: LeadTable;
  schema: EntitySchema;
  random: Random;
  payload: PayloadContext;
  baseCurrencyId: string;
  /** Plug-in rules checked on every create and update (not on QualifyLead). */
  rejectionRules?: () => readonly LeadRejectionRule[];
}): LeadOperations {
  const { table, schema, random } = options;

  // Pre-operation stage: the row as it would be stored, before anything is written.
  const runPlugins = (row: Row): void => {
    const rejection = findRejection(options.rejectionRules?.() ?? [], row);
    if (rejection) throw new DataverseError(400, DATAVERSE_CODES.pluginAborted, rejection.message);
  };

  const find = (key: KeyPredicate): LeadRecord | undefined => {
    const normalized = normalizeKey(key, schema);
    return normalized.kind === 'id' ? table.get(normalized.id) : table.findByKey(normalized.values);
  };

  const missing = (key: KeyPredicate): DataverseError => {
    const normalized = normalizeKey(key, schema);
    if (normalized.kind === 'id') return notFound(schema.logicalName, normalized.id);
    return new DataverseError(
      404,
      DATAVERSE_CODES.objectDoesNotExist,
      `A record with the specified key values does not exist in ${schema.logicalName} entity`,
    );
  };

  const insert = (payload: Payload, extra: Row, actor: Actor): LeadRecord => {
    const decision = statusOnCreate(payload);
    const leadid =
      (payload.columns.leadid as string | null | undefined) ??
      (extra.leadid as string | undefined) ??
      random.uuid();
    const status = statusOf(decision, leadid);
    const columns: Row = { ...extra, ...payload.columns, leadid };
    if (columns._ownerid_value === undefined || columns._ownerid_value === null)
      columns._ownerid_value = actor.systemUserId;
    if (
      columns.estimatedamount !== undefined &&
      columns.estimatedamount !== null &&
      !columns._transactioncurrencyid_value
    ) {
      columns._transactioncurrencyid_value = options.baseCurrencyId;
    }
    runPlugins({ ...columns, ...status });
    return table.insert({ ...columns, ...status });
  };

  const applyUpdate = (current: LeadRecord, payload: Payload): LeadRecord => {
    const decision = statusOnUpdate(current, payload);
    const status = statusOf(decision, current.leadid);
    const changesData = Object.keys(payload.columns).length > 0;
    if (isClosed(current) && changesData && status.statecode !== 0) throw closedLead(current);
    runPlugins({ ...current, ...payload.columns, ...status });
    return table.update(current.leadid, { ...payload.columns, ...status });
  };

  const checkConditions = (current: LeadRecord | undefined, key: KeyPredicate, conditions: Conditions) => {
    const { ifMatch, ifNoneMatch } = conditions;
    if (ifMatch !== undefined) {
      if (!current) throw missing(key);
      if (ifMatch.trim() !== '*' && !etagMatches(ifMatch, current.versionnumber)) throw versionMismatch();
    }
    if (ifNoneMatch !== undefined && current) {
      if (ifNoneMatch.trim() === '*' || etagMatches(ifNoneMatch, current.versionnumber)) {
        throw new DataverseError(
          412,
          DATAVERSE_CODES.duplicateRecord,
          'A record with matching key values already exists.',
        );
      }
    }
  };

  return {
    find,
    missing,
    create(body, actor) {
      return insert(readPayload(body, options.payload), {}, actor);
    },
    upsert(key, body, conditions, actor) {
      const normalized = normalizeKey(key, schema);
      const current = find(normalized);
      checkConditions(current, normalized, conditions);
      const payload = readPayload(body, options.payload);
      if (current) {
        // Key columns in the body are dropped on update (upsert guide).
        const keyColumns =
          normalized.kind === 'id'
            ? [schema.primaryKey]
            : [schema.primaryKey, ...Object.keys(normalized.values)];
        for (const column of keyColumns) delete payload.columns[column];
        return { row: applyUpdate(current, payload), created: false };
      }
      const fromUrl: Row = normalized.kind === 'id' ? { leadid: normalized.id } : { ...normalized.values };
      if (normalized.kind === 'id') delete payload.columns.leadid;
      return { row: insert(payload, fromUrl, actor), created: true };
    },
    update(id, body) {
      const current = table.get(id);
      if (!current) throw notFound(schema.logicalName, id);
      const payload = readPayload(body, options.payload);
      delete payload.columns.leadid;
      return applyUpdate(current, payload);
    },
    remove(key, conditions = {}) {
      const current = find(key);
      if (!current) throw missing(key);
      if (
        conditions.ifMatch &&
        conditions.ifMatch.trim() !== '*' &&
        !etagMatches(conditions.ifMatch, current.versionnumber)
      ) {
        throw versionMismatch();
      }
      table.remove(current.leadid);
      return current;
    },
    qualify(key, parameters) {
      const current = find(key);
      if (!current) throw missing(key);
      const request = readQualifyParameters(parameters);
      if (isClosed(current)) {
        throw new DataverseError(
          400,
          DATAVERSE_CODES.invalidArgument,
          'The lead is closed. You cannot convert or qualify a lead that is already closed.',
        );
      }
      if (!isValidPair(QUALIFIED, request.status)) {
        throw new DataverseError(
          400,
          DATAVERSE_CODES.invalidStateStatus,
          invalidPairMessage(QUALIFIED, request.status, current.leadid),
        );
      }
      const created: QualifyResult['created'] = [];
      const changes: Row = { statecode: QUALIFIED, statuscode: request.status };
      if (request.createAccount) {
        const id = random.uuid();
        created.push({ entity: 'account', id });
        changes._parentaccountid_value = id;
      }
      if (request.createContact) {
        const id = random.uuid();
        created.push({ entity: 'contact', id });
        changes._parentcontactid_value = id;
      }
      if (request.createOpportunity) {
        const id = random.uuid();
        created.push({ entity: 'opportunity', id });
        changes._qualifyingopportunityid_value = id;
      }
      return { row: table.update(current.leadid, changes), created };
    },
  };
}

function normalizeKey(key: KeyPredicate, schema: EntitySchema): KeyPredicate {
  if (key.kind === 'id') return key;
  const names = Object.keys(key.values);
  const primary = key.values[schema.primaryKey];
  if (names.length === 1 && typeof primary === 'string') return { kind: 'id', id: primary.toLowerCase() };
  const expected = [...schema.alternateKey].sort();
  if (names.length !== expected.length || [...names].sort().some((n, i) => n !== expected[i])) {
    throw queryError(
      `The key defined by the attribute(s) ${names.join(', ')} is not a valid alternate key of the '${schema.logicalName}' entity.`,
    );
  }
  const values: Record<string, KeyValue> = {};
  for (const name of names) {
    const value = key.values[name];
    if (typeof value !== 'string') throw queryError(`The key value of '${name}' must be a string literal.`);
    const column = schema.columns.get(name);
    if (column?.maxLength !== undefined && value.length > column.maxLength) {
      throw queryError(`The key value of '${name}' exceeds the maximum length of ${column.maxLength}.`);
    }
    values[name] = value;
  }
  return { kind: 'alternate', values };
}

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

function etagMatches(header: string, version: number): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === etagOf(version) || tag === `"${version}"`);
}

function versionMismatch(): DataverseError {
  return new DataverseError(
    412,
    DATAVERSE_CODES.concurrencyVersionMismatch,
    "The version of the existing record doesn't match the RowVersion property provided.",
  );
}

function closedLead(row: LeadRecord): DataverseError {
  const state = LEAD_STATES[row.statecode] ?? String(row.statecode);
  return new DataverseError(
    400,
    DATAVERSE_CODES.invalidArgument,
    `The lead is ${state.toLowerCase()} and is read-only. Reopen it (statecode 0) before changing other columns.`,
  );
}

function statusOf(decision: StatusDecision, leadid: string): { statecode: number; statuscode: number } {
  if (decision.ok) return decision.status;
  const violation = decision.violation;
  if (violation.kind === 'statecode-on-create') {
    throw new DataverseError(
      400,
      DATAVERSE_CODES.invalidArgument,
      "The 'statecode' attribute is not valid for create. A lead is created Open; change its state with an update.",
    );
  }
  if (violation.kind === 'unknown-state') {
    throw new DataverseError(
      400,
      DATAVERSE_CODES.invalidStateStatus,
      `${violation.statecode} is not a valid state code on lead with Id ${leadid}.`,
    );
  }
  throw new DataverseError(
    400,
    DATAVERSE_CODES.invalidStateStatus,
    invalidPairMessage(violation.statecode, violation.statuscode, leadid),
  );
}

type QualifyParameters = {
  createAccount: boolean;
  createContact: boolean;
  createOpportunity: boolean;
  status: number;
};

const QUALIFY_PARAMETERS = new Set([
  'CreateAccount',
  'CreateContact',
  'CreateOpportunity',
  'Status',
  'OpportunityCurrencyId',
  'OpportunityCustomerId',
  'SourceCampaignId',
  'ProcessInstanceId',
  'SuppressDuplicateDetection',
]);

function readQualifyParameters(body: unknown): QualifyParameters {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw payloadError('leads', 'The action QualifyLead needs a JSON object of parameters.');
  }
  const input = body as Record<string, unknown>;
  for (const name of Object.keys(input)) {
    if (!QUALIFY_PARAMETERS.has(name)) {
      throw payloadError(
        'leads',
        `The parameter '${name}' in the request payload is not a valid parameter for the operation 'QualifyLead'.`,
      );
    }
  }
  const flag = (name: string): boolean => {
    const value = input[name];
    if (typeof value !== 'boolean')
      throw payloadError(
        'leads',
        `The parameter '${name}' of 'QualifyLead' is required and must be a Boolean.`,
      );
    return value;
  };
  const status = input.Status;
  if (typeof status !== 'number' || !Number.isInteger(status)) {
    throw payloadError('leads', "The parameter 'Status' of 'QualifyLead' is required and must be an Int32.");
  }
  return {
    createAccount: flag('CreateAccount'),
    createContact: flag('CreateContact'),
    createOpportunity: flag('CreateOpportunity'),
    status,
  };
}
