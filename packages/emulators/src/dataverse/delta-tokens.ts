/**
 * Change-tracking delta tokens. Shaped like the documented ones (`<rowversion>!<MM/dd/yyyy HH:mm:ss>`);
 * clients must treat them as opaque. Only tokens this organization issued resolve, and only within
 * their lifetime (7 days by default, as current docs say); anything else is the expired-version-stamp
 * error, which tells the client to re-sync in full.
 */
import { DATAVERSE_CODES, DataverseError } from './dataverse-error.ts';

export const DEFAULT_DELTA_TOKEN_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export type DeltaTokens = {
  issue(version: number): string;
  /** The row version the token stands for; throws the service error when unknown or expired. */
  resolve(token: string): number;
};

export function createDeltaTokens(options: { now: () => number; lifetimeMs?: () => number }): DeltaTokens {
  const issued = new Map<string, { version: number; at: number }>();
  const lifetime = options.lifetimeMs ?? (() => DEFAULT_DELTA_TOKEN_LIFETIME_MS);
  return {
    issue(version) {
      const at = options.now();
      const token = `${version}!${formatStamp(new Date(at))}`;
      issued.set(token, { version, at });
      return token;
    },
    resolve(token) {
      const entry = issued.get(token);
      if (!entry || options.now() - entry.at > lifetime()) {
        throw new DataverseError(
          400,
          DATAVERSE_CODES.expiredVersionStamp,
          'Version stamp associated with the client has expired. Please perform a full sync.',
        );
      }
      return entry.version;
    },
  };
}

function formatStamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
}
