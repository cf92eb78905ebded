/** The `Prefer` request header preferences the Web API honours (RFC 7240 list syntax). Pure. */

export type Preferences = {
  returnRepresentation: boolean;
  maxPageSize?: number;
  /** Annotation pattern, e.g. `*` or `OData.Community.Display.V1.FormattedValue`. */
  includeAnnotations?: string;
  trackChanges: boolean;
  continueOnError: boolean;
};

export function parsePrefer(header: string | string[] | undefined): Preferences {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const preferences: Preferences = {
    returnRepresentation: false,
    trackChanges: false,
    continueOnError: false,
  };
  for (const raw of splitOutsideQuotes(text)) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    const name = (eq === -1 ? item : item.slice(0, eq)).trim().toLowerCase();
    const value =
      eq === -1
        ? ''
        : item
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    if (name === 'return' && value === 'representation') preferences.returnRepresentation = true;
    else if (name === 'odata.maxpagesize' && /^\d+$/.test(value)) preferences.maxPageSize = Number(value);
    else if (name === 'odata.include-annotations') preferences.includeAnnotations = value;
    else if (name === 'odata.track-changes') preferences.trackChanges = true;
    else if (name === 'odata.continue-on-error') preferences.continueOnError = true;
  }
  return preferences;
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Whether an include-annotations pattern (`*`, `OData.Community.Display.V1.*`, exact) covers a term. */
export function annotationIncluded(pattern: string | undefined, term: string): boolean {
  if (!pattern) return false;
  return pattern.split(',').some((p) => {
    const candidate = p.trim();
    if (candidate === '*') return true;
    if (candidate.endsWith('.*')) return term.startsWith(candidate.slice(0, -1));
    return candidate === term;
  });
}
