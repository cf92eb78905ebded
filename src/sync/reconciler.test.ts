import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../test/support/connector-world.ts';
import { createLogger } from '../observability/logger.ts';
import { createReferralsClient, type ReferralsClient } from '../partner-center/referrals-client.ts';
import type { StorageBackend } from '../store/ports.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { createReconciler } from './reconciler.ts';

let cw: ConnectorWorld;
let referrals: ReferralsClient;
let backend: StorageBackend;

beforeAll(async () => {
  cw = await startConnectorWorld({ seed: 'reconciler' });
  referrals = createReferralsClient({
    baseUrl: cw.world.urls.referrals,
    http: cw.http('referrals'),
    tokens: await cw.signedInTokens(),
  });
  backend = createSqliteBackend({ path: join(mkdtempSync(join(tmpdir(), 'rc-reconcile-')), 'db.sqlite') });
});

afterAll(async () => {
  await backend.close();
  await cw.close();
});

function reconciler() {
  return createReconciler({
    referrals,
    store: backend.store,
    queue: backend.queue,
    logger: createLogger({ level: 'silent' }),
    intervalMs: 60_000,
    lookbackMs: 3_600_000,
  });
}

describe('the reconciler', () => {
  it('enqueues a sync for every changed referral no webhook announced, once per version', async () => {
    // No webhook registration: as if Partner Center had given up on every delivery.
    const created = [1, 2, 3].map(() => cw.world.referrals.create({}, { as: 'microsoft' }));
    const pass = reconciler();

    const first = await pass.runOnce();
    expect(first.enqueued).toBeGreaterThanOrEqual(3);
    expect((await backend.queue.stats()).pending).toBe(first.enqueued);

    // Synced versions are skipped: pretend the sync ran by recording the eTags it would have seen.
    for (const referral of cw.world.referrals.all()) {
      await backend.store.saveLink({
        referralId: referral.id,
        leadId: `lead-${referral.id}`,
        lastReferralETag: referral.eTag,
        lastReferralUpdatedAt: referral.updatedDateTime,
        lastLeadHash: null,
        lastWriteBackHash: null,
        syncedAt: new Date().toISOString(),
      });
    }
    const [changed] = created;
    if (!changed) throw new Error('expected referrals');
    cw.world.referrals.update(changed.id, { details: { notes: 'changed while nobody listened' } });

    const second = await pass.runOnce();
    expect(second.enqueued).toBe(1);
    expect(Date.parse(second.highWater)).toBeGreaterThanOrEqual(Date.parse(first.highWater));
  });
});
