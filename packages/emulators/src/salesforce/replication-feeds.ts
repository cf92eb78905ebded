/**
 * The replication resources (spec B5): `GET /sobjects/Lead/updated/?start=&end=` lists the ids of live
 * leads whose SystemModstamp falls in the window, `…/deleted/?start=&end=` the leads deleted in it.
 * Times are ISO 8601 (URL-encoded); seconds are dropped, so the window is [start, end) in whole minutes,
 * cut at the present minute, which `latestDateCovered` reports: passing it as the next `start` neither
 * misses nor repeats a change. `start` may be at most 30 days back. Errors: 400 INVALID_REPLICATION_DATE
 * (our choice of code for every bad window [U]); more than 600,000 ids → EXCEEDED_ID_LIMIT.
 */
import type { LeadTable } from './lead-table.ts';
import { SalesforceError, salesforceErrors } from './salesforce-error.ts';
import { formatDateTime, parseIsoDateTime } from './salesforce-time.ts';

const MINUTE = 60_000;
const MAX_AGE_MS = 30 * 86_400_000;
const MAX_IDS = 600_000;

type Window = { start: number; latestCovered: number };

function windowOf(query: URLSearchParams, now: number): Window {
  const start = parseIsoDateTime(query.get('start') ?? '');
  const end = parseIsoDateTime(query.get('end') ?? '');
  if (start === undefined || end === undefined) {
    throw salesforceErrors.invalidReplicationDate('start and end are required, as ISO 8601 date-times');
  }
  const floor = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
  if (start > end) throw salesforceErrors.invalidReplicationDate('startDate cannot be after endDate');
  if (start < now - MAX_AGE_MS) {
    throw salesforceErrors.invalidReplicationDate('startDate cannot be more than 30 days ago');
  }
  return { start: floor(start), latestCovered: Math.min(floor(end), floor(now)) };
}

export function updatedLeads(table: LeadTable, query: URLSearchParams, now: number) {
  const { start, latestCovered } = windowOf(query, now);
  const ids = table
    .all()
    .filter((row) => row.SystemModstamp >= start && row.SystemModstamp < latestCovered)
    .sort((a, b) => a.SystemModstamp - b.SystemModstamp)
    .map((row) => row.Id);
  if (ids.length > MAX_IDS) {
    throw new SalesforceError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_IDS} records into this call`,
    );
  }
  return { ids, latestDateCovered: formatDateTime(latestCovered) };
}

export function deletedLeads(
  table: LeadTable,
  query: URLSearchParams,
  now: number,
  earliestAvailable: number,
) {
  const { start, latestCovered } = windowOf(query, now);
  const deletedRecords = table
    .all({ includeDeleted: true })
    .flatMap((row) => {
      const at = row.IsDeleted ? table.deletedAt(row.Id) : undefined;
      return at !== undefined && at >= start && at < latestCovered ? [{ id: row.Id, at }] : [];
    })
    .sort((a, b) => a.at - b.at)
    .map(({ id, at }) => ({ id, deletedDate: formatDateTime(at) }));
  return {
    deletedRecords,
    earliestDateAvailable: formatDateTime(Math.floor(earliestAvailable / MINUTE) * MINUTE),
    latestDateCovered: formatDateTime(latestCovered),
  };
}
