/**
 * PostgreSQL for tests: one probe per test file, and a throwaway schema per test or suite.
 *
 * The server is `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`). Without one,
 * the PostgreSQL suites are skipped with a message saying so, on a laptop; in CI (`CI=true`) a missing
 * server fails them instead, so a broken CI database can never pass as "skipped".
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe } from 'vitest';

export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type PostgresProbe = { available: true } | { available: false; reason: string };

async function probe(url: string): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { available: true };
  } catch (error) {
    return { available: false, reason: (error as Error).message || String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

const isCi = () => ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

let probed: Promise<PostgresProbe> | undefined;

/**
 * Whether PostgreSQL is reachable; in CI an unreachable server throws (the test file fails).
 * Await it at the top of a test file and pass the result to `describePostgres`.
 */
export async function requirePostgres(): Promise<PostgresProbe> {
  probed ??= probe(TEST_POSTGRES_URL);
  const result = await probed;
  if (!result.available) {
    const message = `no PostgreSQL at ${redactedUrl(TEST_POSTGRES_URL)} (${result.reason}); set TEST_POSTGRES_URL`;
    if (isCi()) throw new Error(`${message}: CI=true, so the PostgreSQL tests fail instead of skipping`);
    console.warn(`skipping PostgreSQL tests: ${message}`);
  }
  return result;
}

/** `describe`, or `describe.skip` with the reason in its name when there is no server. */
export function describePostgres(probeResult: PostgresProbe, name: string, body: () => void): void {
  if (probeResult.available) describe(name, body);
  else describe.skip(`${name} (skipped: no PostgreSQL, ${probeResult.reason})`, body);
}

/** A schema name nobody else uses: lower-case, so it needs no quoting. */
export function throwawaySchemaName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops the schemas (and everything in them) when the test file ends. */
export function dropSchemasAfterAll(): (schema: string) => string {
  const schemas: string[] = [];
  afterAll(async () => {
    if (schemas.length === 0) return;
    await dropSchemas(schemas.splice(0));
  });
  return (schema) => {
    schemas.push(schema);
    return schema;
  };
}

export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    for (const schema of schemas)
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs one statement on a connection of its own (as another process would) and closes it. */
export async function runSql(sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
