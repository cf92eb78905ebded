/**
 * A backfill on a store another process already works: the syncs go to that process's workers, at
 * their pace against the CRM's limits, and the backfill only enqueues and waits. The "serve" here is
 * what `serve` runs on the store (sync workers with their heartbeat, `startSyncWorkers`) on a second
 * connection to the same SQLite file, as a second process would have.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBackfill } from '../../src/backfill/run-backfill.ts';
import { toReferralKey } from '../../src/core/domain.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { type StartedSyncWorkers, startSyncWorkers } from '../../src/wiring/start-sync-workers.ts';
import { openSyncParts, type SyncParts } from '../../src/wiring/sync-parts.ts';
import { waitFor } from '../support/connector-world.ts';
import { type BackfillWorld, startBackfillWorld } from './backfill-world.ts';

const REFERRALS = 300;
const LIFTED_LIMITS = { requestsPerWindow: 1_000_000, executionTimeMs: 1_000_000_000, windowMs: 1_000 };
const logger = createLogger({ level: 'silent' });

let dataDir: string;
let world: BackfillWorld;
const opened: SyncParts[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rc-backfill-serve-'));
  world = await startBackfillWorld({
    dataDir,
    emulators: {
      seed: 'backfill-serve',
      referrals: { seedCount: REFERRALS },
      dataverse: { limits: LIFTED_LIMITS },
    },
    settings: { 'store.synchronous': 'NORMAL' },
  });
});

afterEach(async () => {
  for (const parts of opened.splice(0)) await parts.close();
  await world?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function parts(): Promise<SyncParts> {
  const built = await openSyncParts(world.config, { logger });
  opened.push(built);
  return built;
}

/** A serve's workers on the store, settling into `settled`. */
async function startServe(settled: { count: number }): Promise<StartedSyncWorkers> {
  const serve = await parts();
  return startSyncWorkers(
    world.config,
    { backend: serve.backend, referrals: serve.referrals, crm: serve.crm() },
    {
      logger,
      kind: 'serve',
      heartbeatIntervalMs: 200,
      onSettled: () => {
        settled.count += 1;
      },
    },
  );
}

function oneLeadEach(): boolean {
  const keys = world.world.dataverse.leads().map((lead) => String(lead.new_referralid));
  const expected = world.world.referrals.all().map((referral) => toReferralKey(referral.id));
  return (
    keys.length === expected.length &&
    new Set(keys).size === keys.length &&
    expected.every((k) => keys.includes(k))
  );
}

describe('backfill beside a running serve', () => {
  it('leaves the syncs to the serve, running no workers of its own', async () => {
    const settled = { count: 0 };
    const serve = await startServe(settled);
    const own = await parts();
    let ownStarts = 0;

    const result = await runBackfill(
      { policy: world.config.sync.select, filters: {} },
      {
        referrals: own.referrals,
        store: own.backend.store,
        queue: own.backend.queue,
        startWorkers: async () => {
          ownStarts += 1;
          throw new Error('a serve works this store: the backfill must not start workers');
        },
        logger,
        pollMs: 50,
        workersCheckMs: 100,
      },
    );
    await serve.stop(5_000);

    expect(result).toMatchObject({ outcome: 'complete', ranOwnWorkers: false });
    expect(result.syncs).toMatchObject({ tracked: REFERRALS, synced: REFERRALS, outstanding: 0 });
    expect(ownStarts).toBe(0);
    expect(settled.count).toBeGreaterThanOrEqual(REFERRALS);
    expect(oneLeadEach()).toBe(true);
  });

  it('takes the syncs over when the serve stops half-way', async () => {
    const settled = { count: 0 };
    const serve = await startServe(settled);
    const own = await parts();
    let stopping: Promise<void> | undefined;

    const result = await runBackfill(
      { policy: world.config.sync.select, filters: {} },
      {
        referrals: own.referrals,
        store: own.backend.store,
        queue: own.backend.queue,
        startWorkers: () =>
          startSyncWorkers(
            world.config,
            { backend: own.backend, referrals: own.referrals, crm: own.crm() },
            { logger, kind: 'backfill', heartbeatIntervalMs: 200 },
          ),
        logger,
        pollMs: 50,
        workersCheckMs: 100,
        onProgress: (progress) => {
          if (!stopping && progress.settled >= 50) stopping = serve.stop(5_000);
        },
      },
    );
    await stopping;

    expect(result).toMatchObject({ outcome: 'complete', ranOwnWorkers: true });
    expect(result.syncs).toMatchObject({ synced: REFERRALS, outstanding: 0 });
    expect(settled.count).toBeLessThan(REFERRALS);
    await waitFor(oneLeadEach, 'one lead per referral');
  });
});
