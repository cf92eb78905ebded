-- Inbox, job queue, links, timeline and secrets.
-- Queue times are integer milliseconds since the epoch (compared on every claim); record times are
-- ISO-8601 text as the caller gives them.

-- Every verified Partner Center callback, stored before it is acknowledged.
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

CREATE INDEX inbox_by_referral ON inbox (referral_id, id) WHERE referral_id IS NOT NULL;

-- "This referral needs a sync". Completed jobs are deleted; their history is in the timeline.
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

-- Coalescing, enforced by the database: per referral at most one of each state.
CREATE UNIQUE INDEX jobs_one_pending_per_referral ON jobs (referral_id) WHERE state = 'pending';
CREATE UNIQUE INDEX jobs_one_running_per_referral ON jobs (referral_id) WHERE state = 'running';
CREATE UNIQUE INDEX jobs_one_dead_per_referral ON jobs (referral_id) WHERE state = 'dead';
-- The claim scans pending jobs in run order.
CREATE INDEX jobs_pending_by_run_at ON jobs (run_at, id) WHERE state = 'pending';
-- Lease recovery looks for expired running jobs.
CREATE INDEX jobs_running_by_lease ON jobs (lease_expires_at) WHERE state = 'running';

-- One row per referral that has a lead.
CREATE TABLE links (
  referral_id TEXT PRIMARY KEY,
  lead_id TEXT NOT NULL,
  last_referral_etag TEXT,
  last_referral_updated_at TEXT,
  last_lead_hash TEXT,
  last_write_back_hash TEXT,
  synced_at TEXT NOT NULL
) STRICT;

CREATE INDEX links_by_synced_at ON links (synced_at);

CREATE TABLE timeline (
  id INTEGER PRIMARY KEY,
  referral_id TEXT NOT NULL,
  at TEXT NOT NULL,
  step TEXT NOT NULL,
  outcome TEXT NOT NULL,
  -- JSON object or NULL.
  detail TEXT
) STRICT;

CREATE INDEX timeline_by_referral ON timeline (referral_id, id);

-- Opaque bytes; encrypted above the store.
CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
