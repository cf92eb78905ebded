/**
 * CRM search (spec C4): filter groups OR-ed, filters inside a group AND-ed (≤ 5 groups, ≤ 10 filters in
 * a group, ≤ 25 in all), the documented operators, one sort rule, pages of ≤ 200 with `after` as a
 * numeric offset, and no paging past 10,000 results. Values compare by their property's type: numbers and
 * datetimes (ISO or epoch ms) numerically, text case-insensitively. Pure: reads the records search sees.
 */
import { invalidInput, validationError } from './hubspot-error.ts';
import type { PropertySelection } from './object-json.ts';
import type { StoredObject } from './object-store.ts';
import type { ObjectType } from './object-types.ts';
import type { PropertyDefinition } from './property-catalog.ts';
import { toEpochMs } from './property-values.ts';

export const SEARCH_LIMITS = {
  maxLimit: 200,
  defaultLimit: 10,
  maxGroups: 5,
  maxFiltersPerGroup: 10,
  maxFilters: 25,
  /** A query's results cannot be paged past this many. */
  maxResults: 10_000,
} as const;

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

type Filter = {
  definition: PropertyDefinition;
  operator: Operator;
  value?: string;
  values?: string[];
  highValue?: string;
};

export type ParsedSearch = {
  groups: Filter[][];
  sort?: { definition: PropertyDefinition; descending: boolean };
  query?: string;
  selection: PropertySelection;
  limit: number;
  offset: number;
};

export type SearchPage = { total: number; results: StoredObject[]; nextAfter?: string };

/** Reads a search body (PublicObjectSearchRequest); 400 for anything the API refuses. */
export function parseSearch(
  body: unknown,
  type: ObjectType,
  property: (name: string) => PropertyDefinition | undefined,
): ParsedSearch {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidInput('a search request object was expected');
  const request = body as Record<string, unknown>;
  const known = (name: unknown): PropertyDefinition => {
    const definition = typeof name === 'string' ? property(name) : undefined;
    if (!definition)
      throw validationError(`Property "${String(name)}" does not exist on ${type.upperName} records`);
    return definition;
  };

  const rawGroups = request.filterGroups ?? [];
  if (!Array.isArray(rawGroups)) throw invalidInput('"filterGroups" must be an array');
  if (rawGroups.length > SEARCH_LIMITS.maxGroups)
    throw validationError(
      `Too many filter groups: ${rawGroups.length}. A search may have at most ${SEARCH_LIMITS.maxGroups} filter groups.`,
    );
  let filterCount = 0;
  const groups = rawGroups.map((rawGroup: unknown) => {
    const filters = (rawGroup as { filters?: unknown })?.filters ?? [];
    if (!Array.isArray(filters)) throw invalidInput('"filters" must be an array');
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup)
      throw validationError(
        `Too many filters in a group: ${filters.length}. A filter group may have at most ${SEARCH_LIMITS.maxFiltersPerGroup} filters.`,
      );
    filterCount += filters.length;
    return filters.map((raw: unknown) => readFilter(raw, known));
  });
  if (filterCount > SEARCH_LIMITS.maxFilters)
    throw validationError(
      `Too many filters: ${filterCount}. A search may have at most ${SEARCH_LIMITS.maxFilters} filters in all its groups.`,
    );

  const sorts = request.sorts ?? [];
  if (!Array.isArray(sorts)) throw invalidInput('"sorts" must be an array');
  if (sorts.length > 1) throw validationError('A search may have only one sort rule.');
  const sort = sorts.length === 1 ? readSort(sorts[0], known) : undefined;

  const limit = request.limit ?? SEARCH_LIMITS.defaultLimit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > SEARCH_LIMITS.maxLimit)
    throw validationError(
      `limit must be an integer from 0 to ${SEARCH_LIMITS.maxLimit}; got ${String(limit)}`,
    );
  const after = request.after ?? '0';
  if ((typeof after !== 'string' && typeof after !== 'number') || !/^\d+$/.test(String(after)))
    throw validationError(`after must be a numeric offset; got ${JSON.stringify(after)}`);
  const offset = Number(after);
  if (offset + limit > SEARCH_LIMITS.maxResults)
    throw validationError(
      `Search results cannot be paged past ${SEARCH_LIMITS.maxResults}: after (${offset}) + limit (${limit}) exceeds it. Narrow the filters instead.`,
    );

  const names = Array.isArray(request.properties)
    ? request.properties.filter((name): name is string => typeof name === 'string')
    : [];
  const selection: PropertySelection =
    names.length === 0
      ? { kind: 'default' }
      : {
          kind: 'named',
          names: [...new Set([...names, 'hs_object_id', 'createdate', type.lastModifiedProperty])],
        };
  const query = typeof request.query === 'string' && request.query.trim() ? request.query.trim() : undefined;
  return { groups, ...(sort ? { sort } : {}), ...(query ? { query } : {}), selection, limit, offset };
}

function readFilter(raw: unknown, known: (name: unknown) => PropertyDefinition): Filter {
  const filter = raw as Record<string, unknown>;
  if (typeof filter !== 'object' || filter === null) throw invalidInput('each filter must be an object');
  const operator = filter.operator;
  if (!OPERATORS.includes(operator as Operator))
    throw invalidInput(
      `Cannot deserialize value of type FilterOperatorEnum from String "${String(operator)}"`,
    );
  const definition = known(filter.propertyName);
  const op = operator as Operator;
  const string = (name: string) =>
    filter[name] === undefined || filter[name] === null ? undefined : String(filter[name]);
  if (op === 'HAS_PROPERTY' || op === 'NOT_HAS_PROPERTY') return { definition, operator: op };
  if (op === 'IN' || op === 'NOT_IN') {
    if (!Array.isArray(filter.values) || filter.values.length === 0)
      throw validationError(`${op} on ${definition.name} needs a non-empty "values" array`);
    return { definition, operator: op, values: filter.values.map(String) };
  }
  const value = string('value');
  if (value === undefined) throw validationError(`${op} on ${definition.name} needs a "value"`);
  if (op === 'BETWEEN') {
    const highValue = string('highValue');
    if (highValue === undefined) throw validationError(`BETWEEN on ${definition.name} needs a "highValue"`);
    return { definition, operator: op, value, highValue };
  }
  return { definition, operator: op, value };
}

function readSort(raw: unknown, known: (name: unknown) => PropertyDefinition): ParsedSearch['sort'] {
  // The API takes `{propertyName, direction}`; the official Node client types `sorts` as strings, which
  // HubSpot reads as a property name, descending with a leading "-".
  if (typeof raw === 'string') {
    const descending = raw.startsWith('-');
    return { definition: known(descending ? raw.slice(1) : raw), descending };
  }
  const sort = raw as { propertyName?: unknown; direction?: unknown };
  if (sort?.direction !== undefined && sort.direction !== 'ASCENDING' && sort.direction !== 'DESCENDING')
    throw invalidInput(`sort direction must be ASCENDING or DESCENDING; got ${String(sort.direction)}`);
  return { definition: known(sort?.propertyName), descending: sort.direction === 'DESCENDING' };
}

export function runSearch(
  objects: readonly StoredObject[],
  search: ParsedSearch,
  type: ObjectType,
): SearchPage {
  const matches = objects.filter(
    (object) =>
      (search.groups.length === 0 ||
        search.groups.some((group) => group.every((f) => matchesFilter(object, f)))) &&
      (search.query === undefined || matchesQuery(object, search.query, type)),
  );
  const byId = (a: StoredObject, b: StoredObject) => Number(a.id) - Number(b.id);
  const sort = search.sort;
  matches.sort((a, b) => {
    if (!sort) return byId(a, b);
    const left = a.properties[sort.definition.name];
    const right = b.properties[sort.definition.name];
    // Records without a value come last in either direction.
    if (left === undefined || right === undefined)
      return left === right ? byId(a, b) : left === undefined ? 1 : -1;
    const order = compare(sort.definition, left, right) ?? 0;
    return (sort.descending ? -order : order) || byId(a, b);
  });
  const results = matches.slice(search.offset, search.offset + search.limit);
  const next = search.offset + search.limit;
  return { total: matches.length, results, ...(next < matches.length ? { nextAfter: String(next) } : {}) };
}

function matchesFilter(object: StoredObject, filter: Filter): boolean {
  const stored = object.properties[filter.definition.name];
  const { definition, operator } = filter;
  switch (operator) {
    case 'HAS_PROPERTY':
      return stored !== undefined;
    case 'NOT_HAS_PROPERTY':
      return stored === undefined;
    // Negations match records without a value too.
    case 'NEQ':
      return stored === undefined || compare(definition, stored, filter.value as string) !== 0;
    case 'NOT_IN':
      return stored === undefined || !(filter.values ?? []).some((v) => compare(definition, stored, v) === 0);
    case 'NOT_CONTAINS_TOKEN':
      return stored === undefined || !containsToken(stored, filter.value as string);
    default:
      break;
  }
  if (stored === undefined) return false;
  const order = (value: string | undefined) => compare(definition, stored, value ?? '');
  const against = order(filter.value);
  switch (operator) {
    case 'EQ':
      return against === 0;
    case 'LT':
      return against !== undefined && against < 0;
    case 'LTE':
      return against !== undefined && against <= 0;
    case 'GT':
      return against !== undefined && against > 0;
    case 'GTE':
      return against !== undefined && against >= 0;
    case 'BETWEEN': {
      const high = order(filter.highValue);
      return against !== undefined && high !== undefined && against >= 0 && high <= 0;
    }
    case 'IN':
      return (filter.values ?? []).some((v) => order(v) === 0);
    case 'CONTAINS_TOKEN':
      return containsToken(stored, filter.value as string);
  }
}

/** Orders a stored value against a filter value by the property's type; undefined when not comparable. */
function compare(definition: PropertyDefinition, stored: string, value: string): number | undefined {
  if (definition.type === 'number') {
    const [a, b] = [Number(stored), Number(value)];
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.sign(a - b);
  }
  if (definition.type === 'datetime' || definition.type === 'date') {
    const [a, b] = [toEpochMs(stored), toEpochMs(value)];
    return a === undefined || b === undefined ? undefined : Math.sign(a - b);
  }
  const [a, b] = [stored.toLowerCase(), value.toLowerCase()];
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Word match with `*` wildcards, case-insensitive (an e-mail domain: `*@example.com`). */
function containsToken(stored: string, pattern: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  const text = stored.toLowerCase();
  return regex.test(text) || text.split(/[\s,;]+/).some((token) => regex.test(token));
}

function matchesQuery(object: StoredObject, query: string, type: ObjectType): boolean {
  const words = type.queryProperties
    .map((name) => object.properties[name] ?? '')
    .join(' ')
    .toLowerCase()
    .split(/[\s@.,;-]+/);
  const text = type.queryProperties
    .map((name) => object.properties[name] ?? '')
    .join(' ')
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((term) => text.includes(term) || words.some((word) => word.startsWith(term)));
}
