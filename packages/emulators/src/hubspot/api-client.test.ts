import { AssociationSpecAssociationCategoryEnum as V4Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import {
  AssociationSpecAssociationCategoryEnum as Category,
  FilterOperatorEnum,
} from '@hubspot/api-client/lib/codegen/crm/objects/leads/index.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type HubSpotWorld, startHubSpotWorld } from './test-support.ts';

/**
 * HubSpot's official Node client (`@hubspot/api-client` 14), unchanged but for its base path and the
 * emulator's CA, against the emulated portal: the calls a connector makes, with answers deserialized by
 * the client's own models.
 */
let hub: HubSpotWorld;
beforeAll(async () => {
  hub = await startHubSpotWorld({ limits: { searchPerSecond: 1000 } });
});
afterAll(() => hub.close());

type ClientError = { code: number; body: Record<string, unknown>; headers: Record<string, string> };
async function failure(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('the call succeeded');
}

const primaryContact = (id: string) => [
  { to: { id }, types: [{ associationCategory: Category.HubspotDefined, associationTypeId: 578 }] },
];

describe('@hubspot/api-client against the emulator', () => {
  test('contacts: basicApi create, getById by id and by email, update, archive', async () => {
    const contacts = hub.client().crm.contacts.basicApi;
    const created = await contacts.create({
      properties: { email: 'client@example.com', firstname: 'Ada' },
      associations: [],
    });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.properties.email).toBe('client@example.com');
    const byEmail = await contacts.getById(
      'client@example.com',
      ['firstname'],
      undefined,
      undefined,
      false,
      'email',
    );
    expect(byEmail).toMatchObject({ id: created.id, properties: { firstname: 'Ada' } });
    const updated = await contacts.update(created.id, { properties: { lastname: 'Lovelace' } });
    expect(updated.properties.lastname).toBe('Lovelace');
    await contacts.archive(created.id);
    const gone = await failure(contacts.getById(created.id));
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({ category: 'OBJECT_NOT_FOUND' });
  });

  test('leads: create with the primary contact, getById by referral_id, update, archive', async () => {
    const client = hub.client();
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'lead-client@example.com' },
      associations: [],
    });
    const leads = client.crm.objects.leads.basicApi;
    const lead = await leads.create({
      properties: { hs_lead_name: 'Client lead', referral_id: 'REF-CLIENT-1' },
      associations: primaryContact(contact.id),
    });
    expect(lead.properties).toMatchObject({
      hs_pipeline: 'lead-pipeline-id',
      hs_pipeline_stage: 'new-stage-id',
    });
    const read = await leads.getById(
      'REF-CLIENT-1',
      ['hs_pipeline_stage'],
      undefined,
      undefined,
      false,
      'referral_id',
    );
    expect(read.id).toBe(lead.id);
    const moved = await leads.update(
      'REF-CLIENT-1',
      { properties: { hs_pipeline_stage: 'connected-stage-id' } },
      'referral_id',
    );
    expect(moved.properties.hs_pipeline_stage).toBe('connected-stage-id');
    await leads.archive(lead.id);
    expect(hub.world.hubspot.object('leads', lead.id)?.archived).toBe(true);
  });

  test('a lead without its contact: the client surfaces the 400 with HubSpot’s error body', async () => {
    const error = await failure(
      hub
        .client()
        .crm.objects.leads.basicApi.create({ properties: { hs_lead_name: 'Alone' }, associations: [] }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
  });

  test('deals: create, getById, update, archive', async () => {
    const deals = hub.client().crm.deals.basicApi;
    const deal = await deals.create({
      properties: {
        dealname: 'Client deal',
        dealstage: 'qualifiedtobuy',
        amount: '25000',
        referral_id: 'REF-CLIENT-D',
      },
      associations: [],
    });
    expect(deal.properties).toMatchObject({ pipeline: 'default', amount: '25000' });
    const read = await deals.getById(deal.id, ['dealstage', 'referral_id']);
    expect(read.properties).toEqual({ dealstage: 'qualifiedtobuy', referral_id: 'REF-CLIENT-D' });
    expect(
      (await deals.update(deal.id, { properties: { dealstage: 'closedwon' } })).properties.hs_is_closed_won,
    ).toBe('true');
    await deals.archive(deal.id);
  });

  test('batchApi upsert and read: the new flag, and 207 partial failures as the client models them', async () => {
    const client = hub.client();
    const upserted = await client.crm.contacts.batchApi.upsert({
      inputs: [
        { idProperty: 'email', id: 'batch-client-1@example.com', properties: { firstname: 'One' } },
        { idProperty: 'email', id: 'batch-client-2@example.com', properties: { firstname: 'Two' } },
      ],
    });
    expect(upserted.status).toBe('COMPLETE');
    expect(upserted.results.map((result) => result._new)).toEqual([true, true]);
    const again = await client.crm.contacts.batchApi.upsert({
      inputs: [{ idProperty: 'email', id: 'batch-client-1@example.com', properties: { lastname: 'Again' } }],
    });
    expect(again.results[0]?._new).toBe(false);

    const contact = upserted.results[0]?.id ?? '';
    await client.crm.objects.leads.basicApi.create({
      properties: { hs_lead_name: 'Batch', referral_id: 'REF-CLIENT-B1' },
      associations: primaryContact(contact),
    });
    const leads = await client.crm.objects.leads.batchApi.upsert({
      inputs: [
        { idProperty: 'referral_id', id: 'REF-CLIENT-B1', properties: { hs_lead_label: 'HOT' } },
        { idProperty: 'referral_id', id: 'REF-CLIENT-B2', properties: { hs_lead_name: 'No contact' } },
      ],
    });
    expect(leads.results).toHaveLength(1);
    expect('numErrors' in leads && leads.numErrors).toBe(1);
    expect('errors' in leads && leads.errors?.[0]?.category).toBe('VALIDATION_ERROR');

    const read = await client.crm.objects.leads.batchApi.read({
      idProperty: 'referral_id',
      inputs: [{ id: 'REF-CLIENT-B1' }],
      properties: ['hs_lead_label'],
      propertiesWithHistory: [],
    });
    expect(read.results[0]?.properties).toEqual({ hs_lead_label: 'HOT' });
  });

  test('searchApi doSearch pages through changes with a stage filter', async () => {
    const client = hub.client();
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'search-client@example.com' },
      associations: [],
    });
    const since = hub.clock.now();
    for (const n of [1, 2, 3, 4, 5]) {
      hub.clock.advance(1000);
      await client.crm.objects.leads.basicApi.create({
        properties: {
          hs_lead_name: `Search ${n}`,
          referral_id: `REF-CLIENT-S${n}`,
          hs_pipeline_stage: n === 5 ? 'qualified-stage-id' : 'new-stage-id',
        },
        associations: primaryContact(contact.id),
      });
    }
    const found: string[] = [];
    let after: string | undefined = '0';
    while (after !== undefined) {
      const page = await client.crm.objects.leads.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_lastmodifieddate', operator: FilterOperatorEnum.Gt, value: String(since) },
              { propertyName: 'hs_pipeline_stage', operator: FilterOperatorEnum.Eq, value: 'new-stage-id' },
            ],
          },
        ],
        sorts: ['hs_lastmodifieddate'],
        properties: ['referral_id'],
        limit: 2,
        after,
      });
      expect(page.total).toBe(4);
      found.push(...page.results.map((result) => result.properties.referral_id ?? ''));
      after = page.paging?.next?.after;
    }
    expect(found).toEqual(['REF-CLIENT-S1', 'REF-CLIENT-S2', 'REF-CLIENT-S3', 'REF-CLIENT-S4']);
  });

  test('associations v4: createDefault, create with a type, getPage', async () => {
    const client = hub.client();
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'assoc-client@example.com' },
      associations: [],
    });
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Assoc', dealstage: 'contractsent' },
      associations: [],
    });
    const company = await client.crm.companies.basicApi.create({
      properties: { name: 'Assoc Ltd' },
      associations: [],
    });
    const byDefault = await client.crm.associations.v4.basicApi.createDefault(
      'deals',
      deal.id,
      'contacts',
      contact.id,
    );
    expect(byDefault.results[0]).toMatchObject({
      _from: { id: deal.id },
      to: { id: contact.id },
      associationSpec: { associationTypeId: 3 },
    });
    const typed = await client.crm.associations.v4.basicApi.create(
      'deals',
      deal.id,
      'companies',
      company.id,
      [{ associationCategory: V4Category.HubspotDefined, associationTypeId: 5 }],
    );
    expect(typed.labels).toEqual(['Primary']);
    const page = await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'deals');
    expect(page.results.map((result) => String(result.toObjectId))).toEqual([deal.id]);
  });

  test('properties coreApi getAll and pipelines getAll', async () => {
    const client = hub.client();
    const properties = await client.crm.properties.coreApi.getAll('leads');
    const referralId = properties.results.find((property) => property.name === 'referral_id');
    expect(referralId).toMatchObject({ hasUniqueValue: true, type: 'string' });
    const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
    expect(pipelines.results[0]?.id).toBe('default');
    expect(pipelines.results[0]?.stages.find((stage) => stage.id === 'closedlost')?.metadata).toEqual({
      isClosed: 'true',
      probability: '0.0',
    });
    expect(pipelines.results[0]?.createdAt).toEqual(new Date(0));
  });

  test('errors reach the client with their status and HubSpot body: 401, 403 and 409', async () => {
    const unknown = await failure(
      hub
        .client({ accessToken: 'pat-na1-11111111-2222-4333-8444-555555555555' })
        .crm.contacts.basicApi.getPage(),
    );
    expect(unknown.code).toBe(401);
    expect(unknown.body).toMatchObject({ category: 'INVALID_AUTHENTICATION' });
    const readOnly = String(
      (await hub.control('POST', '/tokens', { scopes: ['crm.objects.contacts.read'] })).json.accessToken,
    );
    const refused = await failure(
      hub
        .client({ accessToken: readOnly })
        .crm.contacts.basicApi.create({ properties: { email: 'x@example.com' }, associations: [] }),
    );
    expect(refused.code).toBe(403);
    expect(refused.body).toMatchObject({ category: 'MISSING_SCOPES' });
    const contacts = hub.client().crm.contacts.basicApi;
    const first = await contacts.create({
      properties: { email: 'dupe-client@example.com' },
      associations: [],
    });
    const dupe = await failure(
      contacts.create({ properties: { email: 'dupe-client@example.com' }, associations: [] }),
    );
    expect(dupe.code).toBe(409);
    expect(dupe.body.message).toBe(`Contact already exists. Existing ID: ${first.id}`);
  });

  test('the client reads the rate-limit headers of an answer, and a 429 with its policy', async () => {
    const client = hub.client();
    const info = await client.crm.contacts.basicApi.getPageWithHttpInfo(1);
    expect(info.headers['x-hubspot-ratelimit-max']).toBe('190');
    expect(Number(info.headers['x-hubspot-ratelimit-remaining'])).toBeLessThan(190);
    hub.world.traffic.setFaults({ hubspot: { '429': 1 } });
    try {
      const throttled = await failure(client.crm.contacts.basicApi.getPage(1));
      expect(throttled.code).toBe(429);
      expect(throttled.body).toMatchObject({ message: 'You have reached your ten_secondly_rolling limit.' });
    } finally {
      hub.world.traffic.setFaults({});
    }
  });
});
