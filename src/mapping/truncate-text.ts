/**
 * Cuts `text` to at most `maxLength` UTF-16 code units — the unit CRM column lengths are counted in — without
 * splitting a surrogate pair. With `ellipsis`, the last kept character becomes "…" so a reader sees the cut.
 */
export function truncateText(text: string, maxLength: number, options: { ellipsis?: boolean } = {}): string {
  if (text.length <= maxLength) return text;
  const suffix = options.ellipsis && maxLength > 0 ? '…' : '';
  let cut = text.slice(0, maxLength - suffix.length);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}${suffix}`;
}
