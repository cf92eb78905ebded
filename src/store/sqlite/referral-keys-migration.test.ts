import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from './migrate.ts';
import { openDatabase } from './open-database.ts';

/** The schema before migration 3, which re-keys stored rows by the normalised referral key. */
const BEFORE_REFERRAL_KEYS = 2;

function databaseBeforeReferralKeys() {
  const db = openDatabase({ path: ':memory:' });
  migrate(db, loadMigrations().slice(0, BEFORE_REFERRAL_KEYS));
  return db;
}

describe('migrating rows stored under several spellings of one referral', () => {
  it('keeps one job per referral and state, the newest link, and re-keys inbox and timeline', () => {
    const db = databaseBeforeReferralKeys();
    db.exec(`
      INSERT INTO jobs (id, referral_id, state, reason, run_at, first_enqueued_at, enqueued_at)
        VALUES (1, 'REF-A', 'pending', 'webhook', 10, 10, 10), (2, 'ref-a', 'pending', 'reconcile', 20, 20, 20);
      INSERT INTO jobs (id, referral_id, state, reason, run_at, first_enqueued_at, enqueued_at,
                        worker_id, lease_token, lease_expires_at)
        VALUES (3, 'Ref-A', 'running', 'webhook', 5, 5, 5, 'w1', 'lease', 99);
      INSERT INTO jobs (id, referral_id, state, reason, run_at, first_enqueued_at, enqueued_at,
                        last_error_code, dead_at)
        VALUES (4, 'REF-B', 'dead', 'webhook', 1, 1, 1, 'older_failure', 100),
               (5, 'ref-b', 'dead', 'webhook', 2, 2, 2, 'newer_failure', 200);
      INSERT INTO links (referral_id, lead_id, synced_at)
        VALUES ('REF-A', 'lead-old', '2026-11-01T00:00:00.000Z'), ('ref-a', 'lead-new', '2026-11-02T00:00:00.000Z');
      INSERT INTO timeline (referral_id, at, step, outcome) VALUES ('REF-A', '2026-11-01T00:00:00.000Z', 'sync', 'ok');
      INSERT INTO inbox (received_at, event_name, resource_uri, referral_id, kind, raw_body, headers)
        VALUES ('2026-11-01T00:00:00.000Z', 'referral-updated', 'https://x/referrals/REF-A', 'REF-A', 'sync', '{}', '{}'),
               ('2026-11-01T00:00:01.000Z', 'test-created', 'https://x/test', NULL, 'test', '{}', '{}');
    `);

    migrate(db);

    expect(db.prepare('SELECT id, referral_id, state, last_error_code FROM jobs ORDER BY id').all()).toEqual([
      { id: 1, referral_id: 'ref-a', state: 'pending', last_error_code: null },
      { id: 3, referral_id: 'ref-a', state: 'running', last_error_code: null },
      { id: 5, referral_id: 'ref-b', state: 'dead', last_error_code: 'newer_failure' },
    ]);
    expect(db.prepare('SELECT referral_id, lead_id FROM links').all()).toEqual([
      { referral_id: 'ref-a', lead_id: 'lead-new' },
    ]);
    expect(db.prepare('SELECT referral_id FROM timeline').all()).toEqual([{ referral_id: 'ref-a' }]);
    expect(db.prepare('SELECT referral_id FROM inbox ORDER BY id').all()).toEqual([
      { referral_id: 'ref-a' },
      { referral_id: null },
    ]);
    db.close();
  });
});
