import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type HubSpotWorld, startHubSpotWorld } from './test-support.ts';

let hub: HubSpotWorld;
beforeAll(async () => {
  hub = await startHubSpotWorld();
});
afterAll(() => hub.close());

describe('properties API', () => {
  test('the portal has the unique custom property referral_id on leads, deals and contacts', async () => {
    for (const objectType of ['leads', 'deals', 'contacts']) {
      const answer = await hub.call('GET', `/crm/v3/properties/${objectType}/referral_id`);
      expect(answer.status, objectType).toBe(200);
      expect(answer.json).toMatchObject({
        name: 'referral_id',
        type: 'string',
        fieldType: 'text',
        hasUniqueValue: true,
        hubspotDefined: false,
        options: [],
        modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      });
    }
    expect((await hub.call('GET', '/crm/v3/properties/companies/referral_id')).status).toBe(404);
  });

  test('lists every property of an object unpaged, enumeration options and pipeline-driven ones included', async () => {
    const answer = await hub.call('GET', '/crm/v3/properties/contacts');
    const byName = new Map((answer.json.results ?? []).map((property) => [property.name, property]));
    expect(byName.get('hs_lead_status')).toMatchObject({
      type: 'enumeration',
      options: expect.arrayContaining([
        { label: 'NEW', value: 'NEW', description: '', displayOrder: 0, hidden: false },
      ]),
    });
    expect(byName.get('lastmodifieddate')).toMatchObject({
      type: 'datetime',
      modificationMetadata: { readOnlyValue: true },
    });
    expect(answer.json).not.toHaveProperty('paging');
    const stage = await hub.call('GET', '/crm/v3/properties/leads/hs_pipeline_stage');
    expect(stage.json).toMatchObject({ type: 'enumeration', externalOptions: true, options: [] });
  });

  test('a portal admin creates a unique property; it addresses records and refuses duplicates', async () => {
    const created = await hub.call('POST', '/crm/v3/properties/companies', {
      body: {
        name: 'partner_id',
        label: 'Partner ID',
        type: 'string',
        fieldType: 'text',
        groupName: 'companyinformation',
        hasUniqueValue: true,
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'partner_id',
      hasUniqueValue: true,
      createdAt: expect.any(String),
    });
    const again = await hub.call('POST', '/crm/v3/properties/companies', {
      body: {
        name: 'partner_id',
        label: 'Partner ID',
        type: 'string',
        fieldType: 'text',
        groupName: 'companyinformation',
      },
    });
    expect(again.status).toBe(409);
    expect(again.json.category).toBe('OBJECT_ALREADY_EXISTS');
    const upserted = await hub.call('POST', '/crm/v3/objects/companies/batch/upsert', {
      body: { inputs: [{ idProperty: 'partner_id', id: 'P-1', properties: { name: 'Contoso' } }] },
    });
    expect(upserted.json.results?.[0]).toMatchObject({ new: true, properties: { partner_id: 'P-1' } });
    const bad = await hub.call('POST', '/crm/v3/properties/companies', {
      body: {
        name: 'Bad Name',
        label: 'B',
        type: 'string',
        fieldType: 'text',
        groupName: 'companyinformation',
      },
    });
    expect(bad.status).toBe(400);
  });

  test('custom properties can be configured instead of the defaults', async () => {
    const other = await startHubSpotWorld({
      customProperties: {
        leads: [
          {
            name: 'partner_ref',
            label: 'Ref',
            type: 'string',
            fieldType: 'text',
            groupName: 'leadinformation',
            hasUniqueValue: true,
          },
        ],
      },
    });
    try {
      expect((await other.call('GET', '/crm/v3/properties/leads/partner_ref')).status).toBe(200);
      expect((await other.call('GET', '/crm/v3/properties/leads/referral_id')).status).toBe(404);
      expect((await other.call('GET', '/crm/v3/properties/deals/referral_id')).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('pipelines API', () => {
  test('leads have lead-pipeline-id with the five documented stages', async () => {
    const answer = await hub.call('GET', '/crm/v3/pipelines/leads');
    expect(answer.status).toBe(200);
    const [pipeline] = answer.json.results ?? [];
    expect(pipeline).toMatchObject({ id: 'lead-pipeline-id', archived: false, displayOrder: 0 });
    expect(((pipeline?.stages ?? []) as Array<{ id: string }>).map((stage) => stage.id)).toEqual([
      'new-stage-id',
      'attempting-stage-id',
      'connected-stage-id',
      'qualified-stage-id',
      'unqualified-stage-id',
    ]);
  });

  test('deals have the default pipeline, string metadata, and stages created at epoch 0', async () => {
    const answer = await hub.call('GET', '/crm/v3/pipelines/deals/default/stages/closedwon');
    expect(answer.json).toEqual({
      label: 'Closed Won',
      displayOrder: 5,
      metadata: { isClosed: 'true', probability: '1.0' },
      id: 'closedwon',
      createdAt: '1970-01-01T00:00:00.000Z',
      updatedAt: '1970-01-01T00:00:00.000Z',
      archived: false,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    });
    const all = await hub.call('GET', '/crm/v3/pipelines/deals/default');
    expect((all.json.stages as Array<{ id: string }>).map((stage) => stage.id)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
  });

  test('an unknown pipeline or stage is 404; objects without pipelines are 400', async () => {
    expect((await hub.call('GET', '/crm/v3/pipelines/deals/nope')).status).toBe(404);
    expect((await hub.call('GET', '/crm/v3/pipelines/leads/lead-pipeline-id/stages/nope')).status).toBe(404);
    expect((await hub.call('GET', '/crm/v3/pipelines/contacts')).status).toBe(400);
  });

  test('a portal with another lead pipeline: records go to the first, and stages must match their pipeline', async () => {
    const other = await startHubSpotWorld({
      pipelines: {
        leads: [
          {
            id: '81234',
            label: 'Partner leads',
            stages: [
              { id: '91001', label: 'Received' },
              { id: '91002', label: 'Accepted' },
            ],
          },
          { id: 'lead-pipeline-id', label: 'Lead pipeline', stages: [{ id: 'new-stage-id', label: 'New' }] },
        ],
      },
    });
    try {
      const contact = await other.call('POST', '/crm/v3/objects/contacts', {
        body: { properties: { email: 'p@example.com' } },
      });
      const associations = [
        {
          to: { id: contact.json.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 578 }],
        },
      ];
      const lead = await other.call('POST', '/crm/v3/objects/leads', {
        body: { properties: { hs_lead_name: 'P' }, associations },
      });
      expect(lead.json.properties).toMatchObject({ hs_pipeline: '81234', hs_pipeline_stage: '91001' });
      const mismatch = await other.call('PATCH', `/crm/v3/objects/leads/${lead.json.id}`, {
        body: { properties: { hs_pipeline_stage: 'new-stage-id' } },
      });
      expect(mismatch.status).toBe(400);
      const moved = await other.call('PATCH', `/crm/v3/objects/leads/${lead.json.id}`, {
        body: { properties: { hs_pipeline: 'lead-pipeline-id', hs_pipeline_stage: 'new-stage-id' } },
      });
      expect(moved.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
