/** One-line text: trimmed, inner whitespace runs (newlines included) collapsed; blank → null. */
export function cleanText(value: string | null | undefined): string | null {
  const cleaned = (value ?? '').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? null : cleaned;
}

/** Multi-line text: CRLF → LF, trailing spaces and runs of blank lines removed; blank → null. */
export function cleanMultilineText(value: string | null | undefined): string | null {
  const cleaned = (value ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cleaned === '' ? null : cleaned;
}
