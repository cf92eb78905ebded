import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContact, type HubSpotWorld, primaryContact, startHubSpotWorld } from './test-support.ts';

let hub: HubSpotWorld;
beforeAll(async () => {
  hub = await startHubSpotWorld();
});
afterAll(() => hub.close());

const upsert = (objectType: string, inputs: unknown[]) =>
  hub.call('POST', `/crm/v3/objects/${objectType}/batch/upsert`, { body: { inputs } });

async function leadFor(referralId: string): Promise<string> {
  const contactId = await createContact(hub, `${referralId.toLowerCase()}@example.com`);
  const answer = await hub.call('POST', '/crm/v3/objects/leads', {
    body: {
      properties: { hs_lead_name: referralId, referral_id: referralId },
      associations: primaryContact(contactId),
    },
  });
  return String(answer.json.id);
}

describe('batch upsert', () => {
  test('upserts contacts by e-mail: new, then not new, the last-modified datetime moving only on change', async () => {
    const input = {
      idProperty: 'email',
      id: 'ada@example.com',
      properties: { firstname: 'Ada', lastname: 'Lovelace' },
    };
    const first = await upsert('contacts', [input]);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      status: 'COMPLETE',
      startedAt: expect.any(String),
      completedAt: expect.any(String),
    });
    const [created] = first.json.results ?? [];
    expect(created).toMatchObject({
      new: true,
      archived: false,
      properties: { email: 'ada@example.com', firstname: 'Ada' },
    });
    hub.clock.advance(1000);
    const again = await upsert('contacts', [{ ...input, id: 'ADA@example.com' }]);
    expect(again.json.results?.[0]).toMatchObject({
      id: created?.id,
      new: false,
      updatedAt: created?.updatedAt,
    });
    hub.clock.advance(1000);
    const changed = await upsert('contacts', [{ ...input, properties: { jobtitle: 'Analyst' } }]);
    expect(changed.json.results?.[0]).toMatchObject({
      id: created?.id,
      new: false,
      updatedAt: new Date(hub.clock.now()).toISOString(),
    });
  });

  test('upserts leads by referral_id; one that would have to be created without its contact fails alone: 207', async () => {
    const existing = await leadFor('REF-B1');
    const answer = await upsert('leads', [
      { idProperty: 'referral_id', id: 'REF-B1', properties: { hs_pipeline_stage: 'attempting-stage-id' } },
      {
        idProperty: 'referral_id',
        id: 'REF-B2',
        properties: { hs_lead_name: 'New one' },
        objectWriteTraceId: 't-2',
      },
    ]);
    expect(answer.status).toBe(207);
    expect(answer.json).toMatchObject({ status: 'COMPLETE', numErrors: 1 });
    expect(answer.json.results).toEqual([
      expect.objectContaining({
        id: existing,
        new: false,
        properties: expect.objectContaining({
          hs_pipeline_stage: 'attempting-stage-id',
          referral_id: 'REF-B1',
        }),
      }),
    ]);
    expect(answer.json.errors).toEqual([
      {
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: expect.stringContaining('associated with an existing contact'),
        context: { ids: ['REF-B2'], objectWriteTraceId: ['t-2'] },
        errors: [],
        links: {},
      },
    ]);
    expect(hub.world.hubspot.findByProperty('leads', 'referral_id', 'REF-B2')).toBeUndefined();
  });

  test('a unique value another record holds fails that input with CONFLICT', async () => {
    const holder = await createContact(hub, 'holder@example.com');
    await hub.call('POST', '/crm/v3/properties/contacts', {
      body: {
        name: 'partner_key',
        label: 'Partner key',
        type: 'string',
        fieldType: 'text',
        groupName: 'contactinformation',
        hasUniqueValue: true,
      },
    });
    const answer = await upsert('contacts', [
      { idProperty: 'partner_key', id: 'PK-1', properties: { email: 'holder@example.com' } },
      { idProperty: 'partner_key', id: 'PK-2', properties: { email: 'free@example.com' } },
    ]);
    expect(answer.status).toBe(207);
    expect(answer.json.results).toEqual([
      expect.objectContaining({ new: true, properties: expect.objectContaining({ partner_key: 'PK-2' }) }),
    ]);
    expect(answer.json.errors?.[0]).toMatchObject({
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${holder}`,
      context: { ids: ['PK-1'] },
    });
  });

  test("refuses a properties value of the idProperty that differs from the input's id", async () => {
    const answer = await upsert('contacts', [
      { idProperty: 'email', id: 'one@example.com', properties: { email: 'two@example.com' } },
    ]);
    expect(answer.status).toBe(207);
    expect(answer.json.errors?.[0]).toMatchObject({
      category: 'VALIDATION_ERROR',
      context: { ids: ['one@example.com'] },
    });
  });

  test('a refused property value fails the whole call with 400 and writes nothing', async () => {
    const answer = await upsert('contacts', [
      { idProperty: 'email', id: 'fine@example.com', properties: { firstname: 'Fine' } },
      { idProperty: 'email', id: 'bad@example.com', properties: { hs_lead_status: 'MAYBE' } },
    ]);
    expect(answer.status).toBe(400);
    expect(answer.json.errors?.[0]).toMatchObject({ code: 'INVALID_OPTION' });
    expect(hub.world.hubspot.findByProperty('contacts', 'email', 'fine@example.com')).toBeUndefined();
  });

  test('refuses more than 100 inputs, a non-unique idProperty and duplicate ids with 400', async () => {
    const many = Array.from({ length: 101 }, (_, n) => ({
      idProperty: 'email',
      id: `n${n}@example.com`,
      properties: {},
    }));
    const tooMany = await upsert('contacts', many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.category).toBe('VALIDATION_ERROR');
    const byObjectId = await upsert('leads', [{ idProperty: 'hs_object_id', id: '1', properties: {} }]);
    expect(byObjectId.json.message).toBe(
      `Unable to perform update/upsert by non-unique 0-136 property hs_object_id in portal ID ${hub.world.hubspot.portalId}`,
    );
    const twice = await upsert('contacts', [
      { idProperty: 'email', id: 'twice@example.com', properties: {} },
      { idProperty: 'email', id: 'twice@example.com', properties: {} },
    ]);
    expect(twice.status).toBe(400);
    expect(twice.json.message).toContain('Duplicate IDs found in batch input');
  });
});

describe('batch read, create, update, archive', () => {
  test('reads by idProperty with named properties; ids not found are one 207 error', async () => {
    await leadFor('REF-R1');
    const answer = await hub.call('POST', '/crm/v3/objects/leads/batch/read', {
      body: {
        idProperty: 'referral_id',
        inputs: [{ id: 'REF-R1' }, { id: 'REF-NOPE' }],
        properties: ['referral_id', 'hs_pipeline_stage'],
        propertiesWithHistory: [],
      },
    });
    expect(answer.status).toBe(207);
    expect(answer.json.results?.[0]?.properties).toEqual({
      referral_id: 'REF-R1',
      hs_pipeline_stage: 'new-stage-id',
    });
    expect(answer.json.errors).toEqual([
      expect.objectContaining({
        category: 'OBJECT_NOT_FOUND',
        message:
          'Could not get some LEAD objects, they may be deleted or not exist. Check that ids are valid.',
        context: { ids: ['REF-NOPE'] },
      }),
    ]);
  });

  test('batch create answers 201, and is all or nothing: one taken e-mail is a 409 and nothing is created', async () => {
    const created = await hub.call('POST', '/crm/v3/objects/contacts/batch/create', {
      body: {
        inputs: [{ properties: { email: 'bc1@example.com' } }, { properties: { email: 'bc2@example.com' } }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.json.results).toHaveLength(2);
    const refused = await hub.call('POST', '/crm/v3/objects/contacts/batch/create', {
      body: {
        inputs: [{ properties: { email: 'bc3@example.com' } }, { properties: { email: 'bc1@example.com' } }],
      },
    });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toBe(
      `Contact already exists. Existing ID: ${created.json.results?.[0]?.id}`,
    );
    expect(hub.world.hubspot.findByProperty('contacts', 'email', 'bc3@example.com')).toBeUndefined();
  });

  test('batch update updates by id or idProperty; a missing record fails alone', async () => {
    const id = await createContact(hub, 'bu@example.com');
    const answer = await hub.call('POST', '/crm/v3/objects/contacts/batch/update', {
      body: {
        inputs: [
          { id, properties: { jobtitle: 'One' } },
          { id: 'bu@example.com', idProperty: 'email', properties: { lastname: 'Two' } },
          { id: '424242', properties: { jobtitle: 'Nobody' } },
        ],
      },
    });
    expect(answer.status).toBe(207);
    expect(answer.json.results).toHaveLength(2);
    expect(answer.json.errors?.[0]).toMatchObject({
      category: 'OBJECT_NOT_FOUND',
      context: { ids: ['424242'] },
    });
    expect(hub.world.hubspot.object('contacts', id)?.properties).toMatchObject({
      jobtitle: 'One',
      lastname: 'Two',
    });
  });

  test('batch archive answers 204 and archives', async () => {
    const id = await createContact(hub, 'ba@example.com');
    const answer = await hub.call('POST', '/crm/v3/objects/contacts/batch/archive', {
      body: { inputs: [{ id }] },
    });
    expect(answer.status).toBe(204);
    expect(hub.world.hubspot.object('contacts', id)?.archived).toBe(true);
  });
});
