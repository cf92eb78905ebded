import { join } from 'node:path';

/** The embedded database file inside the configured data directory. */
export function databasePath(dataDir: string): string {
  return join(dataDir, 'referral-connector.db');
}
