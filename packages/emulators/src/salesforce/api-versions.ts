/**
 * The API versions the emulated org serves: v31.0 (Summer '14, the oldest still served after the 2025
 * retirement of v21–v30) to v62.0 (Winter '25, the version the spec documents). A URL naming another
 * version answers 404 NOT_FOUND, like a retired one.
 */

export const OLDEST_API_VERSION = 31;
export const LATEST_API_VERSION = 62;

/** "62.0" from a path segment "v62.0", when the org serves that version. */
export function servedApiVersion(segment: string | undefined): string | undefined {
  const match = /^v(\d+)\.0$/.exec(segment ?? '');
  const major = Number(match?.[1]);
  return match && major >= OLDEST_API_VERSION && major <= LATEST_API_VERSION ? `${major}.0` : undefined;
}

/** The release that introduced a version: v62 is Winter '25, then Spring, Summer, Winter… */
export function apiVersionLabel(major: number): string {
  const offset = major - 62;
  const season = ['Winter', 'Spring', 'Summer'][((offset % 3) + 3) % 3];
  const year = 25 + Math.floor(offset / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}
