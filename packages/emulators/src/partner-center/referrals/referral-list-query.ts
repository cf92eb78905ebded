/**
 * The list endpoint's OData options (`$filter`, `$orderby`, `$top`, `$skip`, `$count`, `$select`) and
 * its paging: a page is an offset into the filtered, ordered referrals, and `@odata.nextLink` carries
 * the whole query in an opaque `$skiptoken`, so following it needs no other parameter.
 */
import type { ReferralRecord } from './referral.ts';
import {
  type FilterExpression,
  FilterSyntaxError,
  matchesFilter,
  parseReferralFilter,
} from './referral-filter.ts';
import { invalidRequest } from './referrals-error.ts';
import { parseTimestamp } from './timestamps.ts';

/** Page size when `$top` is absent and the most one page holds; larger `$top` values are lowered to it. */
export const MAX_PAGE_SIZE = 100;

const ORDERABLE = ['createdDateTime', 'updatedDateTime'] as const;
type OrderKey = { field: (typeof ORDERABLE)[number]; descending: boolean };

export type ListQuery = {
  filter: string | undefined;
  orderBy: OrderKey[];
  top: number;
  skip: number;
  count: boolean;
  select: string[] | undefined;
};

type RawQuery = Record<string, string | string[] | undefined>;

/** Reads the query string of a list request; a `$skiptoken` stands for the query that produced it. */
export function parseListQuery(raw: RawQuery): ListQuery {
  const option = (name: string): string | undefined => {
    const key = Object.keys(raw).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : raw[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const skipToken = option('$skiptoken');
  if (skipToken !== undefined) return decodeSkipToken(skipToken);
  const filter = option('$filter');
  if (filter !== undefined) compileFilter(filter);
  return {
    filter: filter?.trim() ? filter : undefined,
    orderBy: parseOrderBy(option('$orderby')),
    top: Math.min(parseCount(option('$top'), '$top') ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    skip: parseCount(option('$skip'), '$skip') ?? 0,
    count: parseBoolean(option('$count')),
    select: parseSelect(option('$select')),
  };
}

export type ListPage = { items: ReferralRecord[]; total: number; next: ListQuery | undefined };

export function listPage(referrals: readonly ReferralRecord[], query: ListQuery): ListPage {
  const filter = query.filter === undefined ? undefined : compileFilter(query.filter);
  const matching = sortReferrals(
    filter ? referrals.filter((r) => matchesFilter(filter, r)) : referrals,
    query.orderBy,
  );
  const items = matching.slice(query.skip, query.skip + query.top);
  const nextSkip = query.skip + query.top;
  const next = query.top > 0 && nextSkip < matching.length ? { ...query, skip: nextSkip } : undefined;
  return { items, total: matching.length, next };
}

export function encodeSkipToken(query: ListQuery): string {
  return Buffer.from(JSON.stringify({ v: 1, ...query })).toString('base64url');
}

function decodeSkipToken(token: string): ListQuery {
  const bad = () =>
    invalidRequest('The $skiptoken is not valid; start again from the first page.', '$skiptoken');
  let decoded: Partial<ListQuery> & { v?: number };
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    decoded?.v !== 1 ||
    !Array.isArray(decoded.orderBy) ||
    typeof decoded.top !== 'number' ||
    typeof decoded.skip !== 'number'
  ) {
    throw bad();
  }
  return {
    filter: typeof decoded.filter === 'string' ? decoded.filter : undefined,
    orderBy: decoded.orderBy.filter((k) => ORDERABLE.includes(k.field)),
    top: Math.min(Math.max(0, decoded.top), MAX_PAGE_SIZE),
    skip: Math.max(0, decoded.skip),
    count: decoded.count === true,
    select: Array.isArray(decoded.select) ? decoded.select : undefined,
  };
}

function compileFilter(filter: string): FilterExpression | undefined {
  if (!filter.trim()) return undefined;
  try {
    return parseReferralFilter(filter);
  } catch (error) {
    if (error instanceof FilterSyntaxError)
      throw invalidRequest(`Invalid $filter: ${error.message}`, '$filter');
    throw error;
  }
}

function parseOrderBy(text: string | undefined): OrderKey[] {
  if (text === undefined || !text.trim()) return [];
  return text.split(',').map((clause) => {
    const [name = '', direction = 'asc', ...extra] = clause.trim().split(/\s+/);
    const field = ORDERABLE.find((f) => f.toLowerCase() === name.toLowerCase());
    const dir = direction.toLowerCase();
    if (!field || (dir !== 'asc' && dir !== 'desc') || extra.length > 0) {
      throw invalidRequest(
        `Invalid $orderby '${clause.trim()}': order by createdDateTime or updatedDateTime, asc or desc.`,
        '$orderby',
      );
    }
    return { field, descending: dir === 'desc' };
  });
}

function parseCount(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw invalidRequest(`${name} must be a non-negative integer.`, name);
  return Number(text.trim());
}

function parseBoolean(text: string | undefined): boolean {
  if (text === undefined) return false;
  const value = text.trim().toLowerCase();
  if (value !== 'true' && value !== 'false') throw invalidRequest('$count must be true or false.', '$count');
  return value === 'true';
}

function parseSelect(text: string | undefined): string[] | undefined {
  if (text === undefined || !text.trim()) return undefined;
  return text.split(',').map((name) => name.trim());
}

/** Sorts on parsed ticks computed once per referral (not per comparison), then by id for stable pages. */
function sortReferrals(referrals: readonly ReferralRecord[], orderBy: readonly OrderKey[]): ReferralRecord[] {
  const keys: OrderKey[] =
    orderBy.length > 0 ? [...orderBy] : [{ field: 'createdDateTime', descending: false }];
  const decorated = referrals.map((referral) => ({
    referral,
    ticks: keys.map(({ field }) => parseTimestamp(referral[field]) ?? 0n),
  }));
  decorated.sort((a, b) => {
    for (const [index, { descending }] of keys.entries()) {
      const left = a.ticks[index] ?? 0n;
      const right = b.ticks[index] ?? 0n;
      if (left !== right) return (left < right ? -1 : 1) * (descending ? -1 : 1);
    }
    return a.referral.id < b.referral.id ? -1 : a.referral.id > b.referral.id ? 1 : 0;
  });
  return decorated.map(({ referral }) => referral);
}
