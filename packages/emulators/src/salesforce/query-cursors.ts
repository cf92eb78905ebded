/**
 * Query results larger than one batch: the first batch comes with `nextRecordsUrl`
 * (`/services/data/vXX.X/query/<locator>-<rows so far>`), each later GET of such a URL returns the next
 * batch, and the last batch has `done: true` and no URL (spec B5). The result is fixed when the query
 * runs. A locator lives 15 minutes after its last use [U]; then, or when unknown, 400
 * `INVALID_QUERY_LOCATOR`; a locator closes after its last batch. Batch size: `Sforce-Query-Options: batchSize=N`, 200–2000, default 2000.
 */

import { salesforceErrors } from './salesforce-error.ts';
import { type IdFactory, KEY_PREFIXES } from './salesforce-ids.ts';
import type { ApiRecord } from './sobject-record.ts';

export type QueryPage = {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: ApiRecord[];
};

export type QueryCursors = {
  /** The first batch of a result; a cursor is kept only when more batches follow. */
  first(records: ApiRecord[], apiVersion: string, batchSize: number | undefined): QueryPage;
  /** The batch a `nextRecordsUrl` names (`<locator>-<rows so far>`). */
  next(locatorAndOffset: string, apiVersion: string, batchSize: number | undefined): QueryPage;
  open(): number;
};

export const CURSOR_IDLE_MS = 15 * 60_000;
const DEFAULT_BATCH = 2000;

/** The batch size a request asks for in `Sforce-Query-Options`, clamped to 200–2000. */
export function batchSizeOf(header: string | undefined): number | undefined {
  const match = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  if (!match) return undefined;
  return Math.min(2000, Math.max(200, Number(match[1])));
}

export function createQueryCursors(options: { ids: IdFactory; now: () => number }): QueryCursors {
  const cursors = new Map<string, { records: ApiRecord[]; batchSize: number; lastUsed: number }>();

  const page = (
    locator: string,
    records: ApiRecord[],
    from: number,
    batchSize: number,
    apiVersion: string,
  ) => {
    const to = Math.min(records.length, from + batchSize);
    const done = to >= records.length;
    if (done) cursors.delete(locator);
    return {
      totalSize: records.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${apiVersion}/query/${locator}-${to}` }),
      records: records.slice(from, to),
    };
  };

  const sweep = () => {
    const now = options.now();
    for (const [locator, cursor] of cursors)
      if (now - cursor.lastUsed > CURSOR_IDLE_MS) cursors.delete(locator);
  };

  return {
    first(records, apiVersion, requestedBatchSize) {
      sweep();
      const batchSize = requestedBatchSize ?? DEFAULT_BATCH;
      if (records.length <= batchSize) return { totalSize: records.length, done: true, records };
      const locator = options.ids.next(KEY_PREFIXES.QueryLocator);
      cursors.set(locator, { records, batchSize, lastUsed: options.now() });
      return page(locator, records, 0, batchSize, apiVersion);
    },
    next(locatorAndOffset, apiVersion, batchSize) {
      sweep();
      const match = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(locatorAndOffset);
      const cursor = match ? cursors.get(match[1] ?? '') : undefined;
      const from = Number(match?.[2]);
      if (!match || !cursor || from > cursor.records.length) throw salesforceErrors.invalidQueryLocator();
      cursor.lastUsed = options.now();
      return page(match[1] ?? '', cursor.records, from, batchSize ?? cursor.batchSize, apiVersion);
    },
    open: () => cursors.size,
  };
}
