/**
 * Where the Salesforce change feed left off (pure). Salesforce has no delta token: decided leads are
 * polled by `SystemModstamp` (spec crm.md §B5), which has one-second resolution and is stamped before the
 * transaction commits. So each pass looks back a little before the newest stamp it saw, and skips rows it
 * already reported unchanged (same id, stamp, status, conversion): a tie or a late commit is never lost,
 * and nothing is reported twice for the same change.
 */

/** How far before the newest stamp the next pass looks again. */
export const OVERLAP_MS = 60_000;

type SeenRow = { id: string; stamp: string; status: string; converted: boolean };

export type DecisionCursor = {
  /** The newest `SystemModstamp` seen (ISO-8601), or null before any decided lead exists. */
  since: string | null;
  /** Rows reported within the overlap before `since`. */
  seen: SeenRow[];
};

export type DecisionQueryOptions = { referralIdField: string; disqualifiedStatuses: readonly string[] };

export function parseDecisionCursor(text: string): DecisionCursor | undefined {
  try {
    const value = JSON.parse(text) as DecisionCursor;
    if (value && (value.since === null || typeof value.since === 'string') && Array.isArray(value.seen))
      return value;
  } catch {
    // An unreadable cursor lists everything again, like a first pass.
  }
  return undefined;
}

export function decisionQuery(options: DecisionQueryOptions, cursor: DecisionCursor | undefined): string {
  const field = options.referralIdField;
  const statuses = options.disqualifiedStatuses.map(soqlString).join(', ');
  const decided = statuses ? `(IsConverted = true OR Status IN (${statuses}))` : 'IsConverted = true';
  const since = cursor?.since
    ? ` AND SystemModstamp >= ${soqlDateTime(Date.parse(cursor.since) - OVERLAP_MS)}`
    : '';
  return `SELECT Id, ${field}, Status, IsConverted, SystemModstamp FROM Lead WHERE ${field} != null AND ${decided}${since} ORDER BY SystemModstamp ASC, Id ASC`;
}

export function nextDecisionCursor(
  previous: DecisionCursor | undefined,
  rows: ReadonlyArray<Record<string, unknown>>,
  referralIdField: string,
): { cursor: DecisionCursor; changed: Array<Record<string, unknown>> } {
  const seen = new Set((previous?.seen ?? []).map(seenKey));
  const read = rows
    .map((row) => ({ row, seen: toSeen(row) }))
    .filter(
      (r): r is { row: Record<string, unknown>; seen: SeenRow } =>
        r.seen !== undefined && typeof r.row[referralIdField] === 'string',
    );
  const changed = read.filter((r) => !seen.has(seenKey(r.seen))).map((r) => r.row);
  const newest = read.reduce<number>(
    (max, r) => Math.max(max, Date.parse(r.seen.stamp)),
    previous?.since ? Date.parse(previous.since) : Number.NEGATIVE_INFINITY,
  );
  const since = Number.isFinite(newest) ? new Date(newest).toISOString() : null;
  const windowStart = since ? Date.parse(since) - OVERLAP_MS : Number.NEGATIVE_INFINITY;
  return {
    cursor: { since, seen: read.map((r) => r.seen).filter((s) => Date.parse(s.stamp) >= windowStart) },
    changed,
  };
}

function toSeen(row: Record<string, unknown>): SeenRow | undefined {
  if (typeof row.Id !== 'string' || typeof row.SystemModstamp !== 'string') return undefined;
  const stamp = new Date(row.SystemModstamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString();
  return {
    id: row.Id,
    stamp,
    status: typeof row.Status === 'string' ? row.Status : '',
    converted: row.IsConverted === true,
  };
}

const seenKey = (s: SeenRow) => `${s.id}|${s.stamp}|${s.status}|${s.converted}`;

/** A SOQL string literal: single quotes, backslash escapes (spec §B5). */
export function soqlString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** A SOQL datetime literal, unquoted, UTC. */
export function soqlDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
