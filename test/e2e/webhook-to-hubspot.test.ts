/**
 * The whole flow with HubSpot as the CRM, for both objects a referral may become (`crm.hubspot.object`):
 * signed webhooks, one contact and one lead (or deal) per referral with the documented properties, the
 * record's id written back, and a seller moving it to a closing stage carried back through the change feed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedHubSpotContact, expectedHubSpotRecord, leadDifferences } from '@referral-connector/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../demo/run-demo.ts';
import { type Demo, startDemo } from '../../demo/start-demo.ts';
import { toReferralKey } from '../../src/core/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { waitFor as waitUntil } from '../support/connector-world.ts';

const REFERRALS = 15;
const STAGES = {
  leads: { won: 'qualified-stage-id', lost: 'unqualified-stage-id' },
  deals: { won: 'closedwon', lost: 'closedlost' },
} as const;

let demo: Demo | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await demo?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Every wait here allows the whole flow: dispatch, retries, sync, write-back. */
const waitFor = (condition: () => boolean | Promise<boolean>, what: string) =>
  waitUntil(condition, what, 30_000);

for (const object of ['leads', 'deals'] as const) {
  describe(`signed webhook → HubSpot ${object} → write-back`, () => {
    const start = async () => {
      dataDir = mkdtempSync(join(tmpdir(), `rc-e2e-hubspot-${object}-`));
      const started = await startDemo({
        dataDir,
        logger: createLogger({ level: 'silent' }),
        seed: `e2e-hubspot-${object}`,
        crm: 'hubspot',
        overrides: { 'crm.hubspot.object': object },
        faults: { dispatcher: { duplicate: 0.3, reorder: 0.2 } },
        dispatcherRetryDelaysMs: [50, 100, 200],
      });
      demo = started;
      return started;
    };
    const recordsOf = (d: Demo, referralId: string) =>
      d.world.hubspot.objects(object).filter((r) => r.properties.referral_id === toReferralKey(referralId));

    it('gives every referral one contact and one record with the documented properties, and writes the id back', async () => {
      const d = await start();
      const run = await runDemo(d, { referrals: REFERRALS, updateShare: 0.3, timeoutMs: 90_000 });
      expect(run.converged).toBe(true);
      expect(run.summary).toMatchObject({ leads: REFERRALS, duplicateLeads: 0, writtenBack: REFERRALS });

      for (const served of d.world.referrals.all()) {
        const [record, ...more] = recordsOf(d, served.id);
        expect(more).toEqual([]);
        if (!record) throw new Error(`no ${object} record for ${served.id}`);
        expect(served.externalReferenceId).toBe(record.id);
        const properties = {
          ...record.properties,
          amount:
            record.properties.amount === undefined ? undefined : String(Number(record.properties.amount)),
        };
        expect(leadDifferences(expectedHubSpotRecord(served, { object }), properties), served.id).toEqual([]);
        const contact = expectedHubSpotContact(served);
        const contacts = d.world.hubspot
          .objects('contacts')
          .filter((c) =>
            contact.email
              ? c.properties.email === contact.email.toLowerCase()
              : c.properties.referral_id === contact.referral_id,
          );
        expect(contacts).toHaveLength(1);
      }
    });

    it("carries a seller's won and lost stages back to the referrals through the change feed", async () => {
      const d = await start();
      const ids = [0, 1, 2].map(() => d.world.referrals.create({}, { as: 'microsoft' }).id);
      await waitFor(
        () => ids.every((id) => d.world.referrals.get(id)?.externalReferenceId === recordsOf(d, id)[0]?.id),
        'three records written back',
      );
      const [won, lost] = ids.map((id) => recordsOf(d, id)[0]);
      if (!won || !lost) throw new Error('expected records');
      await d.connector.crmChanges.runOnce();

      d.world.hubspot.moveToStage(object, won.id, STAGES[object].won);
      d.world.hubspot.moveToStage(object, lost.id, STAGES[object].lost);
      expect(await d.connector.crmChanges.runOnce()).toMatchObject({ enqueued: 2, fromScratch: false });

      await waitFor(
        () =>
          d.world.referrals.get(ids[0] as string)?.status === 'Active' &&
          d.world.referrals.get(ids[1] as string)?.status === 'Closed',
        'both decisions written back',
      );
      expect(d.world.referrals.get(ids[0] as string)).toMatchObject({
        status: 'Active',
        substatus: 'Accepted',
      });
      expect(d.world.referrals.get(ids[1] as string)).toMatchObject({ status: 'Closed' });
      expect(d.world.referrals.get(ids[2] as string)).toMatchObject({ status: 'New', substatus: 'Pending' });
    });
  });
}
