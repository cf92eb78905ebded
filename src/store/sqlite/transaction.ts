import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { durableModeOf } from './open-database.ts';

/**
 * What a commit must survive.
 * - `durable`: power loss, when the store is configured FULL (the default). For what would be lost for
 *   good: an acknowledged webhook, a replay asked for, a secret, a cursor, a migration.
 * - `relaxed`: a process crash, not power loss (WAL without fsync). For the workers' bookkeeping —
 *   claims, leases, completions, links, the timeline — whose loss only makes an idempotent sync run
 *   again. A later durable commit syncs the WAL with everything before it, so order is kept.
 */
export type Durability = 'durable' | 'relaxed';

declare const openTransaction: unique symbol;
/**
 * The handle `inTransaction` gives its work: proof that a transaction is open on `db`, for code that must
 * join it rather than start its own (the queue's `enqueueWithin`). Valid only while that work runs.
 */
export type SqliteTransaction = { readonly db: DatabaseSync; readonly [openTransaction]: true };

type TransactionStatements = { begin: StatementSync; commit: StatementSync; rollback: StatementSync };

// Prepared once per connection: parsing BEGIN/COMMIT on every call is a measurable share of a job's cost.
const statementsByDatabase = new WeakMap<DatabaseSync, TransactionStatements>();

function statementsFor(db: DatabaseSync): TransactionStatements {
  let statements = statementsByDatabase.get(db);
  if (!statements) {
    statements = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
    statementsByDatabase.set(db, statements);
  }
  return statements;
}

/**
 * Runs `work` inside BEGIN IMMEDIATE … COMMIT (node:sqlite has no transaction helper). IMMEDIATE takes
 * the write lock up front, so a busy database fails at BEGIN instead of midway. `work` must be
 * synchronous: an await inside would let other callers' statements join this transaction.
 */
export function inTransaction<T>(
  db: DatabaseSync,
  work: (transaction: SqliteTransaction) => T,
  durability: Durability = 'durable',
): T {
  const statements = statementsFor(db);
  // The connection rests at NORMAL (see openDatabase); FULL only around the commits that need it.
  const syncs = durability === 'durable' && durableModeOf(db) === 'FULL';
  // Not prepared statements: SQLite applies this pragma when it compiles it, not when it runs.
  if (syncs) db.exec('PRAGMA synchronous = FULL');
  try {
    statements.begin.run();
    try {
      const result = work({ db } as SqliteTransaction);
      statements.commit.run();
      return result;
    } catch (error) {
      // A failed COMMIT may already have rolled back on its own.
      if (db.isOpen && db.isTransaction) statements.rollback.run();
      throw error;
    }
  } finally {
    if (syncs && db.isOpen) db.exec('PRAGMA synchronous = NORMAL');
  }
}
