import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContact, type HubSpotWorld, primaryContact, startHubSpotWorld } from './test-support.ts';

let hub: HubSpotWorld;
beforeAll(async () => {
  hub = await startHubSpotWorld();
});
afterAll(() => hub.close());

const createLead = (properties: Record<string, string>, associations?: unknown) =>
  hub.call('POST', '/crm/v3/objects/leads', {
    body: { properties, ...(associations ? { associations } : {}) },
  });

describe('leads (0-136)', () => {
  test('refuses a lead created without an association to a contact: 400 VALIDATION_ERROR', async () => {
    const answer = await createLead({ hs_lead_name: 'Alone', referral_id: 'REF-ALONE' });
    expect(answer.status).toBe(400);
    expect(answer.json.category).toBe('VALIDATION_ERROR');
    expect(String(answer.json.message)).toContain('associated with an existing contact');
    expect(hub.world.hubspot.findByProperty('leads', 'referral_id', 'REF-ALONE')).toBeUndefined();
  });

  test('refuses an association to a contact that does not exist', async () => {
    const answer = await createLead({ hs_lead_name: 'Ghost' }, primaryContact('99999'));
    expect(answer.status).toBe(400);
    expect(String(answer.json.message)).toBe('CONTACT 99999 does not exist, so it cannot be associated');
  });

  test('creates a lead with its contact, in the default pipeline and first stage, associated both ways', async () => {
    const contactId = await createContact(hub, 'lead-contact@example.com');
    const answer = await createLead(
      { hs_lead_name: 'Ada – REF-1001', referral_id: 'REF-1001' },
      primaryContact(contactId),
    );
    expect(answer.status).toBe(201);
    expect(answer.json.properties).toMatchObject({
      hs_lead_name: 'Ada – REF-1001',
      referral_id: 'REF-1001',
      hs_pipeline: 'lead-pipeline-id',
      hs_pipeline_stage: 'new-stage-id',
      hs_lastmodifieddate: new Date(hub.clock.now()).toISOString(),
    });
    const leadId = String(answer.json.id);
    const fromLead = await hub.call('GET', `/crm/v4/objects/leads/${leadId}/associations/contacts`);
    expect(fromLead.json.results).toEqual([
      {
        toObjectId: Number(contactId),
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 578, label: 'Primary' }],
      },
    ]);
    const fromContact = await hub.call('GET', `/crm/v4/objects/contacts/${contactId}/associations/leads`);
    expect(fromContact.json.results).toEqual([
      {
        toObjectId: Number(leadId),
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 579, label: 'Primary' }],
      },
    ]);
    const byObjectTypeId = await hub.call(
      'GET',
      `/crm/v3/objects/0-136/REF-1001?idProperty=referral_id&properties=hs_pipeline_stage`,
    );
    expect(byObjectTypeId.json).toMatchObject({
      id: leadId,
      properties: { hs_pipeline_stage: 'new-stage-id' },
    });
  });

  test('a lead needs hs_lead_name', async () => {
    const contactId = await createContact(hub, 'no-name@example.com');
    const answer = await createLead({ referral_id: 'REF-NONAME' }, primaryContact(contactId));
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([
      {
        message: 'hs_lead_name is required',
        code: 'REQUIRED_PROPERTY',
        context: { propertyName: ['hs_lead_name'] },
      },
    ]);
  });

  test('a stage must belong to the lead pipeline', async () => {
    const contactId = await createContact(hub, 'stage@example.com');
    const answer = await createLead(
      { hs_lead_name: 'S', hs_pipeline_stage: 'closedwon' },
      primaryContact(contactId),
    );
    expect(answer.status).toBe(400);
    expect(answer.json.errors?.[0]).toMatchObject({
      code: 'INVALID_OPTION',
      context: { propertyName: ['hs_pipeline_stage'] },
    });
    const moved = await createLead(
      { hs_lead_name: 'S', hs_pipeline_stage: 'connected-stage-id' },
      primaryContact(contactId),
    );
    expect(moved.json.properties).toMatchObject({ hs_pipeline_stage: 'connected-stage-id' });
  });

  test('referral_id is unique: a second lead with it gets 409 naming the first', async () => {
    const contactId = await createContact(hub, 'unique@example.com');
    const first = await createLead(
      { hs_lead_name: 'U', referral_id: 'REF-UNIQUE' },
      primaryContact(contactId),
    );
    const second = await createLead(
      { hs_lead_name: 'U2', referral_id: 'REF-UNIQUE' },
      primaryContact(contactId),
    );
    expect(second.status).toBe(409);
    expect(second.json.message).toBe(`Lead already exists. Existing ID: ${first.json.id}`);
  });
});

describe('deals', () => {
  test('go to the default pipeline, need a stage, and HubSpot calculates whether they are closed', async () => {
    const missing = await hub.call('POST', '/crm/v3/objects/deals', {
      body: { properties: { dealname: 'No stage' } },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.errors?.[0]).toMatchObject({
      code: 'REQUIRED_PROPERTY',
      context: { propertyName: ['dealstage'] },
    });
    const created = await hub.call('POST', '/crm/v3/objects/deals', {
      body: {
        properties: { dealname: 'Won', dealstage: 'closedwon', amount: '25000', referral_id: 'REF-DEAL-1' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.json.properties).toMatchObject({
      pipeline: 'default',
      dealstage: 'closedwon',
      amount: '25000',
      hs_is_closed: 'true',
      hs_is_closed_won: 'true',
    });
    const lost = await hub.call('PATCH', `/crm/v3/objects/deals/REF-DEAL-1?idProperty=referral_id`, {
      body: { properties: { dealstage: 'closedlost' } },
    });
    expect(lost.json.properties).toMatchObject({ hs_is_closed: 'true', hs_is_closed_won: 'false' });
  });

  test('a date property must be at midnight UTC', async () => {
    await hub.call('POST', '/crm/v3/properties/deals', {
      body: {
        name: 'go_live',
        label: 'Go live',
        type: 'date',
        fieldType: 'date',
        groupName: 'dealinformation',
      },
    });
    const bad = await hub.call('POST', '/crm/v3/objects/deals', {
      body: { properties: { dealname: 'D', dealstage: 'qualifiedtobuy', go_live: '1751241600001' } },
    });
    expect(bad.json.errors?.[0]).toMatchObject({
      code: 'INVALID_DATE',
      message: '1751241600001 is at 00:00:00.001 UTC, not midnight!',
    });
    const good = await hub.call('POST', '/crm/v3/objects/deals', {
      body: { properties: { dealname: 'D', dealstage: 'qualifiedtobuy', go_live: '2025-06-30' } },
    });
    expect(good.json.properties).toMatchObject({ go_live: '2025-06-30' });
  });
});
