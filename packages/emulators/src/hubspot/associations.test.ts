import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContact, type HubSpotWorld, startHubSpotWorld } from './test-support.ts';

let hub: HubSpotWorld;
beforeAll(async () => {
  hub = await startHubSpotWorld();
});
afterAll(() => hub.close());

async function deal(name: string): Promise<string> {
  const answer = await hub.call('POST', '/crm/v3/objects/deals', {
    body: { properties: { dealname: name, dealstage: 'appointmentscheduled' } },
  });
  return String(answer.json.id);
}
async function company(name: string): Promise<string> {
  const answer = await hub.call('POST', '/crm/v3/objects/companies', { body: { properties: { name } } });
  return String(answer.json.id);
}

describe('associations v4', () => {
  test('PUT default associates two records with the unlabelled type, answered in both directions', async () => {
    const dealId = await deal('Default');
    const contactId = await createContact(hub, 'assoc-default@example.com');
    const answer = await hub.call(
      'PUT',
      `/crm/v4/objects/deals/${dealId}/associations/default/contacts/${contactId}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      status: 'COMPLETE',
      results: [
        {
          from: { id: dealId },
          to: { id: contactId },
          associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 },
        },
        {
          from: { id: contactId },
          to: { id: dealId },
          associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 4 },
        },
      ],
    });
    const listed = await hub.call('GET', `/crm/v4/objects/contacts/${contactId}/associations/deals`);
    expect(listed.json.results).toEqual([
      {
        toObjectId: Number(dealId),
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }],
      },
    ]);
  });

  test('PUT with types answers 201 with the labels; a new primary replaces the old one', async () => {
    const dealId = await deal('Typed');
    const [first, second] = [await company('First'), await company('Second')];
    const primary = [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }];
    const answer = await hub.call('PUT', `/crm/v4/objects/deals/${dealId}/associations/companies/${first}`, {
      body: primary,
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({
      fromObjectTypeId: '0-3',
      fromObjectId: Number(dealId),
      toObjectTypeId: '0-2',
      toObjectId: Number(first),
      labels: ['Primary'],
    });
    await hub.call('PUT', `/crm/v4/objects/deals/${dealId}/associations/companies/${second}`, {
      body: [...primary, { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 341 }],
    });
    const listed = await hub.call('GET', `/crm/v4/objects/deals/${dealId}/associations/companies`);
    expect(listed.json.results).toEqual([
      {
        toObjectId: Number(second),
        associationTypes: [
          { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
          { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
        ],
      },
    ]);
  });

  test('refuses an unknown type with 400 and a missing record with 404; DELETE removes both directions', async () => {
    const dealId = await deal('Refusals');
    const contactId = await createContact(hub, 'assoc-refusals@example.com');
    const wrongType = await hub.call(
      'PUT',
      `/crm/v4/objects/deals/${dealId}/associations/contacts/${contactId}`,
      {
        body: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 578 }],
      },
    );
    expect(wrongType.status).toBe(400);
    const missing = await hub.call(
      'PUT',
      `/crm/v4/objects/deals/${dealId}/associations/default/contacts/404404`,
    );
    expect(missing.status).toBe(404);
    expect(missing.json.category).toBe('OBJECT_NOT_FOUND');
    await hub.call('PUT', `/crm/v4/objects/deals/${dealId}/associations/default/contacts/${contactId}`);
    expect(
      (await hub.call('DELETE', `/crm/v4/objects/deals/${dealId}/associations/contacts/${contactId}`)).status,
    ).toBe(204);
    expect(
      (await hub.call('GET', `/crm/v4/objects/contacts/${contactId}/associations/deals`)).json.results,
    ).toEqual([]);
  });

  test('batch associate default and batch create answer per input, 207 for the ones that fail', async () => {
    const [a, b] = [await deal('Batch A'), await deal('Batch B')];
    const contactId = await createContact(hub, 'assoc-batch@example.com');
    const defaults = await hub.call('POST', '/crm/v4/associations/deals/contacts/batch/associate/default', {
      body: {
        inputs: [
          { from: { id: a }, to: { id: contactId } },
          { from: { id: b }, to: { id: '1' } },
        ],
      },
    });
    expect(defaults.status).toBe(207);
    expect(defaults.json).toMatchObject({
      numErrors: 1,
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { fromId: [b], toId: ['1'] } }],
    });
    const created = await hub.call('POST', '/crm/v4/associations/deals/contacts/batch/create', {
      body: {
        inputs: [
          {
            from: { id: b },
            to: { id: contactId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.json.results).toEqual([
      expect.objectContaining({ fromObjectId: Number(b), toObjectId: Number(contactId), labels: [] }),
    ]);
    const read = await hub.call('POST', '/crm/v4/associations/contacts/deals/batch/read', {
      body: { inputs: [{ id: contactId }] },
    });
    expect(
      ((read.json.results?.[0]?.to ?? []) as Array<{ toObjectId: number }>).map((t) => t.toObjectId).sort(),
    ).toEqual([Number(a), Number(b)].sort());
  });

  test('an archived record drops out of the associations of the records it was associated with', async () => {
    const dealId = await deal('Archived');
    const contactId = await createContact(hub, 'assoc-archived@example.com');
    await hub.call('PUT', `/crm/v4/objects/contacts/${contactId}/associations/default/deals/${dealId}`);
    expect(
      (await hub.call('GET', `/crm/v4/objects/contacts/${contactId}/associations/deals`)).json.results,
    ).toHaveLength(1);
    await hub.call('DELETE', `/crm/v3/objects/deals/${dealId}`);
    expect(
      (await hub.call('GET', `/crm/v4/objects/contacts/${contactId}/associations/deals`)).json.results,
    ).toEqual([]);
  });

  test('lists the type ids between two object types, leads to contacts included', async () => {
    const answer = await hub.call('GET', '/crm/v4/associations/leads/contacts/labels');
    expect(answer.json.results).toEqual(
      expect.arrayContaining([
        { category: 'HUBSPOT_DEFINED', typeId: 578, label: 'Primary' },
        { category: 'HUBSPOT_DEFINED', typeId: 608, label: null },
      ]),
    );
    const companies = await hub.call('GET', '/crm/v4/associations/leads/companies/labels');
    expect((companies.json.results ?? []).map((r) => r.typeId).sort()).toEqual([580, 610]);
  });
});
