-- PostgreSQL 15; run `node src/store/postgres/dump-schema.ts` to rewrite.

CREATE OR REPLACE FUNCTION connector_now()
 RETURNS timestamp with time zone
 LANGUAGE sql
 STABLE
AS $function$SELECT now()$function$;

CREATE TABLE cursors (
  name text NOT NULL,
  value text NOT NULL,
  updated_at timestamp with time zone NOT NULL,
  CONSTRAINT cursors_pkey PRIMARY KEY (name)
);

CREATE TABLE inbox (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  received_at text NOT NULL,
  event_name text NOT NULL,
  resource_uri text NOT NULL,
  referral_id text,
  kind text NOT NULL,
  raw_body text NOT NULL,
  headers jsonb NOT NULL,
  CONSTRAINT inbox_kind_check CHECK ((kind = ANY (ARRAY['sync'::text, 'test'::text, 'ignored'::text]))),
  CONSTRAINT inbox_pkey PRIMARY KEY (id)
);

CREATE TABLE instances (
  id uuid NOT NULL,
  host text NOT NULL,
  pid integer NOT NULL,
  started_at timestamp with time zone NOT NULL,
  heartbeat_at timestamp with time zone NOT NULL,
  leads text[] DEFAULT '{}'::text[] NOT NULL,
  CONSTRAINT instances_pkey PRIMARY KEY (id)
);

CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  referral_id text NOT NULL,
  state text NOT NULL,
  reason text NOT NULL,
  attempts integer DEFAULT 0 NOT NULL,
  enqueue_count integer DEFAULT 1 NOT NULL,
  run_at timestamp with time zone NOT NULL,
  first_enqueued_at timestamp with time zone NOT NULL,
  enqueued_at timestamp with time zone NOT NULL,
  worker_id text,
  instance_id uuid,
  lease_token uuid,
  lease_expires_at timestamp with time zone,
  last_error_code text,
  last_error_message text,
  dead_at timestamp with time zone,
  CONSTRAINT jobs_check CHECK (((state = 'running'::text) = ((lease_token IS NOT NULL) AND (lease_expires_at IS NOT NULL) AND (worker_id IS NOT NULL) AND (instance_id IS NOT NULL)))),
  CONSTRAINT jobs_check1 CHECK (((state = 'dead'::text) = ((dead_at IS NOT NULL) AND (last_error_code IS NOT NULL)))),
  CONSTRAINT jobs_pkey PRIMARY KEY (id),
  CONSTRAINT jobs_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'running'::text, 'dead'::text])))
);

CREATE TABLE links (
  referral_id text NOT NULL,
  lead_id text NOT NULL,
  last_referral_etag text,
  last_referral_updated_at text,
  last_lead_hash text,
  synced_at text NOT NULL,
  CONSTRAINT links_pkey PRIMARY KEY (referral_id)
);

CREATE TABLE referrals (
  referral_id text NOT NULL,
  name text,
  customer_name text,
  status text,
  substatus text,
  updated_at text,
  seen_at text NOT NULL,
  CONSTRAINT referrals_pkey PRIMARY KEY (referral_id)
);

CREATE TABLE schema_migrations (
  version integer NOT NULL,
  name text NOT NULL,
  applied_at timestamp with time zone NOT NULL,
  CONSTRAINT schema_migrations_pkey PRIMARY KEY (version)
);

CREATE TABLE secrets (
  name text NOT NULL,
  value bytea NOT NULL,
  updated_at timestamp with time zone NOT NULL,
  CONSTRAINT secrets_pkey PRIMARY KEY (name)
);

CREATE TABLE timeline (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  referral_id text NOT NULL,
  at text NOT NULL,
  step text NOT NULL,
  outcome text NOT NULL,
  detail jsonb,
  CONSTRAINT timeline_pkey PRIMARY KEY (id)
);

CREATE INDEX inbox_by_referral ON inbox USING btree (referral_id, id) WHERE (referral_id IS NOT NULL);

CREATE INDEX jobs_dead_by_code ON jobs USING btree (last_error_code, dead_at) WHERE (state = 'dead'::text);

CREATE UNIQUE INDEX jobs_one_dead_per_referral ON jobs USING btree (referral_id) WHERE (state = 'dead'::text);

CREATE UNIQUE INDEX jobs_one_pending_per_referral ON jobs USING btree (referral_id) WHERE (state = 'pending'::text);

CREATE UNIQUE INDEX jobs_one_running_per_referral ON jobs USING btree (referral_id) WHERE (state = 'running'::text);

CREATE INDEX jobs_pending_by_run_at ON jobs USING btree (run_at, id) WHERE (state = 'pending'::text);

CREATE INDEX jobs_running_by_instance ON jobs USING btree (instance_id) WHERE (state = 'running'::text);

CREATE INDEX jobs_running_by_lease ON jobs USING btree (lease_expires_at) WHERE (state = 'running'::text);

CREATE INDEX links_by_lead ON links USING btree (lead_id);

CREATE INDEX links_by_synced_at ON links USING btree (synced_at);

CREATE INDEX referrals_by_seen_at ON referrals USING btree (seen_at, referral_id);

CREATE INDEX referrals_by_status ON referrals USING btree (status, seen_at, referral_id);

CREATE INDEX timeline_by_referral ON timeline USING btree (referral_id, id);

CREATE INDEX timeline_sync_steps ON timeline USING btree (at) WHERE (step = ANY (ARRAY['upsert-lead'::text, 'sync'::text]));
