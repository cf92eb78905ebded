import { existsSync } from 'node:fs';
import { ConfigError } from '../config/config-error.ts';
import type { Config } from '../config/config-schema.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { databasePath } from '../store/sqlite/database-path.ts';

/** The store of an existing data directory, for commands that inspect or repair it. */
export function openExistingStore(config: Config) {
  const path = databasePath(config.dataDir);
  if (!existsSync(path)) {
    throw new ConfigError(
      [
        {
          path: 'dataDir',
          problem: `has no database (${path}); point it at the directory \`serve\` uses`,
        },
      ],
      'data directory',
    );
  }
  return createSqliteBackend({ path });
}
