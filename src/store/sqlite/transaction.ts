import type { DatabaseSync, StatementSync } from 'node:sqlite';

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
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  const { begin, commit, rollback } = statementsFor(db);
  begin.run();
  try {
    const result = work();
    commit.run();
    return result;
  } catch (error) {
    // A failed COMMIT may already have rolled back on its own.
    if (db.isOpen && db.isTransaction) rollback.run();
    throw error;
  }
}
