import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from './migrate.ts';
import { openDatabase } from './open-database.ts';

/** The schema before migration 5, whose links carried a write-back hash nothing ever computed. */
const BEFORE_DROP = 4;

describe('migrating links past the never-computed write-back hash', () => {
  it('drops links.last_write_back_hash and keeps every link with the rest of its fields', () => {
    const db = openDatabase({ path: ':memory:' });
    migrate(db, loadMigrations().slice(0, BEFORE_DROP));
    db.exec(`
      INSERT INTO links (referral_id, lead_id, last_referral_etag, last_lead_hash, last_write_back_hash, synced_at)
        VALUES ('ref-a', 'lead-a', '"etag-1"', 'hash-a', NULL, '2026-11-01T00:00:00.000Z');
    `);

    migrate(db);

    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all('links');
    expect(columns.map((column) => column.name)).not.toContain('last_write_back_hash');
    expect(
      db.prepare('SELECT referral_id, lead_id, last_referral_etag, last_lead_hash FROM links').all(),
    ).toEqual([
      { referral_id: 'ref-a', lead_id: 'lead-a', last_referral_etag: '"etag-1"', last_lead_hash: 'hash-a' },
    ]);
    db.close();
  });
});
