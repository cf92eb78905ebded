/**
 * Where the HubSpot change feed left off, and the searches that continue it (pure). HubSpot has no delta
 * token: decided records are searched for by `hs_lastmodifieddate` (spec crm.md §C4), which has three
 * catches, each met here:
 * - a write reaches the search index seconds (at worst minutes) after it happens, so a pass looks again
 *   from a safety margin before the newest stamp it saw, and what it already reported is dropped;
 * - the stamp moves on any write, HubSpot's own recalculations and the connector's updates included, so a
 *   record is reported again only when its stage differs from the one last reported;
 * - one query cannot page past 10,000 results, so a feed is read in windows, each query starting at the
 *   newest stamp the previous page reached (see `nextSearchPosition`).
 */
import type { RecordKind } from './record-kind.ts';
import { LAST_MODIFIED } from './record-kind.ts';

/** How far before the newest stamp seen the next pass looks again: longer than the indexing lag. */
export const OVERLAP_MS = 5 * 60_000;
/** The largest search page (§C4). */
export const SEARCH_PAGE_SIZE = 200;
/** A search query's results cannot be paged past this many (§C4). */
export const SEARCH_RESULT_CAP = 10_000;

type SeenRecord = { id: string; stage: string; stamp: string };

export type DecisionCursor = {
  /** The newest `hs_lastmodifieddate` seen (ISO-8601), or null before any decided record exists. */
  since: string | null;
  /** The stage last reported of each record whose stamp is within the overlap before `since`. */
  seen: SeenRecord[];
};

export type DecisionSearchOptions = {
  kind: RecordKind;
  referralIdProperty: string;
  /** Every stage that means a seller's decision (qualified and disqualified). */
  decidedStages: readonly string[];
};

export type SearchRecord = { id?: unknown; properties?: Record<string, unknown> };

export function parseDecisionCursor(text: string): DecisionCursor | undefined {
  try {
    const value = JSON.parse(text) as DecisionCursor;
    const validSince = value?.since === null || typeof value?.since === 'string';
    const validSeen =
      Array.isArray(value?.seen) &&
      value.seen.every(
        (s) => typeof s?.id === 'string' && typeof s.stage === 'string' && typeof s.stamp === 'string',
      );
    if (validSince && validSeen) return value;
  } catch {
    // An unreadable cursor lists everything again, like a first pass.
  }
  return undefined;
}

/** Where a pass starts reading: from scratch (null), or the overlap before the newest stamp seen. */
export function searchStart(cursor: DecisionCursor | undefined): number | null {
  return cursor?.since ? Date.parse(cursor.since) - OVERLAP_MS : null;
}

export type SearchPosition = { from: number | null; after: number };

/** `POST /crm/v3/objects/{object}/search`: decided records with a referral id, oldest change first. */
export function decisionSearch(
  options: DecisionSearchOptions,
  position: SearchPosition,
): Record<string, unknown> {
  const { kind, referralIdProperty } = options;
  return {
    filterGroups: [
      {
        filters: [
          { propertyName: kind.stageProperty, operator: 'IN', values: [...options.decidedStages] },
          { propertyName: referralIdProperty, operator: 'HAS_PROPERTY' },
          ...(position.from === null
            ? []
            : [{ propertyName: LAST_MODIFIED, operator: 'GTE', value: String(position.from) }]),
        ],
      },
    ],
    sorts: [{ propertyName: LAST_MODIFIED, direction: 'ASCENDING' }],
    properties: [referralIdProperty, kind.stageProperty, LAST_MODIFIED],
    limit: SEARCH_PAGE_SIZE,
    after: String(position.after),
  };
}

/**
 * Where the next search request continues after a page, or null when that was the last one. Pages are
 * read by keyset, not by offset: each query starts at the newest stamp read so far. So no query nears
 * the 10,000-result cap, and a record modified while the feed is read moves to a later page instead of
 * shifting an offset past another record. The records of that boundary instant are listed again and
 * dropped as already seen; only when a whole page shares one instant is it paged by offset, and it can
 * fail only if more than 9,800 decided records share one millisecond.
 */
export function nextSearchPosition(
  position: SearchPosition,
  nextAfter: string | undefined,
  newestStamp: number | undefined,
): SearchPosition | null {
  if (nextAfter === undefined) return null;
  if (newestStamp !== undefined && (position.from === null || newestStamp > position.from))
    return { from: newestStamp, after: 0 };
  const after = position.after + SEARCH_PAGE_SIZE;
  if (after + SEARCH_PAGE_SIZE > SEARCH_RESULT_CAP)
    throw new RangeError(
      `more than ${SEARCH_RESULT_CAP - SEARCH_PAGE_SIZE} decided records share the last-modified time ${new Date(position.from ?? 0).toISOString()}`,
    );
  return { from: position.from, after };
}

/** The last-modified time of a search result, epoch ms. */
export function stampOf(record: SearchRecord): number | undefined {
  const value = record.properties?.[LAST_MODIFIED];
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The records to report — decided since the cursor, or decided differently from what was reported —
 * and the cursor after them. `records` are every search result of the pass, in any order.
 */
export function nextDecisionCursor(
  previous: DecisionCursor | undefined,
  records: readonly SearchRecord[],
  options: DecisionSearchOptions,
): { cursor: DecisionCursor; changed: SearchRecord[] } {
  const reported = new Map<string, SeenRecord>((previous?.seen ?? []).map((s) => [s.id, s]));
  const changed: SearchRecord[] = [];
  let newest = previous?.since ? Date.parse(previous.since) : Number.NEGATIVE_INFINITY;
  const ordered = records
    .map((record) => ({ record, stamp: stampOf(record) }))
    .filter((r): r is { record: SearchRecord; stamp: number } => r.stamp !== undefined)
    .sort((a, b) => a.stamp - b.stamp);
  for (const { record, stamp } of ordered) {
    const stage = record.properties?.[options.kind.stageProperty];
    const key = record.properties?.[options.referralIdProperty];
    if (typeof record.id !== 'string' || typeof stage !== 'string' || typeof key !== 'string' || key === '')
      continue;
    newest = Math.max(newest, stamp);
    if (reported.get(record.id)?.stage !== stage) changed.push(record);
    reported.set(record.id, { id: record.id, stage, stamp: new Date(stamp).toISOString() });
  }
  if (!Number.isFinite(newest)) return { cursor: { since: null, seen: [] }, changed };
  const windowStart = newest - OVERLAP_MS;
  return {
    cursor: {
      since: new Date(newest).toISOString(),
      seen: [...reported.values()].filter((s) => Date.parse(s.stamp) >= windowStart),
    },
    changed,
  };
}
