CREATE TABLE cursors (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE inbox (
  id INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  event_name TEXT NOT NULL,
  resource_uri TEXT NOT NULL,
  referral_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('sync', 'test', 'ignored')),
  raw_body TEXT NOT NULL,
  -- JSON object of the request headers that were kept.
  headers TEXT NOT NULL
) STRICT;

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  referral_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'dead')),
  reason TEXT NOT NULL,
  -- Claims so far; counted at claim time so a crashed worker still uses one up.
  attempts INTEGER NOT NULL DEFAULT 0,
  -- How many enqueues were folded into this job (1 = never coalesced).
  enqueue_count INTEGER NOT NULL DEFAULT 1,
  run_at INTEGER NOT NULL,
  first_enqueued_at INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  worker_id TEXT,
  lease_token TEXT,
  lease_expires_at INTEGER,
  last_error_code TEXT,
  last_error_message TEXT,
  dead_at INTEGER,
  CHECK ((state = 'running') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL AND worker_id IS NOT NULL)),
  CHECK ((state = 'dead') = (dead_at IS NOT NULL AND last_error_code IS NOT NULL))
) STRICT;

CREATE TABLE links (
  referral_id TEXT PRIMARY KEY,
  lead_id TEXT NOT NULL,
  last_referral_etag TEXT,
  last_referral_updated_at TEXT,
  last_lead_hash TEXT,
  synced_at TEXT NOT NULL
) STRICT;

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

CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT;

CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE timeline (
  id INTEGER PRIMARY KEY,
  referral_id TEXT NOT NULL,
  at TEXT NOT NULL,
  step TEXT NOT NULL,
  outcome TEXT NOT NULL,
  -- JSON object or NULL.
  detail TEXT
) STRICT;

CREATE INDEX inbox_by_referral ON inbox (referral_id, id) WHERE referral_id IS NOT NULL;

CREATE UNIQUE INDEX jobs_one_dead_per_referral ON jobs (referral_id) WHERE state = 'dead';

CREATE UNIQUE INDEX jobs_one_pending_per_referral ON jobs (referral_id) WHERE state = 'pending';

CREATE UNIQUE INDEX jobs_one_running_per_referral ON jobs (referral_id) WHERE state = 'running';

CREATE INDEX jobs_pending_by_run_at ON jobs (run_at, id) WHERE state = 'pending';

CREATE INDEX jobs_running_by_lease ON jobs (lease_expires_at) WHERE state = 'running';

CREATE INDEX links_by_lead ON links (lead_id);

CREATE INDEX links_by_synced_at ON links (synced_at);

CREATE INDEX referrals_by_seen_at ON referrals (seen_at, referral_id);

CREATE INDEX referrals_by_status ON referrals (status, seen_at, referral_id);

CREATE INDEX timeline_by_referral ON timeline (referral_id, id);

CREATE INDEX timeline_sync_steps ON timeline (at) WHERE step IN ('upsert-lead', 'sync');
