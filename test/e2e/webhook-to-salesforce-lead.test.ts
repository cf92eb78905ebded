/**
 * The whole flow with Salesforce as the CRM, over real HTTP on loopback: signed webhooks from the emulated
 * Partner Center, exactly one Salesforce Lead per referral upserted on its External ID field, the lead's
 * id written back, and a seller's decision (a converted lead, a closed one) carried back to the referral.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Referral } from '@referral-connector/emulators';
import { expectedSalesforceLead, leadDifferences } from '@referral-connector/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../demo/run-demo.ts';
import { type Demo, startDemo } from '../../demo/start-demo.ts';
import { toReferralKey } from '../../src/core/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { waitFor as waitUntil } from '../support/connector-world.ts';

const REFERRALS = 20;

let demo: Demo;
let dataDir: string;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rc-e2e-sf-'));
  demo = await startDemo({
    dataDir,
    logger: createLogger({ level: 'silent' }),
    seed: 'e2e-salesforce',
    crm: 'salesforce',
    faults: { dispatcher: { duplicate: 0.3, reorder: 0.2 } },
    dispatcherRetryDelaysMs: [50, 100, 200],
  });
});

afterEach(async () => {
  await demo?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every wait here allows the whole flow: dispatch, retries, sync, write-back. */
const waitFor = (condition: () => boolean | Promise<boolean>, what: string) =>
  waitUntil(condition, what, 20_000);

const leadsOf = (referralId: string) =>
  demo.world.salesforce.findByExternalId(toReferralKey(referralId), 'Referral_Id__c');

/** How the referral's lead differs from the test kit's reading of the documented rules. */
function differencesFromDocumented(referral: Referral): string[] {
  const [lead] = leadsOf(referral.id);
  if (!lead) return ['no lead'];
  const expected = expectedSalesforceLead(referral, {
    referralsUrl: demo.connector.config.partnerCenter.referralsUrl,
  });
  return leadDifferences(expected, lead);
}

describe('signed webhook → Salesforce lead → write-back', () => {
  it('gives every referral exactly one lead with the documented fields, and writes its id back', async () => {
    const run = await runDemo(demo, { referrals: REFERRALS, updateShare: 0.3, timeoutMs: 60_000 });
    expect(run.converged).toBe(true);
    expect(run.summary).toMatchObject({
      referrals: REFERRALS,
      leads: REFERRALS,
      duplicateLeads: 0,
      writtenBack: REFERRALS,
    });
    expect(demo.world.webhooks.counters().duplicated).toBeGreaterThan(0);

    for (const served of demo.world.referrals.all()) {
      const leads = leadsOf(served.id);
      expect(leads).toHaveLength(1);
      expect(served.externalReferenceId).toBe(leads[0]?.Id);
      expect(differencesFromDocumented(served), served.id).toEqual([]);
    }
  });

  it("carries a seller's conversion and a closed lead back to the referrals through the change feed", async () => {
    const ids = [0, 1, 2].map(() => demo.world.referrals.create({}, { as: 'microsoft' }).id);
    await waitFor(
      () => ids.every((id) => demo.world.referrals.get(id)?.externalReferenceId === leadsOf(id)[0]?.Id),
      'three leads written back',
    );
    const [converted, closed, open] = ids.map((id) => leadsOf(id)[0]);
    if (!converted || !closed || !open) throw new Error('expected three leads');
    await demo.connector.crmChanges.runOnce();

    demo.world.salesforce.convert(String(converted.Id));
    demo.world.salesforce.setStatus(String(closed.Id), 'Closed - Not Converted');
    expect(await demo.connector.crmChanges.runOnce()).toMatchObject({ enqueued: 2, fromScratch: false });

    await waitFor(
      () =>
        demo.world.referrals.get(ids[0] as string)?.status === 'Active' &&
        demo.world.referrals.get(ids[1] as string)?.status === 'Closed',
      'both decisions written back',
    );
    expect(demo.world.referrals.get(ids[0] as string)).toMatchObject({
      status: 'Active',
      substatus: 'Accepted',
    });
    expect(demo.world.referrals.get(ids[1] as string)).toMatchObject({
      status: 'Closed',
      substatus: 'Declined',
    });
    expect(demo.world.referrals.get(ids[2] as string)).toMatchObject({ status: 'New', substatus: 'Pending' });
    // The converted lead is read-only in Salesforce: a later referral edit syncs without a second lead.
    const received = (await demo.connector.backend.store.status()).inbox.total;
    demo.world.referrals.update(ids[0] as string, { details: { notes: 'Signed the statement of work.' } });
    // The edit's webhook is in, then its sync settles.
    await waitFor(
      async () => (await demo?.connector.backend.store.status())?.inbox.total !== received,
      'the edit delivered',
    );
    await waitFor(async () => {
      const stats = await demo.connector.backend.queue.stats();
      return stats.pending === 0 && stats.running === 0;
    }, 'an idle queue');
    expect(leadsOf(ids[0] as string)).toHaveLength(1);
    expect((await demo.connector.backend.queue.stats()).dead).toBe(0);
  });
});
