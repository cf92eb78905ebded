-- Every table names a referral by its key (`toReferralKey`: trimmed, lower-cased). Rows written under
-- another spelling of the same referral are re-keyed; where two spellings collide, one row is kept.
-- Referral ids are ASCII (GUIDs), so SQLite's ASCII-only lower() agrees with JavaScript's.

-- Jobs: per key and state, the pending job due first, the running job claimed first, the newest dead letter.
-- The others carried nothing but the referral id, so the kept job syncs for them.
DELETE FROM jobs WHERE id IN (
  SELECT id FROM (
    SELECT id, row_number() OVER (
      PARTITION BY lower(trim(referral_id)), state
      ORDER BY
        CASE state WHEN 'pending' THEN run_at WHEN 'dead' THEN -dead_at ELSE 0 END,
        CASE state WHEN 'dead' THEN -id ELSE id END
    ) AS rank
    FROM jobs)
  WHERE rank > 1);
UPDATE jobs SET referral_id = lower(trim(referral_id)) WHERE referral_id <> lower(trim(referral_id));

-- Links: the one synced last.
DELETE FROM links WHERE rowid IN (
  SELECT rowid FROM (
    SELECT rowid, row_number() OVER (
      PARTITION BY lower(trim(referral_id)) ORDER BY synced_at DESC, rowid DESC
    ) AS rank
    FROM links)
  WHERE rank > 1);
UPDATE links SET referral_id = lower(trim(referral_id)) WHERE referral_id <> lower(trim(referral_id));

UPDATE timeline SET referral_id = lower(trim(referral_id)) WHERE referral_id <> lower(trim(referral_id));
UPDATE inbox SET referral_id = lower(trim(referral_id)) WHERE referral_id <> lower(trim(referral_id));
