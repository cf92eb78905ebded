import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.ts';
import { databasePathIn, useTempDirectory } from './test-support.ts';

const pragma = (db: ReturnType<typeof openDatabase>, name: string) =>
  Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0];

describe('openDatabase', () => {
  const tempDirectory = useTempDirectory();

  it('opens in WAL mode with full sync, foreign keys and a busy timeout by default', () => {
    const db = openDatabase({ path: databasePathIn(tempDirectory()) });

    expect(pragma(db, 'journal_mode')).toBe('wal');
    expect(pragma(db, 'synchronous')).toBe(2);
    expect(pragma(db, 'foreign_keys')).toBe(1);
    expect(pragma(db, 'busy_timeout')).toBe(2_000);
    db.close();
  });

  it('trades durability on power loss for speed when asked for normal sync', () => {
    const db = openDatabase({
      path: databasePathIn(tempDirectory()),
      synchronous: 'NORMAL',
      busyTimeoutMs: 50,
    });

    expect(pragma(db, 'synchronous')).toBe(1);
    expect(pragma(db, 'busy_timeout')).toBe(50);
    db.close();
  });
});
