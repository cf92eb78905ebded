/**
 * PostgreSQL backends for tests: each in a throwaway schema (dropped after the test file), optionally
 * with its database clock driven by a test clock.
 */

import {
  dropSchemas,
  runSql,
  TEST_POSTGRES_URL,
  throwawaySchemaName,
} from '../../../test/support/postgres.ts';
import type { Clock } from '../ports.ts';
import { createPostgresBackend, type PostgresBackendOptions } from './create-postgres-backend.ts';

export type TestBackendOptions = Omit<PostgresBackendOptions, 'url' | 'schema'> & { schema?: string };

/** A backend on the test server in a fresh schema (or `schema`, to open a second instance on it). */
export async function openTestBackend(options: TestBackendOptions = {}) {
  const schema = options.schema ?? throwawaySchemaName();
  const backend = await createPostgresBackend({ url: TEST_POSTGRES_URL, ...options, schema }).catch(
    async (error: unknown) => {
      // A migration that failed half-way leaves the schema behind; a fresh one is ours to drop.
      if (!options.schema) await dropSchemas([schema]);
      throw error;
    },
  );
  return Object.assign(backend, { schema, url: TEST_POSTGRES_URL });
}

export { dropSchemas, runSql, throwawaySchemaName };

/**
 * Replaces the schema's `connector_now()` — the one clock every statement reads — with a one-row table,
 * and returns `sync()`, which writes `clock()` into it. Call `sync()` before each call into the backend
 * (see `drivenBy`), and the database runs on the test's time: leases, back-offs and not-before times are
 * stepped over instead of waited out, exactly as with SQLite's injected clock.
 */
export async function driveDatabaseClock(schema: string, clock: Clock): Promise<() => Promise<void>> {
  await runSql(`
    CREATE TABLE ${schema}.test_clock (at timestamptz NOT NULL);
    INSERT INTO ${schema}.test_clock VALUES (timestamptz 'epoch' + ${Math.trunc(clock())} * interval '1 millisecond');
    CREATE OR REPLACE FUNCTION ${schema}.connector_now() RETURNS timestamptz LANGUAGE sql STABLE
      AS 'SELECT at FROM ${schema}.test_clock';`);
  let last = clock();
  return async () => {
    const now = clock();
    if (now === last) return;
    await runSql(
      `UPDATE ${schema}.test_clock SET at = timestamptz 'epoch' + $1::double precision * interval '1 millisecond'`,
      [now],
    );
    last = now;
  };
}

/** `target` with `sync()` awaited before each of its methods runs. */
export function drivenBy<T extends object>(target: T, sync: () => Promise<void>): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await sync();
        return Reflect.apply(value, object, args);
      };
    },
  });
}
