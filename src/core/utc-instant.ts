/**
 * Partner Center stamps changes in 100 ns ticks (`updatedDateTime` has 7 fractional digits; a real
 * `ResourceChangeUtcDate` was seen with 6). A `Date` keeps milliseconds only, so two changes within one
 * millisecond would look equal; as a fixed-width UTC string with 7 digits they compare exactly, as text.
 */
const INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** `2025-03-12T09:01:44.7654321Z` form of an ISO-8601 instant (no offset = UTC), or null when unreadable. */
export function toUtcInstant(text: string | null | undefined): string | null {
  const match = text ? INSTANT.exec(text.trim()) : null;
  if (!match?.[1]) return null;
  const offset = (match[3] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const whole = new Date(`${match[1]}${offset}`);
  if (Number.isNaN(whole.getTime())) return null;
  const fraction = (match[2] ?? '').padEnd(7, '0').slice(0, 7);
  return `${whole.toISOString().slice(0, 19)}.${fraction}Z`;
}

/**
 * True when `a` and `b` are the same instant, to the tick, however each is written (offset, fraction
 * length); false when either is unreadable.
 */
export function isSameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  const left = toUtcInstant(a);
  return left !== null && left === toUtcInstant(b);
}
