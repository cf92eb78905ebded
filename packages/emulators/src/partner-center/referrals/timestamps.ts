/**
 * Partner Center timestamps: UTC ISO-8601 with 7 fractional digits (100 ns ticks) and `Z`. Ticks are
 * bigint because milliseconds × 10 000 exceed Number's safe integers.
 */

const TICKS_PER_MS = 10_000n;

export function ticksFromMs(ms: number): bigint {
  return BigInt(Math.floor(ms)) * TICKS_PER_MS;
}

export function formatTimestamp(ticks: bigint): string {
  const ms = ticks / TICKS_PER_MS;
  const iso = new Date(Number(ms)).toISOString(); // 2025-03-10T14:22:05.123Z
  const subMs = (ticks % TICKS_PER_MS).toString().padStart(4, '0');
  return `${iso.slice(0, 23)}${subMs}Z`;
}

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})$/;

/** Ticks of an ISO-8601 date-time with any fraction up to 7 digits; `undefined` if it is not one. */
export function parseTimestamp(text: string): bigint | undefined {
  const match = ISO.exec(text.trim());
  if (!match?.[1] || !match[3]) return undefined;
  const whole = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(whole)) return undefined;
  const fraction = BigInt((match[2] ?? '').padEnd(7, '0'));
  return ticksFromMs(whole) + fraction;
}

/** A date-only or date-time string accepted for fields such as `closingDateTime`. */
export function isDateTimeText(text: string): boolean {
  return parseTimestamp(text) !== undefined || /^\d{4}-\d{2}-\d{2}$/.test(text);
}

/** Hands out strictly increasing timestamps, so two writes in one millisecond still order. */
export function createMonotonicClock(now: () => number): () => string {
  let last = 0n;
  return () => {
    const ticks = ticksFromMs(now());
    last = ticks > last ? ticks : last + 1n;
    return formatTimestamp(last);
  };
}
