import { describe, expect, it } from 'vitest';
import { durableModeOf, openDatabase } from './open-database.ts';
import { databasePathIn, useTempDirectory } from './test-support.ts';

const pragma = (db: ReturnType<typeof openDatabase>, name: string) =>
  Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0];

describe('openDatabase', () => {
  const tempDirectory = useTempDirectory();

  it('opens in WAL mode, resting at normal sync with full sync for durable commits, foreign keys and a busy timeout', () => {
    const db = openDatabase({ path: databasePathIn(tempDirectory()) });

    expect(pragma(db, 'journal_mode')).toBe('wal');
    expect(pragma(db, 'synchronous')).toBe(1);
    expect(durableModeOf(db)).toBe('FULL');
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

    expect(durableModeOf(db)).toBe('NORMAL');
    expect(pragma(db, 'busy_timeout')).toBe(50);
    db.close();
  });
});
