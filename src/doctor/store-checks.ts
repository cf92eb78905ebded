/**
 * The store a running connector uses: it opens (every command opens it the same way, applying the
 * migrations this release has and refusing a schema a newer release migrated), so its schema is at this
 * release's latest version; and a write commits.
 */
import type { Config } from '../config/config-schema.ts';
import { failed, passed, type SetupCheck } from '../core/setup-check.ts';
import { describeFailure } from '../net/explain-error.ts';
import type { StorageBackend } from '../store/ports.ts';
import { loadMigrations as postgresMigrations } from '../store/postgres/migrate.ts';
import { loadMigrations as sqliteMigrations } from '../store/sqlite/migrate.ts';

/** A cursor no pass reads: writing it proves the store takes writes, and says when doctor last ran. */
export const DOCTOR_CURSOR = 'doctor/last-run';

export type OpenedStore = { ok: true; backend: StorageBackend } | { ok: false; error: unknown };

export async function checkStore(
  config: Config,
  opened: OpenedStore,
  now: () => number,
): Promise<SetupCheck[]> {
  const latest = (config.store.url ? postgresMigrations() : sqliteMigrations()).at(-1)?.version ?? 0;
  if (!opened.ok) {
    const { problem, fix } = describeFailure(opened.error);
    return [
      failed(
        'store migrations',
        `the store did not open: ${problem}`,
        fix ?? (config.store.url ? 'check `store.url` and `store.schema`' : 'check `dataDir`'),
      ),
      failed('store writable', 'not checked: the store did not open', 'fix the store first'),
    ];
  }
  const where = await opened.backend.describe();
  const at = where.kind === 'sqlite' ? where.path : `${where.server}, schema ${where.schema}`;
  const checks = [passed('store migrations', `${at}: schema at version ${latest}, this release's latest`)];
  try {
    await opened.backend.store.putCursor(DOCTOR_CURSOR, new Date(now()).toISOString());
    checks.push(passed('store writable', 'a write committed'));
  } catch (error) {
    const { problem, fix } = describeFailure(error);
    checks.push(
      failed(
        'store writable',
        problem,
        fix ?? 'the store must take writes: check its permissions and free space',
      ),
    );
  }
  return checks;
}
