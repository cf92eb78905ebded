/**
 * The `$skiptoken` of `@odata.nextLink`, shaped like Dataverse's paging cookie
 * (`<cookie pagenumber="2" pagingcookie="…" istracking="False" />`). Clients must treat it as opaque;
 * inside we keep the sort values of the last row served (keyset paging, so rows written between pages
 * neither repeat nor vanish) and, for change tracking, the row version the delta link will start from.
 */
import type { ColumnValue } from './entity-schema.ts';

export type PagingCookie = {
  pageNumber: number;
  /** Sort values of the last row served, primary key last. */
  last: ColumnValue[];
  /** Set when the query is tracking changes: the version the final delta link starts from. */
  trackingVersion?: number;
};

export function encodePagingCookie(cookie: PagingCookie): string {
  const inner = Buffer.from(JSON.stringify({ l: cookie.last, v: cookie.trackingVersion })).toString(
    'base64url',
  );
  const tracking = cookie.trackingVersion === undefined ? 'False' : 'True';
  return `<cookie pagenumber="${cookie.pageNumber}" pagingcookie="${inner}" istracking="${tracking}" />`;
}

export function decodePagingCookie(token: string): PagingCookie | undefined {
  const match = /^<cookie pagenumber="(\d+)" pagingcookie="([\w-]*)" istracking="(True|False)" \/>$/.exec(
    token.trim(),
  );
  if (!match?.[1] || match[2] === undefined) return undefined;
  try {
    const inner = JSON.parse(Buffer.from(match[2], 'base64url').toString('utf8')) as {
      l?: unknown;
      v?: unknown;
    };
    if (!Array.isArray(inner.l)) return undefined;
    const cookie: PagingCookie = { pageNumber: Number(match[1]), last: inner.l as ColumnValue[] };
    if (typeof inner.v === 'number') cookie.trackingVersion = inner.v;
    return cookie;
  } catch {
    return undefined;
  }
}
