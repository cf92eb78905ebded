/**
 * Date and time as the REST API writes them: datetimes with second precision in UTC as
 * `2025-02-03T10:15:42.000+0000`, dates as `2025-02-03`. The org's time zone is UTC.
 */

/** Salesforce stores datetimes to the second; what it writes always ends in `.000+0000`. */
export function truncateToSecond(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}

export function formatDateTime(epochMs: number): string {
  return new Date(truncateToSecond(epochMs)).toISOString().replace('Z', '+0000');
}

export function formatDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Midnight UTC of the day holding `epochMs`. */
export function startOfDay(epochMs: number): number {
  return Math.floor(epochMs / 86_400_000) * 86_400_000;
}

/**
 * An ISO 8601 datetime as the REST API's query parameters take it (`2026-01-01T00:00:00Z`,
 * `…+01:00`, `…+0000`, with or without milliseconds), or undefined.
 */
export function parseIsoDateTime(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)(Z|[+-]\d{2}:?\d{2})$/.exec(text);
  if (!match) return undefined;
  const zone = match[2] === 'Z' ? 'Z' : `${match[2]?.slice(0, 3)}:${match[2]?.slice(-2)}`;
  const ms = Date.parse(`${match[1]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}
