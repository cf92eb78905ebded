import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store-errors.ts';
import { toStoreError } from './sqlite-errors.ts';

/** Runs SQL that fails and returns what node:sqlite threw. */
function failureOf(run: (db: DatabaseSync) => void): unknown {
  const db = new DatabaseSync(':memory:');
  try {
    run(db);
  } catch (error) {
    return error;
  } finally {
    if (db.isOpen) db.close();
  }
  throw new Error('expected the SQL to fail');
}

describe('toStoreError', () => {
  it('reports a full disk as the store being unavailable', () => {
    const full = failureOf((db) => {
      db.exec('CREATE TABLE t (v BLOB)');
      const pages = db.prepare('PRAGMA page_count').get()?.page_count;
      db.exec(`PRAGMA max_page_count = ${Number(pages)}`);
      db.prepare('INSERT INTO t VALUES (?)').run(new Uint8Array(1 << 20));
    });

    const error = toStoreError(full);

    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ reason: 'disk_full', cause: full });
  });

  it('passes constraint violations through: they are bugs, not outages', () => {
    const violation = failureOf((db) => {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      db.exec('INSERT INTO t VALUES (1); INSERT INTO t VALUES (1);');
    });

    expect(toStoreError(violation)).toBe(violation);
  });

  it('passes SQL errors through', () => {
    const mistake = failureOf((db) => db.exec('SELECT * FROM no_such_table'));

    expect(toStoreError(mistake)).toBe(mistake);
  });
});
