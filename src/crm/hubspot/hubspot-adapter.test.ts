import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshKey, leadDraft } from '../../../test/contract/crm-adapter.contract.ts';
import { type ConnectorWorld, startConnectorWorld, waitFor } from '../../../test/support/connector-world.ts';
import type { ReferralKey } from '../../core/index.ts';
import { RemoteError } from '../../net/remote-error.ts';
import type { CrmAdapter } from '../crm-adapter.ts';
import { nextDailyReset } from './daily-limit-guard.ts';
import type { HubSpotObject } from './hubspot-config.ts';
import { createPrivateAppToken } from './private-app-token.ts';
import { createTestHubSpotAdapter, prepareTestPortal } from './test-support.ts';

const CONTACT_UPSERT = 'POST /crm/v3/objects/:objectType/batch/upsert';
const CREATE = 'POST /crm/v3/objects/:objectType';
const UPDATE = 'PATCH /crm/v3/objects/:objectType/:objectId';
const READ = 'GET /crm/v3/objects/:objectType/:objectId';
const ASSOCIATE = 'PUT /crm/v4/objects/:fromType/:fromId/associations/:toType/:toId';

let cw: ConnectorWorld;

beforeAll(async () => {
  cw = await startConnectorWorld();
  prepareTestPortal(cw);
});
afterAll(() => cw?.close());
afterEach(() => {
  cw.world.traffic.setFaults({});
  cw.world.hubspot.setSearchLagMs(0);
});

const adapter = (object: HubSpotObject = 'leads') => createTestHubSpotAdapter(cw, { object });
const recordsOf = (object: HubSpotObject, key: ReferralKey) =>
  cw.world.hubspot.objects(object).filter((record) => record.properties.referral_id === key);
const contactsWith = (property: string, value: string) =>
  cw.world.hubspot.objects('contacts').filter((contact) => contact.properties[property] === value);
const associatedContacts = (object: HubSpotObject, id: string) =>
  cw.world.hubspot.associations(object, id, 'contacts');

async function failureOf(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RemoteError)) throw new Error(`expected a RemoteError, got ${String(error)}`);
  return error;
}

/** HubSpot requests `act` made, by endpoint, as the emulated portal counted them. */
async function callsOf(act: () => Promise<unknown>): Promise<Record<string, number>> {
  const counts = () =>
    Object.fromEntries(
      Object.entries(cw.world.traffic.counters().hubspot.byEndpoint).map(([name, c]) => [name, c.count]),
    );
  await cw.trafficSettled();
  const before = counts();
  await act();
  await cw.trafficSettled();
  const calls: Record<string, number> = {};
  for (const [name, count] of Object.entries(counts()))
    if (count > (before[name] ?? 0)) calls[name] = count - (before[name] ?? 0);
  return calls;
}

describe('hubspot adapter: leads', () => {
  it('creates a new lead in two calls: the contact by e-mail, then the lead with its primary contact', async () => {
    const crm = adapter();
    const key = freshKey();
    const email = `${key}@northwind.example`;
    let created: Awaited<ReturnType<CrmAdapter['upsertLead']>> | undefined;
    const calls = await callsOf(async () => {
      created = await crm.upsertLead(
        leadDraft({ referralId: key, contact: { ...leadDraft().contact, email } }),
      );
    });

    expect(calls).toEqual({ [CONTACT_UPSERT]: 1, [CREATE]: 1 });
    expect(created).toMatchObject({ created: true, phase: 'open', crmStatus: 'new-stage-id' });
    const [lead] = recordsOf('leads', key);
    expect(lead?.properties).toMatchObject({
      hs_lead_name: 'Northwind Traders - Azure migration',
      hs_pipeline: 'lead-pipeline-id',
      hs_pipeline_stage: 'new-stage-id',
    });
    const [contact] = contactsWith('email', email);
    expect(contact?.properties).toMatchObject({
      firstname: 'Alex',
      lastname: 'Rivera',
      company: 'Northwind Traders',
      city: 'Springfield',
    });
    expect(associatedContacts('leads', created?.leadId ?? '')).toEqual([
      expect.objectContaining({ toId: contact?.id, typeIds: expect.arrayContaining([578]) }),
    ]);
  });

  it('updates a lead it wrote in two calls, and reads one in one', async () => {
    const crm = adapter();
    const key = freshKey();
    const { leadId } = await crm.upsertLead(leadDraft({ referralId: key }));

    const update = await callsOf(() => crm.upsertLead(leadDraft({ referralId: key, topic: 'Changed' })));
    const read = await callsOf(() => crm.readLead(key));

    expect(update).toEqual({ [CONTACT_UPSERT]: 1, [UPDATE]: 1 });
    expect(read).toEqual({ [READ]: 1 });
    expect(recordsOf('leads', key)).toEqual([
      expect.objectContaining({
        id: leadId,
        properties: expect.objectContaining({ hs_lead_name: 'Changed' }),
      }),
    ]);
  });

  it("updates the lead another process created: the create's 409 names it, and the contact is associated again", async () => {
    const key = freshKey();
    const { leadId } = await adapter().upsertLead(leadDraft({ referralId: key }));
    const other = adapter();

    let result: Awaited<ReturnType<CrmAdapter['upsertLead']>> | undefined;
    const calls = await callsOf(async () => {
      result = await other.upsertLead(leadDraft({ referralId: key, topic: 'From elsewhere' }));
    });

    expect(result).toMatchObject({ created: false, leadId, phase: 'open' });
    expect(calls).toEqual({ [CONTACT_UPSERT]: 1, [CREATE]: 1, [UPDATE]: 1, [ASSOCIATE]: 1 });
    expect(recordsOf('leads', key)).toEqual([
      expect.objectContaining({ properties: expect.objectContaining({ hs_lead_name: 'From elsewhere' }) }),
    ]);
  });

  it('ends with one contact and one lead when the lead write failed after the contact was written', async () => {
    const crm = adapter();
    const key = freshKey();
    const email = `${key}@northwind.example`;
    const draft = leadDraft({ referralId: key, contact: { ...leadDraft().contact, email } });
    cw.world.traffic.setFaults({ hubspot: { endpoints: { [CREATE]: { '5xx': 1 } } } });
    expect(await failureOf(crm.upsertLead(draft))).toMatchObject({ disposition: 'retry' });
    expect(contactsWith('email', email)).toHaveLength(1);
    expect(recordsOf('leads', key)).toEqual([]);

    cw.world.traffic.setFaults({});
    const written = await crm.upsertLead(draft);
    expect(written).toMatchObject({ created: true });
    expect(contactsWith('email', email)).toHaveLength(1);
    expect(recordsOf('leads', key)).toHaveLength(1);
  });

  it('keys the contact of a referral without an e-mail address by its referral id: one contact however often it is written', async () => {
    const key = freshKey();
    const noEmail = leadDraft({ referralId: key, contact: { ...leadDraft().contact, email: null } });
    const results = await Promise.all([
      adapter().upsertLead(noEmail),
      adapter().upsertLead(noEmail),
      adapter().upsertLead({ ...noEmail, topic: 'again' }),
    ]);

    const contacts = contactsWith('referral_id', key);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]?.properties.email).toBeUndefined();
    expect(new Set(results.map((r) => r.leadId)).size).toBe(1);
    expect(associatedContacts('leads', results[0]?.leadId ?? '').map((a) => a.toId)).toEqual([
      contacts[0]?.id,
    ]);
  });

  it("moves the lead to the referral's new contact when the customer's e-mail address changes", async () => {
    const crm = adapter();
    const key = freshKey();
    const draft = leadDraft({
      referralId: key,
      contact: { ...leadDraft().contact, email: `old-${key}@x.example` },
    });
    const { leadId } = await crm.upsertLead(draft);
    await crm.upsertLead({ ...draft, contact: { ...draft.contact, email: `new-${key}@x.example` } });

    const [renamed] = contactsWith('email', `new-${key}@x.example`);
    const primary = associatedContacts('leads', leadId).filter((a) => a.typeIds.includes(578));
    expect(primary.map((a) => a.toId)).toEqual([renamed?.id]);
  });

  it('never writes the stage on an update, so a seller’s decision stands and is read back', async () => {
    const crm = adapter();
    const key = freshKey();
    const { leadId } = await crm.upsertLead(leadDraft({ referralId: key }));
    cw.world.hubspot.moveToStage('leads', leadId, 'unqualified-stage-id');

    const updated = await crm.upsertLead(leadDraft({ referralId: key, topic: 'after the decision' }));
    expect(updated).toMatchObject({ leadId, phase: 'disqualified', crmStatus: 'unqualified-stage-id' });
    expect(cw.world.hubspot.object('leads', leadId)?.properties.hs_pipeline_stage).toBe(
      'unqualified-stage-id',
    );
  });

  it('creates the lead again when it was deleted in HubSpot since this process wrote it', async () => {
    const crm = adapter();
    const key = freshKey();
    const first = await crm.upsertLead(leadDraft({ referralId: key }));
    cw.world.hubspot.archive('leads', first.leadId);

    const again = await crm.upsertLead(leadDraft({ referralId: key }));
    expect(again).toMatchObject({ created: true });
    expect(again.leadId).not.toBe(first.leadId);
    expect(recordsOf('leads', key).map((r) => r.id)).toEqual([again.leadId]);
  });
});

describe('hubspot adapter: deals', () => {
  it('creates the deal with its amount, close date, description, pipeline and stage, associated with the contact', async () => {
    const crm = adapter('deals');
    const key = freshKey();
    const written = await crm.upsertLead(leadDraft({ referralId: key, estimatedAmount: 1234.5 }));

    const [deal] = recordsOf('deals', key);
    expect(written).toMatchObject({ created: true, phase: 'open', crmStatus: 'appointmentscheduled' });
    expect(deal?.properties).toMatchObject({
      dealname: 'Northwind Traders - Azure migration',
      amount: '1234.50',
      closedate: '2026-09-30T12:00:00.000Z',
      description: 'Customer wants to move two datacenters to Azure this fiscal year.',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
    });
    expect(associatedContacts('deals', written.leadId).map((a) => a.typeIds)).toEqual([[3]]);
  });

  it("leaves the amount alone when it is in a currency other than the portal's, and clears what the referral no longer has", async () => {
    const crm = adapter('deals');
    const key = freshKey();
    await crm.upsertLead(leadDraft({ referralId: key, estimatedAmount: 500 }));
    await crm.upsertLead(
      leadDraft({ referralId: key, estimatedAmount: 900, currencyCode: 'EUR', estimatedCloseDate: null }),
    );

    const [deal] = recordsOf('deals', key);
    expect(deal?.properties.amount).toBe('500');
    expect(deal?.properties.closedate).toBeUndefined();
  });

  it('reads a won deal as qualified and a lost one as disqualified with the reason the seller gave', async () => {
    const crm = adapter('deals');
    const won = await crm.upsertLead(leadDraft());
    const lost = await crm.upsertLead(leadDraft());
    cw.world.hubspot.moveToStage('deals', won.leadId, 'closedwon');
    cw.world.hubspot.moveToStage('deals', lost.leadId, 'closedlost');
    if (!cw.world.hubspot.properties('deals').some((p) => p.name === 'closed_lost_reason'))
      cw.world.hubspot.createProperty('deals', {
        name: 'closed_lost_reason',
        label: 'Closed Lost Reason',
        type: 'string',
        fieldType: 'textarea',
        groupName: 'dealinformation',
      });
    cw.world.hubspot.sellerUpdate('deals', lost.leadId, { closed_lost_reason: 'Went with a competitor' });

    const wonKey = cw.world.hubspot.object('deals', won.leadId)?.properties.referral_id as ReferralKey;
    const lostKey = cw.world.hubspot.object('deals', lost.leadId)?.properties.referral_id as ReferralKey;
    expect(await crm.readLead(wonKey)).toMatchObject({ phase: 'qualified', crmStatus: 'closedwon' });
    expect(await crm.readLead(lostKey)).toMatchObject({
      phase: 'disqualified',
      crmStatus: 'closedlost',
      reason: 'Went with a competitor',
    });
  });
});

describe('hubspot adapter: change feed', () => {
  it('reports a decision that reached the search index after a later one, thanks to the overlap', async () => {
    const crm = adapter();
    const start = await crm.decidedLeads?.(null);
    const late = await crm.upsertLead(leadDraft());
    const early = await crm.upsertLead(leadDraft());
    const lateKey = cw.world.hubspot.object('leads', late.leadId)?.properties.referral_id as ReferralKey;
    const earlyKey = cw.world.hubspot.object('leads', early.leadId)?.properties.referral_id as ReferralKey;

    // Decided first, indexed last: HubSpot's search index lags behind its writes.
    cw.world.hubspot.setSearchLagMs(1_000);
    const lateStamp = Date.parse(
      cw.world.hubspot.moveToStage('leads', late.leadId, 'qualified-stage-id').properties
        .hs_lastmodifieddate ?? '',
    );
    cw.world.hubspot.setSearchLagMs(0);
    await waitFor(() => Date.now() > lateStamp, 'a later millisecond');
    cw.world.hubspot.moveToStage('leads', early.leadId, 'unqualified-stage-id');

    const first = await crm.decidedLeads?.(start?.cursor ?? null);
    expect(first?.referralKeys).toEqual([earlyKey]);
    // Its stamp is older than the newest the feed has seen; the next pass still finds it.
    let next = first;
    await waitFor(async () => {
      next = await crm.decidedLeads?.(first?.cursor ?? null);
      return (next?.referralKeys.length ?? 0) > 0;
    }, 'the late decision in the feed');
    expect(next?.referralKeys).toEqual([lateKey]);
    expect(await crm.decidedLeads?.(next?.cursor ?? null)).toMatchObject({ referralKeys: [] });
  });

  it('reports a decided lead again only when its stage changes, not when HubSpot or the connector touch it', async () => {
    const crm = adapter();
    const key = freshKey();
    const { leadId } = await crm.upsertLead(leadDraft({ referralId: key }));
    cw.world.hubspot.moveToStage('leads', leadId, 'qualified-stage-id');
    const first = await crm.decidedLeads?.(null);
    expect(first?.referralKeys).toContain(key);

    cw.world.hubspot.touch('leads', leadId);
    await crm.upsertLead(leadDraft({ referralId: key, topic: 'edited after the decision' }));
    const quiet = await crm.decidedLeads?.(first?.cursor ?? null);
    expect(quiet?.referralKeys).toEqual([]);

    cw.world.hubspot.moveToStage('leads', leadId, 'unqualified-stage-id');
    expect((await crm.decidedLeads?.(quiet?.cursor ?? null))?.referralKeys).toEqual([key]);
  });
});

describe('hubspot adapter: refusals', () => {
  it('dead-letters a refused token naming the key to set, after the one repeat sendAuthorized makes', async () => {
    const crm = createTestHubSpotAdapter(cw, {
      object: 'leads',
      tokens: () =>
        createPrivateAppToken('pat-na1-11111111-2222-3333-4444-555555555555', cw.world.urls.hubspot),
    });
    let failure: RemoteError | undefined;
    const calls = await callsOf(async () => {
      failure = await failureOf(crm.upsertLead(leadDraft()));
    });
    expect(failure).toMatchObject({ disposition: 'dead_letter', code: 'hubspot_unauthorized', status: 401 });
    expect(failure?.message).toContain('crm.hubspot.accessToken');
    expect(calls).toEqual({ [CONTACT_UPSERT]: 2 });
  });

  it('dead-letters a token without the leads scopes, naming the scope the private app needs', async () => {
    const grant = cw.world.hubspot.issueToken({
      scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'],
    });
    const crm = createTestHubSpotAdapter(cw, {
      object: 'leads',
      tokens: () => createPrivateAppToken(grant.token, cw.world.urls.hubspot),
    });
    const failure = await failureOf(crm.upsertLead(leadDraft()));
    expect(failure).toMatchObject({ disposition: 'dead_letter', code: 'hubspot_missing_scopes' });
    expect(failure.message).toContain('crm.objects.leads.write');
  });

  it('dead-letters a referral without an e-mail in a portal without the unique contact property, naming it', async () => {
    const bare = await startConnectorWorld({ hubspot: { customProperties: { leads: [] } } });
    try {
      const crm = createTestHubSpotAdapter(bare, { object: 'leads' });
      const draft = leadDraft({ contact: { ...leadDraft().contact, email: null } });
      const failure = await failureOf(crm.upsertLead(draft));
      expect(failure).toMatchObject({ disposition: 'dead_letter', code: 'hubspot_rejected' });
      expect(failure.message).toContain('referral_id');
    } finally {
      await bare.close();
    }
  });
});

describe('hubspot adapter: the daily limit', () => {
  it('pauses every HubSpot call until midnight in the portal’s time zone once the daily limit is used up', async () => {
    const crm = createTestHubSpotAdapter(cw, { object: 'leads', portalTimeZone: 'America/New_York' });
    await crm.upsertLead(leadDraft());
    const limits = cw.world.hubspot.limits();
    cw.world.hubspot.setLimits({ daily: cw.world.hubspot.dailyUsed() });
    try {
      const before = Date.now();
      const failure = await failureOf(crm.upsertLead(leadDraft()));
      const resetIn = nextDailyReset(before, 'America/New_York') - before;
      expect(failure).toMatchObject({ disposition: 'retry', code: 'hubspot_daily_limit', status: 429 });
      expect(failure.retryAfterMs).toBeGreaterThan(resetIn - 5_000);
      expect(failure.retryAfterMs).toBeLessThanOrEqual(resetIn);
      expect(failure.message).toMatch(/daily API limit is used up.*resets at \d{4}-\d\d-\d\dT/);

      // Turned away at once, without asking HubSpot again.
      const calls = await callsOf(async () => {
        expect(await failureOf(crm.readLead(freshKey()))).toMatchObject({ code: 'hubspot_daily_limit' });
      });
      expect(calls).toEqual({});
    } finally {
      cw.world.hubspot.setLimits(limits);
    }
  });
});

describe('hubspot adapter: a change feed longer than one search can page', () => {
  let big: ConnectorWorld;
  beforeAll(async () => {
    big = await startConnectorWorld({ hubspot: { limits: { searchPerSecond: 1_000 } } });
  });
  afterAll(() => big?.close());

  it('reports more than 10,000 decided leads from scratch, each once, in about one search per page', async () => {
    const { hubspot } = big.world;
    const contact = hubspot.create('contacts', { properties: { email: 'many@northwind.example' } });
    const keys: string[] = [];
    for (let i = 0; i < 10_050; i++) {
      const key = freshKey();
      keys.push(key);
      hubspot.create('leads', {
        properties: { hs_lead_name: `Lead ${i}`, referral_id: key, hs_pipeline_stage: 'qualified-stage-id' },
        associations: [{ toObjectType: 'contacts', toObjectId: contact.id, associationTypeId: 578 }],
      });
    }
    const crm = createTestHubSpotAdapter(big, { object: 'leads', searchesPerSecond: 1_000 });

    let feed: Awaited<ReturnType<NonNullable<CrmAdapter['decidedLeads']>>> | undefined;
    const calls = await (async () => {
      const before = big.world.traffic.counters().hubspot.total;
      feed = await crm.decidedLeads?.(null);
      await big.trafficSettled();
      return big.world.traffic.counters().hubspot.total - before;
    })();

    expect(feed?.fromScratch).toBe(true);
    expect(feed?.referralKeys).toHaveLength(keys.length);
    expect(new Set(feed?.referralKeys)).toEqual(new Set(keys));
    // 51 pages of 200, a few more where a page ends inside a millisecond many leads share.
    expect(calls).toBeGreaterThanOrEqual(51);
    expect(calls).toBeLessThan(80);
    expect(await crm.decidedLeads?.(feed?.cursor ?? null)).toMatchObject({ referralKeys: [] });
  }, 60_000);
});
