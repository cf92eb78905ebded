/**
 * How a PostgreSQL URL (`store.url`) becomes node-postgres configuration. TLS comes from the URL as
 * node-postgres reads it: `sslmode=require` (encrypted, and — unlike libpq — the certificate verified as
 * with verify-full), `sslmode=no-verify` (encrypted, unverified), `sslrootcert=/path/ca.pem` for a
 * private CA, `sslcert`/`sslkey` for client certificates. The password may sit in the URL or come
 * from `PGPASSWORD`, which node-postgres reads as libpq does.
 */
import type pg from 'pg';

export const DEFAULT_SCHEMA = 'referral_connector';

/** Lower-case identifiers only: they need no quoting anywhere, and a typo cannot inject SQL. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Every connection resolves the connector's tables in `schema` (search_path as a startup option, kept
 * alongside any `options` the URL already carries), so the SQL never names the schema.
 */
export function connectionConfig(url: string, schema: string, applicationName: string): pg.ClientConfig {
  if (!SCHEMA_NAME.test(schema))
    throw new RangeError(`schema ${JSON.stringify(schema)} is not a lower-case identifier`);
  const parsed = new URL(url);
  const options = [parsed.searchParams.get('options'), `-c search_path=${schema}`].filter(Boolean).join(' ');
  parsed.searchParams.set('options', options);
  return { connectionString: parsed.toString(), application_name: applicationName };
}

/** Host, port and database of the URL, never its credentials: for `status` and logs. */
export function describeServer(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return `${host}:${parsed.port || '5432'}/${database}`;
}
