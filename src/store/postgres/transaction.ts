import type { Pool, PoolClient } from 'pg';
import { isUniqueViolation } from './postgres-errors.ts';

declare const openTransaction: unique symbol;
/**
 * The handle `inTransaction` gives its work: a client of `pool` with a transaction open on it, for code
 * that must join that transaction rather than start its own (the queue's `enqueueWithin`). Valid only
 * while that work runs.
 */
export type PostgresTransaction = {
  readonly client: PoolClient;
  readonly pool: Pool;
  readonly [openTransaction]: true;
};

/**
 * Runs `work` between BEGIN and COMMIT on one client of the pool (ROLLBACK when it throws). A client
 * whose ROLLBACK failed is dropped rather than returned to the pool, so no later caller inherits a
 * broken transaction.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (transaction: PostgresTransaction) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    try {
      const result = await work({ client, pool } as PostgresTransaction);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

/**
 * Runs a transaction again when a unique index refused its write or the database chose it as a
 * deadlock or serialization victim: another instance changed the same referral's jobs between our read
 * and our write (SQLite's single writer never sees this). The transaction re-reads, so it folds into
 * what the other one left.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const conflict = isUniqueViolation(error) || code === '40001' || code === '40P01';
      if (!conflict || attempt >= attempts) throw error;
    }
  }
}
