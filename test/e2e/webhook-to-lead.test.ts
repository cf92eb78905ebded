/**
 * The whole flow over real HTTP on loopback: the emulated Partner Center dispatches signed webhooks to
 * the connector, which verifies them, syncs each referral to exactly one Dataverse lead, and writes the
 * lead's id and mapped status back to the referral.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Referral } from '@referral-connector/emulators';
import { expectedDataverseLead, leadDifferences } from '@referral-connector/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../demo/run-demo.ts';
import { type Demo, startDemo } from '../../demo/start-demo.ts';
import { toReferralKey } from '../../src/core/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { waitFor as waitUntil } from '../support/connector-world.ts';

const REFERRALS = 20;

// Each test gets a world and a connector of its own, so it stands alone (any one may run by itself).
let demo: Demo;
let dataDir: string;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rc-e2e-'));
  demo = await startDemo({
    dataDir,
    logger: createLogger({ level: 'silent' }),
    seed: 'e2e',
    // Partner Center delivers at least once and in no particular order.
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

function leadOf(referralId: string) {
  return demo.world.dataverse.leads().filter((lead) => lead.new_referralid === toReferralKey(referralId));
}

/** How the referral's lead differs from the test kit's reading of the documented mapping (not the connector's code). */
function differencesFromDocumented(referral: Referral): string[] {
  const [lead] = leadOf(referral.id);
  if (!lead) return ['no lead'];
  const currencies = demo.world.dataverse.currencies();
  const expected = expectedDataverseLead(referral, {
    referralsUrl: demo.connector.config.partnerCenter.referralsUrl,
    currencyIdOf: (iso) =>
      currencies.find((c) => c.isocurrencycode === iso)?.transactioncurrencyid as string | undefined,
  });
  return leadDifferences(expected, lead);
}

async function queueIdle(): Promise<boolean> {
  const stats = await demo.connector.backend.queue.stats();
  return stats.pending === 0 && stats.running === 0;
}

/**
 * Microsoft creates a referral from each input (missing fields generated); resolves once each has its one
 * lead and the lead's id written back.
 */
async function syncedReferrals(inputs: readonly Record<string, unknown>[]): Promise<Referral[]> {
  const ids = inputs.map((input) => demo.world.referrals.create(input, { as: 'microsoft' }).id);
  const count = ids.length;
  const synced = () =>
    ids.every((id) => {
      const leads = leadOf(id);
      return leads.length === 1 && demo.world.referrals.get(id)?.externalReferenceId === leads[0]?.leadid;
    });
  await waitFor(async () => synced() && (await queueIdle()), `leads and write-backs of ${count} referrals`);
  return ids.map((id) => {
    const referral = demo.world.referrals.get(id);
    if (!referral) throw new Error(`referral ${id} vanished`);
    return referral;
  });
}

describe('signed webhook → Dynamics 365 lead → write-back', () => {
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
      const leads = leadOf(served.id);
      expect(leads).toHaveLength(1);
      const [lead] = leads;
      if (!lead) continue;
      expect(served.externalReferenceId).toBe(lead.leadid);
      expect(differencesFromDocumented(served), served.id).toEqual([]);
    }
  });

  it('writes the documented columns for awkward referrals: contact choice, names, e-mail, text, lists, dates', async () => {
    const member = (fields: Record<string, string>) => ({
      firstName: null,
      lastName: null,
      email: null,
      phoneNumber: null,
      title: null,
      ...fields,
    });
    const noRequirements = { solutions: [], products: [], services: [], industries: [] };
    const referrals = await syncedReferrals([
      {
        name: '  Big   Deal  ',
        customerProfile: {
          team: [
            member({ firstName: 'Cher', email: 'not-an-email' }),
            member({
              firstName: 'Ada Lovelace',
              email: 'ada@example.com',
              phoneNumber: ' +44  20 7946 0000 ',
            }),
          ],
        },
      },
      { customerProfile: { team: [member({ firstName: 'Cher', email: 'cher' })] } },
      { customerProfile: { team: [member({ lastName: 'van der Berg', email: 'vdb@example.com' })] } },
      {
        details: {
          notes: '  Line one\n\n\n\nLine two  ',
          requirements: {
            ...noRequirements,
            products: [{ id: 'Copilot' }, { id: 'Azure' }, { id: 'azure' }, { id: 'Azure' }],
          },
        },
      },
      { details: { closingDateTime: '2027-03-31T23:30:00-05:00' } },
      { customerProfile: { size: '' }, details: { dealValue: null, closingDateTime: null } },
      {
        inviteContext: {
          notes: 'Please help',
          assistanceRequestCode: null,
          invitedMpnId: null,
          invitedBy: null,
        },
      },
    ]);
    const [firstWithEmail, loneName] = referrals.map((referral) => leadOf(referral.id)[0]);
    // Two of the rules, literally: the first member with a valid e-mail, a full name split at its last space;
    // a lone name is a last name, and an e-mail that is not one is left out.
    expect(firstWithEmail).toMatchObject({
      subject: 'Big Deal',
      firstname: 'Ada',
      lastname: 'Lovelace',
      emailaddress1: 'ada@example.com',
      telephone1: '+44 20 7946 0000',
    });
    expect(loneName).toMatchObject({ firstname: null, lastname: 'Cher', emailaddress1: null });
    for (const referral of referrals) expect(differencesFromDocumented(referral), referral.id).toEqual([]);
  });

  it("writes the seller's decision back as the referral's status, only by legal transitions", async () => {
    const [toQualify, toDisqualify, leftOpen] = await syncedReferrals([{}, {}, {}]);
    if (!toQualify || !toDisqualify || !leftOpen) throw new Error('expected three synced referrals');
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
    }, 'both decisions written back');
    expect(demo.world.referrals.get(toQualify.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
    expect(demo.world.referrals.get(toDisqualify.id)).toMatchObject({
      status: 'Closed',
      substatus: 'Declined',
    });
    // The open lead takes the new notes; the closed ones keep theirs (Dataverse keeps them read-only).
    await waitFor(
      () => String(leadOf(leftOpen.id)[0]?.description).includes('Customer confirmed the budget.'),
      'the new notes on the open lead',
    );
    await waitFor(queueIdle, 'an idle queue');
    expect(demo.world.referrals.get(leftOpen.id)).toMatchObject({ status: 'New', substatus: 'Pending' });
    expect(leadOf(toQualify.id)).toHaveLength(1);
  });

  it("writes a seller's decision back with no referral event at all, through the CRM change feed", async () => {
    const [untouched] = await syncedReferrals([{}]);
    const lead = untouched && leadOf(untouched.id)[0];
    if (!untouched || !lead) throw new Error('expected a synced referral');
    expect(lead.statecode).toBe(0);
    await demo.connector.crmChanges.runOnce();

    demo.world.dataverse.sellerQualify(lead.leadid);
    expect(await demo.connector.crmChanges.runOnce()).toEqual({ enqueued: 1, fromScratch: false });

    await waitFor(
      () => demo.world.referrals.get(untouched.id)?.status === 'Active',
      'the qualified referral',
    );
    expect(demo.world.referrals.get(untouched.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
    // Nothing else moved: the feed names only decided leads, and the pass after finds nothing new.
    expect(await demo.connector.crmChanges.runOnce()).toEqual({ enqueued: 0, fromScratch: false });
    const timeline = await demo.connector.backend.store.timeline(toReferralKey(untouched.id), 5);
    expect(timeline.map((event) => `${event.step}:${event.outcome}`)).toContain('write-back:ok');
  });

  it('rejects a callback that is not genuinely signed, and stores nothing for it', async () => {
    const before = await demo.connector.backend.store.status();
    const response = await fetch(`${demo.connectorUrl}/webhooks/partner-center`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Signature AAAA',
        'x-ms-certificate-url': `${new URL(demo.world.urls.control).origin}/cert/pcnotifications-dispatch.microsoft.com.cer`,
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
