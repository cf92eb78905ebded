/**
 * The system query options of a collection GET (`$select`, `$filter`, `$orderby`, `$top`, `$count`,
 * `$skiptoken`, `$deltatoken`), validated as the Web API does (`$skip` is not supported, unknown columns
 * are errors), and the ordering/paging of rows. Pure.
 */
import { queryError, unknownProperty } from './dataverse-error.ts';
import type { ColumnValue, EntitySchema, Row } from './entity-schema.ts';
import { checkFilter, matchesFilter } from './odata-filter-evaluator.ts';
import { type FilterExpression, FilterSyntaxError, parseFilter } from './odata-filter-parser.ts';
import { decodePagingCookie, type PagingCookie } from './paging-cookie.ts';

export const MAX_PAGE_SIZE = 5000;

export type OrderClause = { column: string; descending: boolean };

export type CollectionQuery = {
  select?: string[];
  filter?: FilterExpression;
  orderby: OrderClause[];
  top?: number;
  count: boolean;
  skiptoken?: PagingCookie;
  deltatoken?: string;
  /** Which options were present, for the change-tracking restrictions. */
  present: Set<string>;
};

const SUPPORTED = new Set([
  '$select',
  '$filter',
  '$orderby',
  '$top',
  '$count',
  '$skiptoken',
  '$deltatoken',
  '$expand',
]);

export function parseCollectionQuery(params: URLSearchParams, schema: EntitySchema): CollectionQuery {
  const query: CollectionQuery = { orderby: [], count: false, present: new Set() };
  for (const name of params.keys()) {
    if (!name.startsWith('$')) continue;
    if (name === '$skip') throw queryError('The query parameter $skip is not supported');
    if (!SUPPORTED.has(name)) throw queryError(`The query parameter ${name} is not supported`);
    query.present.add(name);
  }
  const select = params.get('$select');
  if (select !== null) query.select = parseSelect(select, schema);
  const filter = params.get('$filter');
  if (filter !== null) {
    try {
      query.filter = parseFilter(filter);
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw queryError(error.message);
      throw error;
    }
    checkFilter(query.filter, schema);
  }
  const orderby = params.get('$orderby');
  if (orderby !== null) query.orderby = parseOrderBy(orderby, schema);
  const top = params.get('$top');
  if (top !== null) {
    if (!/^\d+$/.test(top.trim()))
      throw queryError(
        `Invalid value '${top}' for $top query option found. The $top query option requires a non-negative integer value.`,
      );
    query.top = Number(top.trim());
  }
  const count = params.get('$count');
  if (count !== null) {
    if (count !== 'true' && count !== 'false') throw queryError(`'${count}' is not a valid count option.`);
    query.count = count === 'true';
  }
  const skiptoken = params.get('$skiptoken');
  if (skiptoken !== null) {
    const cookie = decodePagingCookie(skiptoken);
    if (!cookie)
      throw queryError('The paging cookie in $skiptoken is not valid. Follow @odata.nextLink as returned.');
    query.skiptoken = cookie;
  }
  const deltatoken = params.get('$deltatoken');
  if (deltatoken !== null) query.deltatoken = deltatoken;
  return query;
}

export function parseSelect(text: string, schema: EntitySchema): string[] {
  const columns = text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const column of columns) {
    if (!schema.columns.has(column)) throw unknownProperty(schema.logicalName, column);
  }
  return columns;
}

function parseOrderBy(text: string, schema: EntitySchema): OrderClause[] {
  return text.split(',').map((part) => {
    const [column = '', direction = 'asc', ...extra] = part.trim().split(/\s+/);
    if (!schema.columns.has(column)) throw unknownProperty(schema.logicalName, column);
    if (extra.length > 0 || (direction !== 'asc' && direction !== 'desc')) {
      throw queryError(`Syntax error at position ${part.length} in '${text}'.`);
    }
    return { column, descending: direction === 'desc' };
  });
}

export type Page<T extends Row> = { rows: T[]; total: number; more: boolean; last?: ColumnValue[] };

/** Filters, orders (primary key breaks ties), continues after the cookie's row, and cuts one page. */
export function pageRows<T extends Row>(
  rows: readonly T[],
  query: CollectionQuery,
  schema: EntitySchema,
  pageSize: number,
): Page<T> {
  const filter = query.filter;
  const matching = filter ? rows.filter((row) => matchesFilter(filter, row, schema)) : [...rows];
  const order = [...query.orderby, { column: schema.primaryKey, descending: false }];
  const sortKey = (row: T): ColumnValue[] => order.map((o) => row[o.column] ?? null);
  const compareKeys = (a: ColumnValue[], b: ColumnValue[]): number => {
    for (let i = 0; i < order.length; i++) {
      const diff = compareValues(a[i] ?? null, b[i] ?? null);
      if (diff !== 0) return order[i]?.descending ? -diff : diff;
    }
    return 0;
  };
  matching.sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
  const total = matching.length;
  const cookie = query.skiptoken;
  const remaining = cookie ? matching.filter((row) => compareKeys(sortKey(row), cookie.last) > 0) : matching;
  // $top wins over odata.maxpagesize: one page of at most $top rows (and the 5,000 cap), no next link.
  const limit = query.top !== undefined ? Math.min(query.top, MAX_PAGE_SIZE) : pageSize;
  const page = remaining.slice(0, limit);
  const more = query.top === undefined && remaining.length > page.length;
  const lastRow = page.at(-1);
  return { rows: page, total, more, ...(lastRow ? { last: sortKey(lastRow) } : {}) };
}

/** SQL ordering: nulls first, strings case-insensitively. */
function compareValues(a: ColumnValue, b: ColumnValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
