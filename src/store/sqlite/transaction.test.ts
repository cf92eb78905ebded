import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.ts';
import { databasePathIn, useTempDirectory } from './test-support.ts';
import { inTransaction } from './transaction.ts';

type Db = ReturnType<typeof openDatabase>;
const synchronous = (db: Db) => Object.values(db.prepare('PRAGMA synchronous').get() ?? {})[0];

describe('inTransaction', () => {
  const tempDirectory = useTempDirectory();
  const open = (options: { synchronous?: 'FULL' | 'NORMAL' } = {}) => {
    const db = openDatabase({ path: databasePathIn(tempDirectory()), ...options });
    db.exec('CREATE TABLE t (v INTEGER)');
    return db;
  };

  it('commits a durable transaction with full sync, then rests at normal', () => {
    const db = open();
    expect(inTransaction(db, () => synchronous(db))).toBe(2);
    expect(synchronous(db)).toBe(1);
    db.close();
  });

  it('commits relaxed transactions without syncing', () => {
    const db = open();
    expect(inTransaction(db, () => synchronous(db), 'relaxed')).toBe(1);
    db.close();
  });

  it('never syncs when the store is configured NORMAL', () => {
    const db = open({ synchronous: 'NORMAL' });
    expect(inTransaction(db, () => synchronous(db))).toBe(1);
    db.close();
  });

  it('rolls back on failure and still rests at normal', () => {
    const db = open();
    expect(() =>
      inTransaction(db, () => {
        db.exec('INSERT INTO t VALUES (1)');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(db.isTransaction).toBe(false);
    expect(synchronous(db)).toBe(1);
    db.close();
  });
});
