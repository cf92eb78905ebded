import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  answeredStatuses,
  type ConnectorWorld,
  startConnectorWorld,
} from '../../../test/support/connector-world.ts';
import { toReferralKey } from '../../core/index.ts';
import { RemoteError } from '../../net/remote-error.ts';
import type { CrmAdapter } from '../crm-adapter.ts';
import { createDynamicsAdapter } from './dynamics-adapter.ts';
import { leadDraft } from './test-support.ts';

const CURRENCIES = 'GET /transactioncurrencies';
const UPSERT = 'PATCH /leads({key})';

let cw: ConnectorWorld;
let crm: CrmAdapter;

// A client of its own per use that throttles: a 429 pauses the whole client for Retry-After.
const newAdapter = () =>
  createDynamicsAdapter({
    url: cw.world.dataverseOrgUrl,
    apiVersion: 'v9.2',
    referralIdColumn: 'new_referralid',
    referralUrlColumn: 'new_referralurl',
    http: cw.http('dataverse'),
    tokens: cw.appTokens(cw.world.dataverseOrgUrl),
  });

beforeAll(async () => {
  cw = await startConnectorWorld();
  crm = newAdapter();
});
afterAll(() => cw?.close());
afterEach(() => cw.world.traffic.setFaults({}));

const freshKey = () => toReferralKey(randomUUID());
const leadsOf = (key: string) => cw.world.dataverse.leads().filter((lead) => lead.new_referralid === key);

async function remoteFailure(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RemoteError)) throw new Error(`expected a RemoteError, got ${String(error)}`);
  return error;
}

describe('dynamics adapter', () => {
  it('creates the lead on the referral key, then updates the same lead', async () => {
    const referralId = freshKey();
    const created = await crm.upsertLead(leadDraft({ referralId, topic: 'First topic' }));
    const updated = await crm.upsertLead(leadDraft({ referralId, topic: 'Second topic' }));

    expect(created).toMatchObject({ created: true, phase: 'open', crmStatus: '1', reason: 'New' });
    expect(updated).toMatchObject({ created: false, leadId: created.leadId, phase: 'open' });
    expect(leadsOf(referralId)).toEqual([
      expect.objectContaining({ leadid: created.leadId, subject: 'Second topic', leadsourcecode: 3 }),
    ]);
  });

  it('writes the mapped fields and the link to the referral', async () => {
    const referralId = freshKey();
    const draft = leadDraft({ referralId });
    await crm.upsertLead(draft);

    expect(leadsOf(referralId)[0]).toMatchObject({
      subject: draft.topic,
      firstname: 'Alex',
      lastname: 'Rivera',
      companyname: 'Northwind Traders',
      emailaddress1: 'alex.rivera@northwind.example',
      address1_city: 'Springfield',
      estimatedclosedate: '2026-09-30',
      new_referralurl: draft.referralUrl,
    });
  });

  it("binds the amount to the referral's currency, looking the currency up once", async () => {
    const euro = cw.world.dataverse.currencies().find((row) => row.isocurrencycode === 'EUR');
    cw.world.traffic.reset();
    const first = freshKey();
    const second = freshKey();
    await crm.upsertLead(leadDraft({ referralId: first, currencyCode: 'EUR', estimatedAmount: 1234.5 }));
    await crm.upsertLead(leadDraft({ referralId: second, currencyCode: 'EUR', estimatedAmount: 10 }));

    expect(leadsOf(first)[0]).toMatchObject({
      estimatedamount: 1234.5,
      _transactioncurrencyid_value: euro?.transactioncurrencyid,
    });
    expect(await answeredStatuses(cw.world, 'dataverse', UPSERT, 2)).toEqual({ 201: 2 });
    expect(cw.world.traffic.counters().dataverse.byEndpoint[CURRENCIES]?.count).toBe(1);
  });

  it('looks a currency up again after a failed lookup instead of remembering the failure', async () => {
    const adapter = newAdapter();
    cw.world.traffic.setFaults({ dataverse: { endpoints: { [CURRENCIES]: { '5xx': 1 } } } });
    const referralId = freshKey();
    const failure = await remoteFailure(adapter.upsertLead(leadDraft({ referralId, currencyCode: 'GBP' })));
    expect(failure).toMatchObject({ disposition: 'retry', code: 'dataverse_unavailable' });
    expect(leadsOf(referralId)).toEqual([]);

    cw.world.traffic.setFaults({});
    await adapter.upsertLead(leadDraft({ referralId, currencyCode: 'GBP' }));
    const pound = cw.world.dataverse.currencies().find((row) => row.isocurrencycode === 'GBP');
    expect(leadsOf(referralId)[0]?._transactioncurrencyid_value).toBe(pound?.transactioncurrencyid);
  });

  it('writes no amount in a currency the organization does not have', async () => {
    const referralId = freshKey();
    await crm.upsertLead(leadDraft({ referralId, currencyCode: 'XTS', estimatedAmount: 99 }));
    expect(leadsOf(referralId)[0]?.estimatedamount ?? null).toBeNull();
  });

  it('addresses a referral key holding a quote without touching another lead', async () => {
    const quoted = toReferralKey(`o'brien-${randomUUID()}`);
    const created = await crm.upsertLead(leadDraft({ referralId: quoted }));
    const again = await crm.upsertLead(leadDraft({ referralId: quoted }));

    expect(again).toMatchObject({ created: false, leadId: created.leadId });
    expect(leadsOf(quoted)).toHaveLength(1);
    expect(await crm.readLead(quoted)).toMatchObject({ leadId: created.leadId });
  });

  it('passes on a refused payload of an open lead as it is (not lead_closed)', async () => {
    const referralId = freshKey();
    await crm.upsertLead(leadDraft({ referralId }));
    const tooLong = leadDraft({ referralId, referralUrl: `https://x.example/${'r'.repeat(600)}` });

    const failure = await remoteFailure(crm.upsertLead(tooLong));
    expect(failure).toMatchObject({ disposition: 'dead_letter', code: 'dataverse_rejected', status: 400 });
  });

  // Creating, updating, reading, closed leads, the change feed and failure classes: the CRM contract suite
  // (test/contract/crm-adapter.contract.ts). Here: what only Dataverse has.
  describe('change feed (decided leads)', () => {
    it('refuses to follow a change link off the organization API', async () => {
      const failure = await remoteFailure(
        crm.decidedLeads?.('https://elsewhere.example/api/data/v9.2/leads?$deltatoken=1') ??
          Promise.resolve(),
      );
      expect(failure).toMatchObject({ code: 'change_feed_invalid' });
    });
  });
});
