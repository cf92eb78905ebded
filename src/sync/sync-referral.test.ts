import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../test/support/connector-world.ts';
import { toReferralKey } from '../core/index.ts';
import type { CrmAdapter } from '../crm/crm-adapter.ts';
import { createDynamicsAdapter } from '../crm/dynamics/dynamics-adapter.ts';
import { compileMapping } from '../mapping/compile-mapping.ts';
import { createReferralsClient, type ReferralsClient } from '../partner-center/referrals-client.ts';
import type { StorageBackend } from '../store/ports.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { SELECT_ALL } from './selection-policy.ts';
import { type SyncDependencies, syncReferral } from './sync-referral.ts';
import { WriteBackConflictError } from './write-back-conflict.ts';

const GET_REFERRAL = 'referrals GET /v1.0/engagements/referrals/:id';
const PATCH_REFERRAL = 'referrals PATCH /v1.0/engagements/referrals/:id';
const UPSERT_LEAD = 'dataverse PATCH /leads({key})';
const READ_LEAD = 'dataverse GET /leads({key})';

let cw: ConnectorWorld;
let referrals: ReferralsClient;
let crm: CrmAdapter;
let backend: StorageBackend;
let directory: string;

beforeAll(async () => {
  cw = await startConnectorWorld();
  referrals = createReferralsClient({
    baseUrl: cw.world.urls.referrals,
    http: cw.http('referrals'),
    tokens: await cw.signedInTokens(),
  });
  crm = createDynamicsAdapter({
    url: cw.world.dataverseOrgUrl,
    apiVersion: 'v9.2',
    referralIdColumn: 'new_referralid',
    referralUrlColumn: 'new_referralurl',
    http: cw.http('dataverse'),
    tokens: cw.appTokens(cw.world.dataverseOrgUrl),
  });
  directory = mkdtempSync(join(tmpdir(), 'sync-referral-'));
  backend = createSqliteBackend({ path: join(directory, 'connector.db') });
});
afterAll(async () => {
  await backend?.close();
  await cw?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

const deps = (overrides: Partial<SyncDependencies> = {}): SyncDependencies => ({
  referrals,
  crm,
  store: backend.store,
  writeBack: true,
  ...overrides,
});

/** Syncs the referral and returns the id of its lead (a sync the policy skips has none). */
async function leadIdOfSync(referralId: string): Promise<string> {
  const { leadId } = await syncReferral(referralId, deps());
  if (leadId === null) throw new Error(`the sync of ${referralId} left it without a lead`);
  return leadId;
}

const incoming = (input: Record<string, unknown> = {}) =>
  cw.world.referrals.create(input, { as: 'microsoft' });
const leadsOf = (referralId: string) =>
  cw.world.dataverse.leads().filter((lead) => lead.new_referralid === toReferralKey(referralId));

/** Runs `work` and lists the calls it made to Partner Center and Dataverse, as "service endpoint status". */
async function callsDuring<T>(work: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  await cw.trafficSettled();
  const since = cw.world.traffic.requests().at(-1)?.seq ?? 0;
  const result = await work();
  await cw.trafficSettled();
  const calls = cw.world.traffic
    .requests({ sinceSeq: since })
    .filter((r) => r.service !== 'entra')
    .map((r) => `${r.service} ${r.endpoint} ${r.status}`);
  return { result, calls };
}

/** Changes the referral (as Microsoft) just before our first write-back reaches Partner Center. */
function racedOnce(client: ReferralsClient, change: (referralId: string) => void): ReferralsClient {
  let raced = false;
  return {
    ...client,
    patch(referralId, operations, eTag) {
      if (!raced) {
        raced = true;
        change(referralId);
      }
      return client.patch(referralId, operations, eTag);
    },
  };
}

describe('syncReferral', () => {
  it("creates the lead of a new referral and writes the lead's id back", async () => {
    const served = incoming();
    const { result, calls } = await callsDuring(() => syncReferral(served.id, deps()));

    const [lead] = leadsOf(served.id);
    expect(leadsOf(served.id)).toHaveLength(1);
    expect(result).toMatchObject({
      referralId: served.id,
      leadId: lead?.leadid,
      lead: 'created',
      referral: 'updated',
    });
    const after = cw.world.referrals.get(served.id);
    expect(after).toMatchObject({ externalReferenceId: lead?.leadid, status: 'New', substatus: 'Pending' });
    expect(calls.filter((call) => call.startsWith(UPSERT_LEAD))).toEqual([`${UPSERT_LEAD} 201`]);
    expect(calls.filter((call) => call.startsWith(PATCH_REFERRAL))).toEqual([`${PATCH_REFERRAL} 200`]);
    expect(await backend.store.getLink(toReferralKey(served.id))).toMatchObject({
      referralId: served.id,
      leadId: lead?.leadid,
      lastReferralETag: after?.eTag,
    });
  });

  it('records the steps on the referral timeline', async () => {
    const served = incoming();
    await syncReferral(served.id, deps());
    const steps = (await backend.store.timeline(toReferralKey(served.id))).map(
      (event) => `${event.step}:${event.outcome}`,
    );
    expect(steps.toReversed()).toEqual(['fetch-referral:ok', 'upsert-lead:created', 'write-back:ok']);
  });

  it('makes no CRM call at all for the echo of its own write-back', async () => {
    const served = incoming();
    await syncReferral(served.id, deps());
    const { result, calls } = await callsDuring(() => syncReferral(served.id, deps()));

    expect(result).toMatchObject({ lead: 'unchanged', referral: 'unchanged' });
    expect(calls).toEqual([`${GET_REFERRAL} 200`]);
  });

  it('reads the lead and writes the decision back when the CRM says the lead changed, though the referral did not', async () => {
    const served = incoming();
    await syncReferral(served.id, deps());
    const [lead] = leadsOf(served.id);
    if (!lead) throw new Error('expected a lead');
    cw.world.dataverse.sellerQualify(lead.leadid);

    const { result, calls } = await callsDuring(() => syncReferral(served.id, deps(), { leadChanged: true }));

    expect(result).toMatchObject({ lead: 'unchanged', referral: 'updated' });
    expect(calls).toEqual([`${GET_REFERRAL} 200`, `${READ_LEAD} 200`, `${PATCH_REFERRAL} 200`]);
    expect(cw.world.referrals.get(served.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
  });

  it('reads the lead but does not write it when only fields the lead does not carry changed', async () => {
    const served = incoming();
    await syncReferral(served.id, deps());
    cw.world.referrals.update(served.id, { favorite: true });
    const { result, calls } = await callsDuring(() => syncReferral(served.id, deps()));

    expect(result).toMatchObject({ lead: 'unchanged', referral: 'unchanged' });
    expect(calls).toEqual([`${GET_REFERRAL} 200`, `${READ_LEAD} 200`]);
    expect(await backend.store.getLink(toReferralKey(served.id))).toMatchObject({
      lastReferralETag: cw.world.referrals.get(served.id)?.eTag,
    });
  });

  it('updates the same lead when a mapped field changes, without writing the referral again', async () => {
    const served = incoming();
    const first = await syncReferral(served.id, deps());
    cw.world.referrals.update(served.id, { details: { notes: 'The customer doubled the budget.' } });
    const { result, calls } = await callsDuring(() => syncReferral(served.id, deps()));

    expect(result).toMatchObject({ lead: 'updated', referral: 'unchanged', leadId: first.leadId });
    expect(leadsOf(served.id)).toEqual([
      expect.objectContaining({ description: expect.stringContaining('The customer doubled the budget.') }),
    ]);
    expect(calls.filter((call) => call.startsWith(PATCH_REFERRAL))).toEqual([]);
  });

  it('re-reads and re-applies the write-back when the referral changed under it (412)', async () => {
    const served = incoming();
    const racing = racedOnce(referrals, (id) => cw.world.referrals.update(id, { favorite: true }));
    const { result, calls } = await callsDuring(() => syncReferral(served.id, deps({ referrals: racing })));

    const [lead] = leadsOf(served.id);
    expect(result).toMatchObject({ lead: 'created', referral: 'updated' });
    expect(calls.filter((call) => call.startsWith(PATCH_REFERRAL))).toEqual([
      `${PATCH_REFERRAL} 412`,
      `${PATCH_REFERRAL} 200`,
    ]);
    // The edit touched no mapped field: the lead written before the conflict still holds.
    expect(calls.filter((call) => call.includes('/leads'))).toEqual([`${UPSERT_LEAD} 201`]);
    expect(cw.world.referrals.get(served.id)).toMatchObject({
      externalReferenceId: lead?.leadid,
      favorite: true,
    });
    const steps = (await backend.store.timeline(toReferralKey(served.id))).map(
      (event) => `${event.step}:${event.outcome}`,
    );
    expect(steps).toContain('write-back:conflict');
  });

  it('writes the lead again in the same sync when the change made during the conflict is mapped', async () => {
    const served = incoming();
    const racing = racedOnce(referrals, (id) =>
      cw.world.referrals.update(id, { details: { notes: 'Edited by Microsoft during the sync.' } }),
    );
    const { result, calls } = await callsDuring(() => syncReferral(served.id, deps({ referrals: racing })));

    expect(result).toMatchObject({ lead: 'created', referral: 'updated' });
    expect(calls.filter((call) => call.includes('/leads'))).toEqual([
      `${UPSERT_LEAD} 201`,
      `${UPSERT_LEAD} 200`,
    ]);
    expect(leadsOf(served.id)).toEqual([
      expect.objectContaining({
        description: expect.stringContaining('Edited by Microsoft during the sync.'),
      }),
    ]);
    // What the link records as synced is what the lead holds: the event of that edit is an echo now.
    const after = cw.world.referrals.get(served.id);
    expect(await backend.store.getLink(toReferralKey(served.id))).toMatchObject({
      lastReferralETag: after?.eTag,
      lastReferralUpdatedAt: after?.updatedDateTime,
    });
    const next = await callsDuring(() => syncReferral(served.id, deps()));
    expect(next.result).toMatchObject({ lead: 'unchanged', referral: 'unchanged' });
    expect(next.calls).toEqual([`${GET_REFERRAL} 200`]);
  });

  it('writes nothing after a conflict when the re-read referral is Closed', async () => {
    const served = incoming();
    const racing = racedOnce(referrals, (id) =>
      cw.world.referrals.update(id, { status: 'Closed', substatus: 'Expired' }),
    );
    const { calls } = await callsDuring(() => syncReferral(served.id, deps({ referrals: racing })));

    expect(calls.filter((call) => call.startsWith(PATCH_REFERRAL))).toEqual([`${PATCH_REFERRAL} 412`]);
    expect(cw.world.referrals.get(served.id)).toMatchObject({
      status: 'Closed',
      externalReferenceId: served.externalReferenceId,
    });
    expect(await backend.store.getLink(toReferralKey(served.id))).toMatchObject({
      lastReferralETag: cw.world.referrals.get(served.id)?.eTag,
    });
  });

  it("does not report a write-back that never happened ('unchanged' after a conflict)", async () => {
    const served = incoming();
    const racing = racedOnce(referrals, (id) =>
      cw.world.referrals.update(id, { status: 'Closed', substatus: 'Expired' }),
    );
    const result = await syncReferral(served.id, deps({ referrals: racing }));
    expect(result.referral).toBe('unchanged');
  });

  it('gives up with the conflict when the referral keeps changing under every attempt', async () => {
    const served = incoming();
    const alwaysRacing: ReferralsClient = {
      ...referrals,
      patch(referralId, operations, eTag) {
        cw.world.referrals.update(referralId, { details: { notes: `edit ${Math.random()}` } });
        return referrals.patch(referralId, operations, eTag);
      },
    };
    const failure = await syncReferral(
      served.id,
      deps({ referrals: alwaysRacing, maxWriteBackAttempts: 2 }),
    ).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WriteBackConflictError);
    expect(failure).toMatchObject({ attempts: 2, cause: { disposition: 'conflict', status: 412 } });
    expect(cw.world.referrals.get(served.id)?.externalReferenceId).toBe(served.externalReferenceId);
  });

  it('never writes to a Closed referral, though its lead is kept', async () => {
    const served = incoming({ status: 'Closed', substatus: 'Lost' });
    const { result, calls } = await callsDuring(() => syncReferral(served.id, deps()));

    expect(result).toMatchObject({ lead: 'created', referral: 'unchanged' });
    expect(calls.filter((call) => call.startsWith(PATCH_REFERRAL))).toEqual([]);
    expect(cw.world.referrals.get(served.id)).toMatchObject({
      eTag: served.eTag,
      externalReferenceId: served.externalReferenceId,
    });
  });

  it('accepts the referral once the seller qualified the lead, although the lead itself is read-only', async () => {
    const served = incoming();
    const leadId = await leadIdOfSync(served.id);
    cw.world.dataverse.sellerQualify(leadId);
    cw.world.referrals.update(served.id, { details: { notes: 'Budget confirmed.' } });
    const result = await syncReferral(served.id, deps());

    expect(result).toMatchObject({ lead: 'closed', referral: 'updated', leadId });
    expect(cw.world.referrals.get(served.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
    expect(leadsOf(served.id)).toHaveLength(1);
  });

  it('declines the referral when the seller disqualified the lead', async () => {
    const served = incoming();
    const leadId = await leadIdOfSync(served.id);
    cw.world.dataverse.sellerUpdate(leadId, { statecode: 2, statuscode: 6 });
    cw.world.referrals.update(served.id, { favorite: true });
    const result = await syncReferral(served.id, deps());

    expect(result).toMatchObject({ referral: 'updated' });
    expect(cw.world.referrals.get(served.id)).toMatchObject({ status: 'Closed', substatus: 'Declined' });
  });

  it('creates the lead again when it was deleted in the CRM', async () => {
    const served = incoming();
    const firstLeadId = await leadIdOfSync(served.id);
    cw.world.dataverse.deleteLead(firstLeadId);
    cw.world.referrals.update(served.id, { favorite: true });
    const again = await syncReferral(served.id, deps());

    expect(again).toMatchObject({ lead: 'created', referral: 'updated' });
    expect(again.leadId).not.toBe(firstLeadId);
    expect(cw.world.referrals.get(served.id)?.externalReferenceId).toBe(again.leadId);
  });

  it('writes nothing back to Partner Center when write-back is off', async () => {
    const served = incoming();
    const { result, calls } = await callsDuring(() => syncReferral(served.id, deps({ writeBack: false })));

    expect(result).toMatchObject({ lead: 'created', referral: 'not-written' });
    expect(calls.filter((call) => call.startsWith(PATCH_REFERRAL))).toEqual([]);
    expect(leadsOf(served.id)).toHaveLength(1);
  });

  it('fails with not_found for a referral that does not exist, and records the failure', async () => {
    const missing = '00000000-0000-4000-8000-00000000dead';
    const failure = await syncReferral(missing, deps()).catch((e: unknown) => e);

    expect(failure).toMatchObject({ disposition: 'not_found', code: 'referrals_not_found' });
    const [last] = await backend.store.timeline(toReferralKey(missing));
    expect(last).toMatchObject({ step: 'sync', outcome: 'failed', detail: { code: 'referrals_not_found' } });
    expect(await backend.store.getLink(toReferralKey(missing))).toBeNull();
  });
});

describe('a configured mapping', () => {
  const mapping = compileMapping({
    fields: { topic: { template: '{name} ({customerProfile.address.country})' } },
    status: {
      // Dataverse statuscode 7 (Canceled): the seller withdrew it; decline even an accepted referral.
      crmStatus: { '7': { 'Active/Accepted': 'Closed/Declined' } },
      reasons: { '7': 'Canceled by the seller' },
    },
  });

  it('writes the lead fields it maps', async () => {
    const served = incoming({ name: 'Big deal', customerProfile: { address: { country: 'DE' } } });
    await syncReferral(served.id, deps({ mapping }));

    expect(leadsOf(served.id)[0]?.subject).toBe('Big deal (DE)');
  });

  it('moves the referral by the row of the CRM’s own status, with its reason', async () => {
    const served = cw.world.referrals.create({}, { as: 'partner' });
    const leadId = (await syncReferral(served.id, deps({ mapping }))).leadId as string;
    cw.world.dataverse.sellerUpdate(leadId, { statecode: 2, statuscode: 7 });
    await syncReferral(served.id, deps({ mapping }), { leadChanged: true });

    expect(cw.world.referrals.get(served.id)).toMatchObject({
      status: 'Closed',
      substatus: 'Declined',
      statusReason: 'Canceled by the seller',
    });
  });

  it('leaves the default to decide for a CRM status it has no row for', async () => {
    const served = cw.world.referrals.create({}, { as: 'partner' });
    const leadId = (await syncReferral(served.id, deps({ mapping }))).leadId as string;
    cw.world.dataverse.sellerUpdate(leadId, { statecode: 2, statuscode: 6 });
    await syncReferral(served.id, deps({ mapping }), { leadChanged: true });

    expect(cw.world.referrals.get(served.id)).toMatchObject({ status: 'Closed', substatus: 'Lost' });
  });
});

describe('the selection policy (sync.select)', () => {
  const onlyIncoming = { ...SELECT_ALL, direction: 'incoming' } as const;
  const onlyOpen = { ...SELECT_ALL, statuses: ['New', 'Active'] } as const;

  it('writes nothing anywhere for a referral the policy leaves out, and says why on its timeline', async () => {
    const served = cw.world.referrals.create({}, { as: 'partner' });
    const { result, calls } = await callsDuring(() =>
      syncReferral(served.id, deps({ select: onlyIncoming })),
    );

    expect(result).toMatchObject({ lead: 'skipped', leadId: null, referral: 'not-written' });
    expect(calls).toEqual([`${GET_REFERRAL} 200`]);
    expect(leadsOf(served.id)).toEqual([]);
    expect(await backend.store.getLink(toReferralKey(served.id))).toBeNull();
    const [last] = await backend.store.timeline(toReferralKey(served.id));
    expect(last).toMatchObject({ step: 'sync', outcome: 'skipped-by-policy', detail: { rule: 'direction' } });
  });

  it('leaves out a closed referral when only open ones are selected', async () => {
    const served = incoming({ status: 'Closed', substatus: 'Lost' });
    const result = await syncReferral(served.id, deps({ select: onlyOpen }));

    expect(result).toMatchObject({ lead: 'skipped', referral: 'not-written' });
    expect(leadsOf(served.id)).toEqual([]);
  });

  it('keeps syncing a referral that has a lead after it leaves the selected statuses', async () => {
    const served = incoming();
    await syncReferral(served.id, deps({ select: onlyOpen }));
    cw.world.referrals.update(served.id, { status: 'Closed', substatus: 'Lost' });
    const result = await syncReferral(served.id, deps({ select: onlyOpen }));

    expect(result.lead).not.toBe('skipped');
    expect(leadsOf(served.id)).toHaveLength(1);
    const link = await backend.store.getLink(toReferralKey(served.id));
    expect(link?.lastReferralETag).toBe(cw.world.referrals.get(served.id)?.eTag);
  });
});
