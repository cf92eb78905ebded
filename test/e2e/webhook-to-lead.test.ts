/**
 * The whole flow over real HTTP on loopback: the emulated Partner Center dispatches signed webhooks to
 * the connector, which verifies them, syncs each referral to exactly one Dataverse lead, and writes the
 * lead's id and mapped status back to the referral.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../demo/run-demo.ts';
import { type Demo, startDemo } from '../../demo/start-demo.ts';
import { toReferralKey } from '../../src/core/index.ts';
import { toLeadColumns } from '../../src/crm/dynamics/lead-columns.ts';
import { mapReferralToLead } from '../../src/mapping/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { parseReferral } from '../../src/partner-center/referral-schema.ts';

const REFERRALS = 20;
const TEXT_COLUMNS = [
  'subject',
  'firstname',
  'lastname',
  'companyname',
  'emailaddress1',
  'telephone1',
  'jobtitle',
  'address1_line1',
  'address1_city',
  'address1_postalcode',
  'address1_country',
  'description',
  'new_referralurl',
] as const;

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo({
    dataDir: mkdtempSync(join(tmpdir(), 'rc-e2e-')),
    logger: createLogger({ level: 'silent' }),
    seed: 'e2e',
    // Partner Center delivers at least once and in no particular order.
    faults: { dispatcher: { duplicate: 0.3, reorder: 0.2 } },
    dispatcherRetryDelaysMs: [50, 100, 200],
  });
});

afterAll(async () => {
  await demo?.close();
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(25);
  }
}

function leadOf(referralId: string) {
  return demo.world.dataverse.leads().filter((lead) => lead.new_referralid === toReferralKey(referralId));
}

describe('signed webhook → Dynamics 365 lead → write-back', () => {
  it('gives every referral exactly one lead with the mapped fields, and writes its id back', async () => {
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
      const leads = leadOf(served.id);
      expect(leads).toHaveLength(1);
      const [lead] = leads;
      expect(served.externalReferenceId).toBe(lead?.leadid);

      const referral = parseReferral(JSON.parse(JSON.stringify(served)));
      const { draft } = mapReferralToLead(referral, { referralUrl: demo.connector.referrals.urlOf });
      const { columns } = toLeadColumns(draft, { referralUrlColumn: 'new_referralurl' });
      for (const column of TEXT_COLUMNS)
        expect(lead?.[column] ?? null, column).toEqual(columns[column] ?? null);
      if (draft.estimatedAmount !== null)
        expect(Number(lead?.estimatedamount)).toBeCloseTo(draft.estimatedAmount, 2);
      expect(lead?.estimatedclosedate ?? null).toEqual(draft.estimatedCloseDate);
      expect(lead?.leadsourcecode).toBe(3);
    }
  });

  it("writes the seller's decision back as the referral's status, only by legal transitions", async () => {
    const [toQualify, toDisqualify, leftOpen] = demo.world.referrals.all();
    if (!toQualify || !toDisqualify || !leftOpen) throw new Error('expected referrals from the first test');
    const qualifiedLead = leadOf(toQualify.id)[0];
    const disqualifiedLead = leadOf(toDisqualify.id)[0];
    if (!qualifiedLead || !disqualifiedLead) throw new Error('expected leads');

    demo.world.dataverse.sellerQualify(qualifiedLead.leadid);
    demo.world.dataverse.sellerUpdate(disqualifiedLead.leadid, { statecode: 2, statuscode: 6 });
    // Without a CRM change feed the next referral event carries the news: Microsoft edits the notes.
    for (const referral of [toQualify, toDisqualify, leftOpen]) {
      demo.world.referrals.update(referral.id, { details: { notes: 'Customer confirmed the budget.' } });
    }

    await waitFor(() => {
      const q = demo.world.referrals.get(toQualify.id);
      const d = demo.world.referrals.get(toDisqualify.id);
      return q?.status === 'Active' && d?.status === 'Closed';
    });
    expect(demo.world.referrals.get(toQualify.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
    expect(demo.world.referrals.get(toDisqualify.id)).toMatchObject({
      status: 'Closed',
      substatus: 'Declined',
    });
    // The open lead takes the new notes; the closed ones keep theirs (Dataverse keeps them read-only).
    await waitFor(() =>
      String(leadOf(leftOpen.id)[0]?.description).includes('Customer confirmed the budget.'),
    );
    await waitFor(async () => {
      const stats = await demo.connector.backend.queue.stats();
      return stats.pending === 0 && stats.running === 0;
    });
    expect(demo.world.referrals.get(leftOpen.id)).toMatchObject({ status: 'New', substatus: 'Pending' });
    expect(leadOf(toQualify.id)).toHaveLength(1);
  });

  it("writes a seller's decision back with no referral event at all, through the CRM change feed", async () => {
    const referrals = demo.world.referrals.all();
    const untouched = referrals.find(
      (referral) => referral.status === 'New' && leadOf(referral.id)[0]?.statecode === 0,
    );
    const lead = untouched && leadOf(untouched.id)[0];
    if (!untouched || !lead) throw new Error('expected an open lead from the first test');
    await demo.connector.crmChanges.runOnce();

    demo.world.dataverse.sellerQualify(lead.leadid);
    expect(await demo.connector.crmChanges.runOnce()).toEqual({ enqueued: 1, fromScratch: false });

    await waitFor(() => demo.world.referrals.get(untouched.id)?.status === 'Active');
    expect(demo.world.referrals.get(untouched.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
    // Nothing else moved: the feed names only decided leads, and the pass after finds nothing new.
    expect(await demo.connector.crmChanges.runOnce()).toEqual({ enqueued: 0, fromScratch: false });
    const timeline = await demo.connector.backend.store.timeline(untouched.id, 5);
    expect(timeline.map((event) => `${event.step}:${event.outcome}`)).toContain('write-back:ok');
  });

  it('rejects a callback that is not genuinely signed, and stores nothing for it', async () => {
    const before = await demo.connector.backend.store.status();
    const response = await fetch(`${demo.connectorUrl}/webhooks/partner-center`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Signature AAAA',
        'x-ms-certificate-url': `${new URL(demo.world.urls.control).origin}/pc-certs/cert/pcnotifications-dispatch.microsoft.com.cer`,
        'x-ms-signature-algorithm': 'rsa-sha256',
      },
      body: JSON.stringify({
        EventName: 'referral-created',
        ResourceUri: 'https://x/engagements/v1/referrals/abc',
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ reason: 'signature_invalid' });
    const after = await demo.connector.backend.store.status();
    expect(after.inbox.total).toBe(before.inbox.total);
  });
});
