-- What the operator console lists and searches: each referral's display fields as the connector last read
-- them from Partner Center (never used by a sync, which always re-reads), with indexes for its pages.

CREATE TABLE referrals (
  referral_id TEXT PRIMARY KEY,
  name TEXT,
  customer_name TEXT,
  status TEXT,
  substatus TEXT,
  -- Partner Center's updatedDateTime of the version read.
  updated_at TEXT,
  -- When the connector last read it (ISO-8601): the list shows the most recent first.
  seen_at TEXT NOT NULL
) STRICT;

CREATE INDEX referrals_by_seen_at ON referrals (seen_at, referral_id);
CREATE INDEX referrals_by_status ON referrals (status, seen_at, referral_id);

-- Search by lead id.
CREATE INDEX links_by_lead ON links (lead_id);

-- Syncs per hour: a lead written or confirmed (`upsert-lead`) and failed attempts (`sync`).
CREATE INDEX timeline_sync_steps ON timeline (at) WHERE step IN ('upsert-lead', 'sync');

-- Referrals synced before this migration are listed at once, with the status their last sync read;
-- names and customers arrive with their next sync.
INSERT INTO referrals (referral_id, status, substatus, seen_at)
SELECT
  l.referral_id,
  (SELECT json_extract(t.detail, '$.status') FROM timeline t
    WHERE t.referral_id = l.referral_id AND t.step = 'fetch-referral' ORDER BY t.id DESC LIMIT 1),
  (SELECT json_extract(t.detail, '$.substatus') FROM timeline t
    WHERE t.referral_id = l.referral_id AND t.step = 'fetch-referral' ORDER BY t.id DESC LIMIT 1),
  l.synced_at
FROM links l;
