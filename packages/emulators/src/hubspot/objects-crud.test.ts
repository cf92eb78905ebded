import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContact, type HubSpotWorld, startHubSpotWorld } from './test-support.ts';

let hub: HubSpotWorld;
beforeAll(async () => {
  hub = await startHubSpotWorld();
});
afterAll(() => hub.close());

const iso = (ms: number) => new Date(ms).toISOString();

describe('CRM objects: create, read, update, archive', () => {
  test('creates a contact: 201, a numeric id, system properties, the e-mail kept lower-case', async () => {
    const answer = await hub.call('POST', '/crm/v3/objects/contacts', {
      body: { properties: { email: 'Grace@Example.COM', firstname: 'Grace', lastname: 'Hopper' } },
    });
    expect(answer.status).toBe(201);
    const id = String(answer.json.id);
    expect(id).toMatch(/^\d+$/);
    expect(answer.json).toEqual({
      id,
      properties: {
        email: 'grace@example.com',
        firstname: 'Grace',
        lastname: 'Hopper',
        hs_object_id: id,
        createdate: iso(hub.clock.now()),
        lastmodifieddate: iso(hub.clock.now()),
      },
      createdAt: iso(hub.clock.now()),
      updatedAt: iso(hub.clock.now()),
      archived: false,
    });
  });

  test('reads the default properties, or the named ones with null for those without a value', async () => {
    const id = await createContact(hub, 'reads@example.com');
    const plain = await hub.call('GET', `/crm/v3/objects/contacts/${id}`);
    expect(Object.keys(plain.json.properties as object).sort()).toEqual([
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ]);
    const named = await hub.call(
      'GET',
      `/crm/v3/objects/contacts/${id}?properties=email,jobtitle&properties=nope`,
    );
    expect(named.json.properties).toEqual({ email: 'reads@example.com', jobtitle: null });
  });

  test('reads and updates by a unique property with idProperty', async () => {
    const id = await createContact(hub, 'by-email@example.com');
    const read = await hub.call('GET', '/crm/v3/objects/contacts/BY-EMAIL@example.com?idProperty=email');
    expect(read.json.id).toBe(id);
    const updated = await hub.call(
      'PATCH',
      '/crm/v3/objects/contacts/by-email@example.com?idProperty=email',
      {
        body: { properties: { jobtitle: 'Admiral' } },
      },
    );
    expect(updated.status).toBe(200);
    expect(updated.json.properties).toMatchObject({ jobtitle: 'Admiral', hs_object_id: id });
    const notUnique = await hub.call('GET', '/crm/v3/objects/contacts/Ada?idProperty=firstname');
    expect(notUnique.status).toBe(400);
    expect(notUnique.json.message).toBe(
      `Unable to perform update/upsert by non-unique 0-1 property firstname in portal ID ${hub.world.hubspot.portalId}`,
    );
  });

  test('answers 404 OBJECT_NOT_FOUND for a missing record, and explains an e-mail used as id', async () => {
    const missing = await hub.call('GET', '/crm/v3/objects/contacts/1234');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    const byEmail = await hub.call('GET', '/crm/v3/objects/contacts/nobody@example.com');
    expect(byEmail.json.message).toBe('Object not found.  objectId are usually numeric.');
    const patched = await hub.call('PATCH', '/crm/v3/objects/contacts/nobody@example.com?idProperty=email', {
      body: { properties: { firstname: 'X' } },
    });
    expect(patched.status).toBe(404);
  });

  test('moves the last-modified datetime when a value changes, not when a write changes nothing', async () => {
    const id = await createContact(hub, 'modified@example.com');
    const created = hub.clock.now();
    hub.clock.advance(60_000);
    const same = await hub.call('PATCH', `/crm/v3/objects/contacts/${id}`, {
      body: { properties: { firstname: 'Ada' } },
    });
    expect(same.json.updatedAt).toBe(iso(created));
    hub.clock.advance(60_000);
    const changed = await hub.call('PATCH', `/crm/v3/objects/contacts/${id}`, {
      body: { properties: { firstname: 'Augusta', lastname: '' } },
    });
    expect(changed.json.updatedAt).toBe(iso(hub.clock.now()));
    expect(changed.json.properties).toMatchObject({
      firstname: 'Augusta',
      lastmodifieddate: iso(hub.clock.now()),
    });
    expect(changed.json.properties).not.toHaveProperty('lastname');
  });

  test('answers 409 CONFLICT naming the existing id when an e-mail is taken, on create and on update', async () => {
    const first = await createContact(hub, 'taken@example.com');
    const duplicate = await hub.call('POST', '/crm/v3/objects/contacts', {
      body: { properties: { email: 'TAKEN@example.com' } },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json).toEqual({
      status: 'error',
      message: `Contact already exists. Existing ID: ${first}`,
      correlationId: duplicate.headers['x-hubspot-correlation-id'],
      category: 'CONFLICT',
    });
    const other = await createContact(hub, 'other@example.com');
    const update = await hub.call('PATCH', `/crm/v3/objects/contacts/${other}`, {
      body: { properties: { email: 'taken@example.com' } },
    });
    expect(update.status).toBe(409);
    expect(update.json.message).toBe(`Contact already exists. Existing ID: ${first}`);
  });

  test('refuses unknown properties and invalid values with 400 VALIDATION_ERROR listing each of them', async () => {
    const answer = await hub.call('POST', '/crm/v3/objects/contacts', {
      body: { properties: { email: 'v@example.com', referal_id: 'REF-1', hs_lead_status: 'MAYBE' } },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.category).toBe('VALIDATION_ERROR');
    expect(answer.json.errors).toEqual([
      {
        message: 'Property "referal_id" does not exist',
        code: 'PROPERTY_DOESNT_EXIST',
        context: { propertyName: ['referal_id'] },
      },
      {
        message:
          'MAYBE was not one of the allowed options: [NEW, OPEN, IN_PROGRESS, OPEN_DEAL, UNQUALIFIED, ATTEMPTED_TO_CONTACT, CONNECTED, BAD_TIMING]',
        code: 'INVALID_OPTION',
        context: { propertyName: ['hs_lead_status'] },
      },
    ]);
    const message = String(answer.json.message);
    expect(message.startsWith('Property values were not valid: [')).toBe(true);
    expect(JSON.parse(message.slice('Property values were not valid: '.length))).toEqual([
      expect.objectContaining({ isValid: false, error: 'PROPERTY_DOESNT_EXIST', name: 'referal_id' }),
      expect.objectContaining({ isValid: false, error: 'INVALID_OPTION', name: 'hs_lead_status' }),
    ]);
    expect(hub.world.hubspot.findByProperty('contacts', 'email', 'v@example.com')).toBeUndefined();
  });

  test('checks values by type: numbers, midnight dates, datetimes, read-only and spaced values', async () => {
    const contact = await createContact(hub, 'deal-values@example.com');
    const create = (properties: Record<string, string>) =>
      hub.call('POST', '/crm/v3/objects/deals', {
        body: {
          properties: { dealname: 'D', dealstage: 'appointmentscheduled', ...properties },
          associations: [
            {
              to: { id: contact },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
            },
          ],
        },
      });
    const codes = async (properties: Record<string, string>) =>
      ((await create(properties)).json.errors ?? []).map((error) => error.code);
    expect(await codes({ amount: '1.42e-14' })).toEqual(['INVALID_INTEGER']);
    expect(await codes({ amount: ' 100' })).toEqual(['INVALID_PROPERTY_VALUE']);
    expect(await codes({ hs_object_id: '1' })).toEqual(['READ_ONLY_VALUE']);
    expect(await codes({ closedate: 'next tuesday' })).toEqual(['INVALID_DATETIME']);
    const ok = await create({ amount: '25000', closedate: '1751241600000' });
    expect(ok.status).toBe(201);
    expect(ok.json.properties).toMatchObject({ amount: '25000', closedate: '2025-06-30T00:00:00.000Z' });
  });

  test('archives with DELETE: 204, gone from reads, readable with archived=true, and again 204', async () => {
    const id = await createContact(hub, 'archived@example.com');
    expect((await hub.call('DELETE', `/crm/v3/objects/contacts/${id}`)).status).toBe(204);
    expect((await hub.call('GET', `/crm/v3/objects/contacts/${id}`)).status).toBe(404);
    const archived = await hub.call('GET', `/crm/v3/objects/contacts/${id}?archived=true`);
    expect(archived.json).toMatchObject({ id, archived: true, archivedAt: iso(hub.clock.now()) });
    expect((await hub.call('DELETE', `/crm/v3/objects/contacts/${id}`)).status).toBe(204);
    // The archived record no longer holds its e-mail.
    expect(
      (
        await hub.call('POST', '/crm/v3/objects/contacts', {
          body: { properties: { email: 'archived@example.com' } },
        })
      ).status,
    ).toBe(201);
  });

  test('names object types by name, singular or objectTypeId, and refuses others with 400', async () => {
    const id = await createContact(hub, 'alias@example.com');
    for (const name of ['contacts', 'contact', '0-1'])
      expect((await hub.call('GET', `/crm/v3/objects/${name}/${id}`)).status, name).toBe(200);
    const unknown = await hub.call('GET', '/crm/v3/objects/unicorns');
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toBe('Unable to infer object type from: unicorns');
  });

  test('lists records a page at a time with an after cursor', async () => {
    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await createContact(hub, `page-${n}@example.com`));
    const all: string[] = [];
    let after: string | undefined;
    do {
      const page = await hub.call('GET', `/crm/v3/objects/contacts?limit=2${after ? `&after=${after}` : ''}`);
      all.push(...(page.json.results ?? []).map((r) => String(r.id)));
      after = (page.json.paging as { next?: { after: string } } | undefined)?.next?.after;
    } while (after);
    expect(all).toEqual(expect.arrayContaining(ids));
    expect(new Set(all).size).toBe(all.length);
  });

  test('answers a body that is not JSON with 400 VALIDATION_ERROR', async () => {
    const answer = await hub.call('POST', '/crm/v3/objects/contacts', { body: '{"properties":' });
    expect(answer.status).toBe(400);
    expect(answer.json.category).toBe('VALIDATION_ERROR');
    expect(String(answer.json.message)).toMatch(/^Invalid input JSON/);
  });
});
