/**
 * The demo's own place in a PostgreSQL database the user names: a schema with a name nobody else uses,
 * created by the connector's migrations at first start, and dropped with everything in it at the end
 * (unless `--keep-store`). It never touches a schema it did not name itself.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** `demo_20261207_3f9a1c0b`: the day, to spot forgotten ones, and enough randomness not to collide. */
export function demoSchemaName(now = new Date()): string {
  return `demo_${now.toISOString().slice(0, 10).replaceAll('-', '')}_${randomBytes(4).toString('hex')}`;
}

export async function dropDemoSchema(url: string, schema: string): Promise<void> {
  if (!/^demo_\d{8}_[0-9a-f]{8}$/.test(schema)) throw new RangeError(`${schema} is not a demo schema`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
