-- Inbox, job queue, links, timeline, secrets and cursors (as in SQLite), and the instances sharing them.
-- Every statement runs with search_path set to the connector's schema, so nothing here names it.
-- Times the queue compares are timestamptz read from the database's clock (connector_now()), so that
-- instances on different hosts agree on what is due and what has expired; record times (inbox, links,
-- timeline) are ISO-8601 text as the caller gives them, compared and returned verbatim as in SQLite.

-- The one clock every instance reads. Tests replace it in their throwaway schema to move time.
CREATE FUNCTION connector_now() RETURNS timestamptz LANGUAGE sql STABLE AS 'SELECT now()';

-- Every verified Partner Center callback, stored before it is acknowledged.
CREATE TABLE inbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at text NOT NULL,
  event_name text NOT NULL,
  resource_uri text NOT NULL,
  referral_id text,
  kind text NOT NULL CHECK (kind IN ('sync', 'test', 'ignored')),
  raw_body text NOT NULL,
  -- The request headers that were kept.
  headers jsonb NOT NULL
);

CREATE INDEX inbox_by_referral ON inbox (referral_id, id) WHERE referral_id IS NOT NULL;

-- "This referral needs a sync". Completed jobs are deleted; their history is in the timeline.
CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  referral_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'running', 'dead')),
  reason text NOT NULL,
  -- Claims so far; counted at claim time so a crashed worker still uses one up.
  attempts integer NOT NULL DEFAULT 0,
  -- How many enqueues were folded into this job (1 = never coalesced).
  enqueue_count integer NOT NULL DEFAULT 1,
  run_at timestamptz NOT NULL,
  first_enqueued_at timestamptz NOT NULL,
  enqueued_at timestamptz NOT NULL,
  worker_id text,
  -- The instance (see instances) whose worker holds the job: its death releases the job.
  instance_id uuid,
  lease_token uuid,
  lease_expires_at timestamptz,
  last_error_code text,
  last_error_message text,
  dead_at timestamptz,
  CHECK ((state = 'running') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL
    AND worker_id IS NOT NULL AND instance_id IS NOT NULL)),
  CHECK ((state = 'dead') = (dead_at IS NOT NULL AND last_error_code IS NOT NULL))
);

-- Coalescing, enforced by the database: per referral at most one of each state.
CREATE UNIQUE INDEX jobs_one_pending_per_referral ON jobs (referral_id) WHERE state = 'pending';
CREATE UNIQUE INDEX jobs_one_running_per_referral ON jobs (referral_id) WHERE state = 'running';
CREATE UNIQUE INDEX jobs_one_dead_per_referral ON jobs (referral_id) WHERE state = 'dead';
-- The claim scans pending jobs in run order.
CREATE INDEX jobs_pending_by_run_at ON jobs (run_at, id) WHERE state = 'pending';
-- Lease recovery looks for expired running jobs, and for those of instances that died.
CREATE INDEX jobs_running_by_lease ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_running_by_instance ON jobs (instance_id) WHERE state = 'running';
-- Dead letters by code (status, replay --code).
CREATE INDEX jobs_dead_by_code ON jobs (last_error_code, dead_at) WHERE state = 'dead';

-- One row per referral that has a lead.
CREATE TABLE links (
  referral_id text PRIMARY KEY,
  lead_id text NOT NULL,
  last_referral_etag text,
  last_referral_updated_at text,
  last_lead_hash text,
  synced_at text NOT NULL
);

CREATE INDEX links_by_synced_at ON links (synced_at);

CREATE TABLE timeline (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  referral_id text NOT NULL,
  at text NOT NULL,
  step text NOT NULL,
  outcome text NOT NULL,
  detail jsonb
);

CREATE INDEX timeline_by_referral ON timeline (referral_id, id);

-- What the operator console lists and searches: each referral's display fields as the connector last read
-- them from Partner Center (never used by a sync, which always re-reads), with indexes for its pages.
CREATE TABLE referrals (
  referral_id text PRIMARY KEY,
  name text,
  customer_name text,
  status text,
  substatus text,
  -- Partner Center's updatedDateTime of the version read.
  updated_at text,
  -- When the connector last read it (ISO-8601): the list shows the most recent first.
  seen_at text NOT NULL
);

CREATE INDEX referrals_by_seen_at ON referrals (seen_at, referral_id);
CREATE INDEX referrals_by_status ON referrals (status, seen_at, referral_id);
-- Search by lead id.
CREATE INDEX links_by_lead ON links (lead_id);
-- Syncs per hour: a lead written or confirmed (`upsert-lead`) and failed attempts (`sync`).
CREATE INDEX timeline_sync_steps ON timeline (at) WHERE step IN ('upsert-lead', 'sync');

-- Opaque bytes; encrypted above the store.
CREATE TABLE secrets (
  name text PRIMARY KEY,
  value bytea NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Where a background pass left off (the CRM change feed's delta link, the reconciler's high-water mark).
CREATE TABLE cursors (
  name text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL
);

-- The connector processes working this database (those that claimed a job or led a pass), each
-- refreshing its heartbeat every few seconds. One whose heartbeat stops is dead: its running jobs go
-- back to the queue at once instead of waiting out their leases.
CREATE TABLE instances (
  id uuid PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  started_at timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL,
  -- The periodic passes it leads (informational: the advisory locks are what decide).
  leads text[] NOT NULL DEFAULT '{}'
);
