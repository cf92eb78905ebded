/**
 * The REST API resources under `/services/data/vXX.X/` (spec B3, B5, B6, B7), independent of the
 * transport: the HTTP layer has already checked the session and counted the call. Object names match
 * case-insensitively; path segments are percent-decoded once (so an external id value may hold `/`
 * as `%2F`). Every failure is a SalesforceError, rendered by the caller as the documented JSON array.
 */
import type { ApiLimits } from './api-limits.ts';
import { apiVersionLabel, LATEST_API_VERSION, OLDEST_API_VERSION } from './api-versions.ts';
import { describeGlobal, describeGlobalEntry, describeSObject } from './describe-sobject.ts';
import type { LeadOperations } from './lead-operations.ts';
import { parseJsonObject } from './lead-payload.ts';
import type { LeadStatuses } from './lead-statuses.ts';
import type { LeadTable, StoredLead } from './lead-table.ts';
import { batchSizeOf, type QueryCursors } from './query-cursors.ts';
import { deletedLeads, updatedLeads } from './replication-feeds.ts';
import { SalesforceError, salesforceErrors } from './salesforce-error.ts';
import { normalizeId } from './salesforce-ids.ts';
import type { Session } from './sessions.ts';
import { recordUrl, renderRecord } from './sobject-record.ts';
import type { FieldDef, SObjectType } from './sobject-type.ts';
import { runQuery } from './soql-evaluator.ts';
import { parseSoql } from './soql-parser.ts';

export type RestRequest = {
  method: string;
  /** The API version the URL names, e.g. "62.0". */
  apiVersion: string;
  /** Segments after `/services/data/vXX.X/`, percent-decoded, without empty trailing ones. */
  segments: string[];
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
  session: Session;
};

export type RestResponse = { status: number; headers?: Record<string, string>; body?: unknown };

export type RestApiContext = {
  leadType: () => SObjectType;
  statusType: SObjectType;
  operations: LeadOperations;
  table: LeadTable;
  statuses: LeadStatuses;
  cursors: QueryCursors;
  limits: ApiLimits;
  now: () => number;
  orgCreatedAt: number;
};

/** The first API version whose upsert answers 200 with `created` instead of 204 (spec B3). */
const UPSERT_BODY_VERSION = 46;

const ok = (body: unknown): RestResponse => ({ status: 200, body });

export function handleRest(request: RestRequest, context: RestApiContext): RestResponse {
  const { segments, method } = request;
  const [resource, ...rest] = segments;
  if (resource === undefined) return only(method, ['GET'], () => ok(resourcesOf(request.apiVersion)));
  switch (resource) {
    case 'sobjects':
      return sobjects(request, context, rest);
    case 'query':
    case 'queryAll':
      return only(method, ['GET'], () => query(request, context, rest, resource === 'queryAll'));
    case 'limits':
      if (rest.length > 0) throw salesforceErrors.notFound();
      return only(method, ['GET'], () => ok(limitsOf(context)));
    default:
      throw salesforceErrors.notFound();
  }
}

function only(method: string, allowed: string[], run: () => RestResponse): RestResponse {
  if (!allowed.includes(method)) throw salesforceErrors.methodNotAllowed(method, [...allowed, 'HEAD']);
  return run();
}

function sobjects(request: RestRequest, context: RestApiContext, rest: string[]): RestResponse {
  const { method, apiVersion } = request;
  const types = [context.leadType(), context.statusType];
  const [objectName, third, fourth, ...beyond] = rest;
  if (objectName === undefined) return only(method, ['GET'], () => ok(describeGlobal(types, apiVersion)));
  const type = types.find((candidate) => candidate.name.toLowerCase() === objectName.toLowerCase());
  if (!type || beyond.length > 0) throw salesforceErrors.notFound();
  const isLead = type.name === 'Lead';
  if (third === undefined) {
    return only(method, isLead ? ['GET', 'POST'] : ['GET'], () => {
      if (method === 'GET')
        return ok({ objectDescribe: describeGlobalEntry(type, apiVersion), recentItems: [] });
      const lead = context.operations.create(
        parseJsonObject(request.body, type.name),
        request.session.userId,
      );
      return {
        status: 201,
        headers: { Location: recordUrl(apiVersion, type.name, lead.Id) },
        body: { id: lead.Id, success: true, errors: [] },
      };
    });
  }
  if (fourth === undefined && third === 'describe')
    return only(method, ['GET'], () => ok(describeSObject(type, apiVersion)));
  if (!isLead) throw salesforceErrors.notFound();
  if (fourth === undefined && (third === 'updated' || third === 'deleted')) {
    return only(method, ['GET'], () =>
      ok(
        third === 'updated'
          ? updatedLeads(context.table, request.query, context.now())
          : deletedLeads(context.table, request.query, context.now(), context.orgCreatedAt),
      ),
    );
  }
  if (fourth === undefined) return byId(request, context, type, third);
  return byExternalId(request, context, type, third, fourth);
}

function byId(request: RestRequest, context: RestApiContext, type: SObjectType, rawId: string): RestResponse {
  const { method, apiVersion, session } = request;
  return only(method, ['GET', 'PATCH', 'DELETE'], () => {
    const id = normalizeId(rawId);
    if (!id?.startsWith(type.keyPrefix)) throw salesforceErrors.notFound();
    if (method === 'GET') {
      const lead = context.table.get(id);
      if (!lead) throw salesforceErrors.notFound();
      return ok(renderRecord(type, lead, fieldsParameter(request, type), apiVersion));
    }
    if (method === 'DELETE') {
      context.operations.remove(id, session.userId);
      return { status: 204 };
    }
    const body = parseJsonObject(request.body, type.name);
    context.operations.update(id, body, session.userId);
    return { status: 204 };
  });
}

function byExternalId(
  request: RestRequest,
  context: RestApiContext,
  type: SObjectType,
  fieldName: string,
  value: string,
): RestResponse {
  const { method, apiVersion, session } = request;
  return only(method, ['GET', 'PATCH', 'DELETE'], () => {
    if (method === 'PATCH') {
      const body = parseJsonObject(request.body, type.name);
      const updateOnly = request.query.get('updateOnly') === 'true';
      const result = context.operations.upsert(fieldName, value, body, session.userId, { updateOnly });
      if (result.outcome === 'multiple') return multipleChoices(result.ids, apiVersion, type);
      const created = result.outcome === 'created';
      const id = result.lead.Id;
      if (Number(apiVersion) < UPSERT_BODY_VERSION) {
        return created ? { status: 201, body: { id, success: true, errors: [] } } : { status: 204 };
      }
      return {
        status: created ? 201 : 200,
        ...(created ? { headers: { Location: recordUrl(apiVersion, type.name, id) } } : {}),
        body: { id, success: true, errors: [], created },
      };
    }
    const field = type.field(fieldName);
    if (!field?.externalId) throw salesforceErrors.notFound();
    const matches = context.table.findBy(field, value);
    if (matches.length > 1)
      return multipleChoices(
        matches.map((lead) => lead.Id),
        apiVersion,
        type,
      );
    const [lead] = matches as [StoredLead | undefined];
    if (!lead) throw salesforceErrors.notFound();
    if (method === 'DELETE') {
      context.operations.remove(lead.Id, session.userId);
      return { status: 204 };
    }
    return ok(renderRecord(type, lead, fieldsParameter(request, type), apiVersion));
  });
}

/** 300 Multiple Choices: the URLs of every record holding the external id value [O]. */
function multipleChoices(ids: string[], apiVersion: string, type: SObjectType): RestResponse {
  return { status: 300, body: ids.map((id) => recordUrl(apiVersion, type.name, id)) };
}

/** `?fields=A,B`: those fields in that order; absent, every field. */
function fieldsParameter(request: RestRequest, type: SObjectType): FieldDef[] {
  const list = request.query.get('fields');
  if (!list) return [...type.fields];
  return list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      const field = type.field(name);
      if (!field) throw salesforceErrors.noSuchColumnOnEntity(name, type.name);
      return field;
    });
}

function query(
  request: RestRequest,
  context: RestApiContext,
  rest: string[],
  includeDeleted: boolean,
): RestResponse {
  const batchSize = batchSizeOf(request.headers['sforce-query-options']);
  const [locator, ...beyond] = rest;
  if (beyond.length > 0) throw salesforceErrors.notFound();
  if (locator !== undefined) return ok(context.cursors.next(locator, request.apiVersion, batchSize));
  const text = request.query.get('q');
  if (!text) throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const parsed = parseSoql(text);
  const outcome = runQuery(
    parsed,
    (name) => {
      if (name.toLowerCase() === 'lead') {
        return {
          type: context.leadType(),
          rows: (deleted) => context.table.all({ includeDeleted: deleted }),
        };
      }
      if (name.toLowerCase() === 'leadstatus')
        return { type: context.statusType, rows: () => context.statuses.queryRows() };
      return undefined;
    },
    { includeDeleted, apiVersion: request.apiVersion, now: context.now() },
  );
  if (outcome.kind === 'count') return ok({ totalSize: outcome.totalSize, done: true, records: [] });
  return ok(context.cursors.first(outcome.records, request.apiVersion, batchSize));
}

function limitsOf(context: RestApiContext) {
  const { used, max } = context.limits.usage();
  return {
    DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
    DailyAsyncApexExecutions: { Max: 250_000, Remaining: 250_000 },
    DailyBulkApiBatches: { Max: 15_000, Remaining: 15_000 },
    DailyBulkV2QueryJobs: { Max: 10_000, Remaining: 10_000 },
    DailyStreamingApiEvents: { Max: 1_000_000, Remaining: 1_000_000 },
    DataStorageMB: { Max: 5, Remaining: 5 },
  };
}

function resourcesOf(apiVersion: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}`;
  return {
    limits: `${base}/limits`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    sobjects: `${base}/sobjects`,
  };
}

/** `GET /services/data/`: every version the org serves, oldest first. No session needed. */
export function versionsList(): Array<{ label: string; url: string; version: string }> {
  const versions = [];
  for (let major = OLDEST_API_VERSION; major <= LATEST_API_VERSION; major++) {
    const version = `${major}.0`;
    versions.push({ label: apiVersionLabel(major), url: `/services/data/v${version}`, version });
  }
  return versions;
}
