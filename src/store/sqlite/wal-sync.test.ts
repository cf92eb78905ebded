import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store-errors.ts';
import { openDatabase } from './open-database.ts';
import { databasePathIn, useTempDirectory } from './test-support.ts';
import { createWalSync, type OpenFile } from './wal-sync.ts';

/** A WAL file whose syncs finish when the test says so. */
function controlledFile() {
  const opened: string[] = [];
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let closed = 0;
  const openFile: OpenFile = async (path) => {
    opened.push(path);
    return {
      datasync: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
      close: async () => {
        closed++;
      },
    };
  };
  const settled = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return {
    openFile,
    opened,
    closedCount: () => closed,
    /** Syncs started and not finished. */
    pendingCount: () => pending.length,
    async finishNext(error?: Error) {
      await settled();
      const next = pending.shift();
      if (!next) throw new Error('no sync is running');
      if (error) next.reject(error);
      else next.resolve();
      await settled();
    },
  };
}

describe('WAL sync', () => {
  const tempDirectory = useTempDirectory();

  const fileDatabase = () => {
    const path = databasePathIn(tempDirectory());
    const db = openDatabase({ path });
    db.exec('CREATE TABLE t (x INTEGER)');
    return { db, path };
  };

  it('syncs the -wal file of the database', async () => {
    const { db, path } = fileDatabase();
    const file = controlledFile();
    const wal = createWalSync(db, file.openFile);
    const done = wal.sync();
    await file.finishNext();
    await done;
    expect(file.opened).toEqual([`${path}-wal`]);
    await wal.close();
    expect(file.closedCount()).toBe(1);
    db.close();
  });

  it('runs one sync at a time; callers during a sync share the next one, which starts after it', async () => {
    const { db } = fileDatabase();
    const file = controlledFile();
    const wal = createWalSync(db, file.openFile);
    const order: string[] = [];
    const first = wal.sync().then(() => order.push('first'));
    await Promise.resolve();
    const during = [1, 2, 3].map((n) => wal.sync().then(() => order.push(`during-${n}`)));
    await file.finishNext();
    expect(order).toEqual(['first']);
    // The three callers committed after the first sync began: they wait for a second one.
    expect(file.pendingCount()).toBe(1);
    await file.finishNext();
    await Promise.all([first, ...during]);
    expect(order).toEqual(['first', 'during-1', 'during-2', 'during-3']);
    expect(file.pendingCount()).toBe(0);
    expect(file.opened).toHaveLength(1);
    db.close();
  });

  it('fails the callers of a failed sync as store unavailable (io) and opens the file again next time', async () => {
    const { db } = fileDatabase();
    const file = controlledFile();
    const wal = createWalSync(db, file.openFile);
    const failed = wal.sync();
    const failure = expect(failed).rejects.toMatchObject({ name: StoreUnavailableError.name, reason: 'io' });
    await file.finishNext(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await failure;
    const next = wal.sync();
    await file.finishNext();
    await next;
    expect(file.opened).toHaveLength(2);
    db.close();
  });

  it('really syncs a file on disk', async () => {
    const { db } = fileDatabase();
    const wal = createWalSync(db);
    db.prepare('INSERT INTO t VALUES (1)').run();
    await expect(wal.sync()).resolves.toBeUndefined();
    await wal.close();
    db.close();
  });

  it('has nothing to sync for an in-memory database', async () => {
    const db = new DatabaseSync(':memory:');
    const file = controlledFile();
    const wal = createWalSync(db, file.openFile);
    await wal.sync();
    expect(file.opened).toEqual([]);
    db.close();
  });
});
