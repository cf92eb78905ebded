const ISO_DATE_OR_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The calendar date of a Partner Center closing time, as written (`2025-09-30T00:00:00Z` → `2025-09-30`):
 * a closing *date* typed with an offset means that day in that zone, so no conversion to UTC.
 * Undefined when the value is not an ISO date or date-time, or names a day that does not exist.
 */
export function toCloseDate(raw: string | null | undefined): string | undefined {
  const match = ISO_DATE_OR_DATETIME.exec((raw ?? '').trim());
  if (!match) return undefined;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const exists =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return exists ? date.toISOString().slice(0, 10) : undefined;
}
