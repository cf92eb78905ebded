/**
 * The Web API resources the emulator serves, as one handler over ApiRequest/ApiResponse: `leads`
 * (CRUD, PATCH-upsert, QualifyLead, queries, paging, change tracking; each checked against the caller's
 * lead privileges), the read-only `transactioncurrencies`, `WhoAmI`, the `EntityDefinitions` metadata and
 * `RetrieveUserSetOfPrivilegesByNames`. Transport concerns (auth, limits, `$batch` framing) live outside.
 */
import {
  type ApiRequest,
  type ApiResponse,
  type Caller,
  errorResponse,
  isDataverseError,
  jsonResponse,
} from './api-message.ts';
import {
  type CollectionQuery,
  MAX_PAGE_SIZE,
  pageRows,
  parseCollectionQuery,
  parseSelect,
} from './collection-query.ts';
import { DATAVERSE_CODES, DataverseError, notFound, payloadError, queryError } from './dataverse-error.ts';
import type { DeltaTokens } from './delta-tokens.ts';
import { type RenderOptions, renderRow } from './entity-json.ts';
import type { createEntityMetadata } from './entity-metadata.ts';
import type { EntitySchema, Row } from './entity-schema.ts';
import { etagOf, type LeadOperations } from './lead-operations.ts';
import type { createLeadPrivileges } from './lead-privileges.ts';
import type { LeadTable } from './lead-table.ts';
import {
  formatKeyPredicate,
  type KeyPredicate,
  parseResourcePath,
  ResourcePathError,
} from './odata-resource-path.ts';
import { encodePagingCookie } from './paging-cookie.ts';
import { type Preferences, parsePrefer } from './prefer-header.ts';

export const QUALIFY_LEAD_ACTION = 'Microsoft.Dynamics.CRM.QualifyLead';

export type WebApi = { handle(request: ApiRequest): ApiResponse };

export type WebApiOptions = {
  serviceRoot: () => string;
  leadSchema: EntitySchema;
  table: LeadTable;
  operations: LeadOperations;
  currencySchema: EntitySchema;
  currencies: readonly Row[];
  deltaTokens: DeltaTokens;
  organizationId: string;
  businessUnitId: string;
  metadata: ReturnType<typeof createEntityMetadata>;
  privileges: ReturnType<typeof createLeadPrivileges>;
  /** "Track changes" on lead, as the maker portal sets it. */
  changeTracking: () => boolean;
};

export function createWebApi(options: WebApiOptions): WebApi {
  const { leadSchema, table, operations, currencySchema, currencies } = options;
  const currencySymbol = (id: string) => {
    const row = currencies.find((c) => c.transactioncurrencyid === id);
    return typeof row?.currencysymbol === 'string' ? row.currencysymbol : undefined;
  };

  const entityUrl = (key: KeyPredicate, row: Row): string =>
    key.kind === 'alternate' && !(leadSchema.primaryKey in key.values)
      ? `${options.serviceRoot()}/leads(${formatKeyPredicate(key.values)})`
      : `${options.serviceRoot()}/leads(${String(row.leadid)})`;

  const contextOf = (schema: EntitySchema, select: readonly string[] | undefined, suffix = ''): string =>
    `${options.serviceRoot()}/$metadata#${schema.setName}${select ? `(${select.join(',')})` : ''}${suffix}`;

  const representation = (
    status: number,
    row: Row,
    request: ApiRequest,
    prefs: Preferences,
    extra: Record<string, string> = {},
  ): ApiResponse => {
    const select = selectOf(request, leadSchema);
    const body = {
      '@odata.context': contextOf(leadSchema, select, '/$entity'),
      ...renderRow(row, leadSchema, renderOptions(select, prefs)),
    };
    return jsonResponse(status, body, {
      ETag: etagOf(Number(row.versionnumber)),
      'Preference-Applied': 'return=representation',
      ...extra,
    });
  };

  const renderOptions = (select: readonly string[] | undefined, prefs: Preferences): RenderOptions => ({
    ...(select ? { select } : {}),
    ...(prefs.includeAnnotations ? { annotations: prefs.includeAnnotations } : {}),
    currencySymbol,
  });

  const listLeads = (request: ApiRequest, prefs: Preferences): ApiResponse => {
    const params = new URLSearchParams(request.query);
    const query = parseCollectionQuery(params, leadSchema);
    const tracking =
      query.deltatoken !== undefined || prefs.trackChanges || query.skiptoken?.trackingVersion !== undefined;
    if (tracking && !options.changeTracking()) {
      throw new DataverseError(
        400,
        DATAVERSE_CODES.changeTrackingNotEnabled,
        "Entity lead isn't enabled for change tracking.",
      );
    }
    if (tracking) {
      for (const option of ['$filter', '$orderby', '$top', '$expand']) {
        if (query.present.has(option))
          throw queryError(
            `The "${option}" query parameter isn't supported when Change Tracking is enabled.`,
          );
      }
    }
    if (query.deltatoken !== undefined) return delta(request, query, prefs);
    const trackingVersion =
      query.skiptoken?.trackingVersion ?? (prefs.trackChanges ? table.currentVersion() : undefined);
    const applied: string[] = [];
    const pageSize =
      prefs.maxPageSize !== undefined && prefs.maxPageSize > 0 && prefs.maxPageSize <= MAX_PAGE_SIZE
        ? prefs.maxPageSize
        : MAX_PAGE_SIZE;
    if (pageSize === prefs.maxPageSize) applied.push(`odata.maxpagesize=${pageSize}`);
    if (prefs.trackChanges) applied.push('odata.track-changes');
    if (prefs.includeAnnotations) applied.push(`odata.include-annotations="${prefs.includeAnnotations}"`);
    const page = pageRows(table.all(), query, leadSchema, pageSize);
    const body: Record<string, unknown> = { '@odata.context': contextOf(leadSchema, query.select) };
    if (query.count) body['@odata.count'] = Math.min(page.total, MAX_PAGE_SIZE);
    body.value = page.rows.map((row) => renderRow(row, leadSchema, renderOptions(query.select, prefs)));
    if (page.more && page.last) {
      const cookie = encodePagingCookie({
        pageNumber: (query.skiptoken?.pageNumber ?? 1) + 1,
        last: page.last,
        ...(trackingVersion !== undefined ? { trackingVersion } : {}),
      });
      body['@odata.nextLink'] = linkWith(request.query, '$skiptoken', cookie);
    } else if (trackingVersion !== undefined) {
      body['@odata.deltaLink'] = linkWith(
        request.query,
        '$deltatoken',
        options.deltaTokens.issue(trackingVersion),
      );
    }
    return jsonResponse(200, body, applied.length > 0 ? { 'Preference-Applied': applied.join(',') } : {});
  };

  const delta = (request: ApiRequest, query: CollectionQuery, prefs: Preferences): ApiResponse => {
    const since = options.deltaTokens.resolve(query.deltatoken ?? '');
    const now = table.currentVersion();
    const { changed, deleted } = table.changesSince(since);
    const value: unknown[] = changed.map((row) =>
      renderRow(row, leadSchema, renderOptions(query.select, prefs)),
    );
    for (const id of deleted) {
      value.push({
        '@odata.context': `${options.serviceRoot()}/$metadata#leads/$deletedEntity`,
        id,
        reason: 'deleted',
      });
    }
    return jsonResponse(200, {
      '@odata.context': contextOf(leadSchema, query.select, '/$delta'),
      '@odata.deltaLink': linkWith(request.query, '$deltatoken', options.deltaTokens.issue(now)),
      value,
    });
  };

  const linkWith = (rawQuery: string, option: '$skiptoken' | '$deltatoken', value: string): string => {
    const kept = rawQuery
      .split('&')
      .filter((pair) => pair !== '' && !/^(\$|%24)(skiptoken|deltatoken)=/i.test(pair));
    kept.push(`${option}=${encodeURIComponent(value)}`);
    return `${options.serviceRoot()}/leads?${kept.join('&')}`;
  };

  const leadsResource = (
    request: ApiRequest,
    key: KeyPredicate | undefined,
    rest: string[],
    prefs: Preferences,
  ): ApiResponse => {
    const method = request.method;
    const require = (privilege: Parameters<WebApiOptions['privileges']['require']>[1], name: string) =>
      options.privileges.require(request.caller, privilege, name);
    if (!key) {
      if (method === 'GET') require('prvReadLead', 'RetrieveMultiple');
      if (rest.length === 1 && rest[0] === '$count' && method === 'GET') {
        return {
          status: 200,
          headers: { 'Content-Type': 'text/plain' },
          body: String(Math.min(table.all().length, MAX_PAGE_SIZE)),
        };
      }
      if (rest.length > 0) throw notFoundSegment(rest[0] ?? '');
      if (method === 'GET') return listLeads(request, prefs);
      if (method === 'POST') {
        require('prvCreateLead', 'Create');
        const row = operations.create(readJson(request), request.caller);
        const url = `${options.serviceRoot()}/leads(${row.leadid})`;
        if (prefs.returnRepresentation)
          return { ...representation(201, row, request, prefs), entityUrl: url };
        return { status: 204, headers: { 'OData-EntityId': url }, entityUrl: url };
      }
      throw methodNotAllowed(method);
    }
    if (rest.length === 1 && rest[0] === QUALIFY_LEAD_ACTION) {
      if (method !== 'POST') throw methodNotAllowed(method);
      require('prvWriteLead', 'QualifyLead');
      const result = operations.qualify(key, readJson(request));
      return jsonResponse(200, {
        '@odata.context': `${options.serviceRoot()}/$metadata#Collection(Microsoft.Dynamics.CRM.crmbaseentity)`,
        value: result.created.map((c) => ({
          '@odata.type': `#Microsoft.Dynamics.CRM.${c.entity}`,
          [`${c.entity}id`]: c.id,
        })),
      });
    }
    if (rest.length > 0) throw notFoundSegment(rest[0] ?? '');
    if (method === 'GET') {
      require('prvReadLead', 'Retrieve');
      return retrieveLead(request, key, prefs);
    }
    if (method === 'PATCH') {
      // An upsert is an update of the row that exists, else a create.
      if (operations.find(key)) require('prvWriteLead', 'Update');
      else require('prvCreateLead', 'Create');
      const conditions = {
        ...(request.headers['if-match'] !== undefined ? { ifMatch: request.headers['if-match'] } : {}),
        ...(request.headers['if-none-match'] !== undefined
          ? { ifNoneMatch: request.headers['if-none-match'] }
          : {}),
      };
      const { row, created } = operations.upsert(key, readJson(request), conditions, request.caller);
      const url = entityUrl(key, row);
      if (prefs.returnRepresentation)
        return { ...representation(created ? 201 : 200, row, request, prefs), entityUrl: url };
      return { status: 204, headers: { 'OData-EntityId': url }, entityUrl: url };
    }
    if (method === 'DELETE') {
      require('prvDeleteLead', 'Delete');
      const ifMatch = request.headers['if-match'];
      operations.remove(key, ifMatch !== undefined ? { ifMatch } : {});
      return { status: 204, headers: {} };
    }
    throw methodNotAllowed(method);
  };

  const retrieveLead = (request: ApiRequest, key: KeyPredicate, prefs: Preferences): ApiResponse => {
    const select = selectOf(request, leadSchema);
    const row = operations.find(key);
    if (!row) throw operations.missing(key);
    const etag = etagOf(row.versionnumber);
    const ifNoneMatch = request.headers['if-none-match'];
    // Conditional GETs never answer 304 when annotations were asked for (docs).
    if (ifNoneMatch && !prefs.includeAnnotations && ifNoneMatch.split(',').some((t) => t.trim() === etag)) {
      return { status: 304, headers: { ETag: etag } };
    }
    const body = {
      '@odata.context': contextOf(leadSchema, select, '/$entity'),
      ...renderRow(row, leadSchema, renderOptions(select, prefs)),
    };
    const headers: Record<string, string> = { ETag: etag };
    if (prefs.includeAnnotations)
      headers['Preference-Applied'] = `odata.include-annotations="${prefs.includeAnnotations}"`;
    return jsonResponse(200, body, headers);
  };

  const currenciesResource = (
    request: ApiRequest,
    key: KeyPredicate | undefined,
    rest: string[],
    prefs: Preferences,
  ): ApiResponse => {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    if (rest.length > 0) throw notFoundSegment(rest[0] ?? '');
    if (key) {
      if (key.kind !== 'id') throw queryError('transactioncurrency has no alternate keys.');
      const row = currencies.find((c) => c.transactioncurrencyid === key.id);
      if (!row) throw notFound('transactioncurrency', key.id);
      const select = selectOf(request, currencySchema);
      return jsonResponse(200, {
        '@odata.context': contextOf(currencySchema, select, '/$entity'),
        ...renderRow(row, currencySchema, renderOptions(select, prefs)),
      });
    }
    const query = parseCollectionQuery(new URLSearchParams(request.query), currencySchema);
    if (query.deltatoken !== undefined || prefs.trackChanges)
      throw queryError('Change tracking is not enabled for transactioncurrency.');
    const page = pageRows(currencies, query, currencySchema, MAX_PAGE_SIZE);
    const body: Record<string, unknown> = { '@odata.context': contextOf(currencySchema, query.select) };
    if (query.count) body['@odata.count'] = page.total;
    body.value = page.rows.map((row) => renderRow(row, currencySchema, renderOptions(query.select, prefs)));
    return jsonResponse(200, body);
  };

  const whoAmI = (caller: Caller): ApiResponse =>
    jsonResponse(200, {
      '@odata.context': `${options.serviceRoot()}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: options.businessUnitId,
      UserId: caller.systemUserId,
      OrganizationId: options.organizationId,
    });

  return {
    handle(request) {
      try {
        const resource = parseResourcePath(request.path);
        const prefs = parsePrefer(request.headers.prefer);
        switch (resource.segment) {
          case 'leads':
            return leadsResource(request, resource.key, resource.rest, prefs);
          case 'transactioncurrencies':
            return currenciesResource(request, resource.key, resource.rest, prefs);
          case 'WhoAmI':
            if (request.method !== 'GET') throw methodNotAllowed(request.method);
            return whoAmI(request.caller);
          case 'EntityDefinitions':
            return options.metadata.handle(request, resource);
          case 'systemusers':
            return options.privileges.handle(request, resource);
          default:
            throw notFoundSegment(resource.segment);
        }
      } catch (error) {
        if (isDataverseError(error)) return errorResponse(error);
        if (error instanceof ResourcePathError) return errorResponse(queryError(error.message));
        throw error;
      }
    },
  };
}

function selectOf(request: ApiRequest, schema: EntitySchema): string[] | undefined {
  const select = new URLSearchParams(request.query).get('$select');
  return select === null ? undefined : parseSelect(select, schema);
}

function readJson(request: ApiRequest): unknown {
  const contentType = request.headers['content-type'];
  if (contentType && !/^application\/json\b/i.test(contentType.trim())) {
    throw new DataverseError(
      415,
      DATAVERSE_CODES.queryError,
      `The content type '${contentType}' is not supported; send application/json.`,
    );
  }
  if (request.body.trim() === '')
    throw payloadError('leads', 'The request body is empty; a JSON object was expected.');
  try {
    return JSON.parse(request.body);
  } catch {
    throw payloadError('leads', 'Invalid JSON. A token was not recognized in the JSON content.');
  }
}

function notFoundSegment(segment: string): DataverseError {
  return queryError(`Resource not found for the segment '${segment}'.`, 404);
}

function methodNotAllowed(method: string): DataverseError {
  return queryError(`The requested resource does not support http method '${method}'.`, 405);
}
