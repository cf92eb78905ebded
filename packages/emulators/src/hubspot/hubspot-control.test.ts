import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type HubSpotWorld, startHubSpotWorld } from './test-support.ts';

let hub: HubSpotWorld;
beforeAll(async () => {
  hub = await startHubSpotWorld({
    records: [{ objectType: 'contacts', properties: { email: 'seeded@example.com' } }],
  });
});
afterAll(() => hub.close());

describe('HubSpot control API', () => {
  test('records given as options are there at start', async () => {
    const listed = await hub.control('GET', '/objects/contacts');
    expect(listed.json.results).toEqual([
      expect.objectContaining({ properties: expect.objectContaining({ email: 'seeded@example.com' }) }),
    ]);
  });

  test('seeds a lead with its contact, as someone in the portal would, and the API sees it', async () => {
    const contact = await hub.control('POST', '/objects/contacts', {
      properties: { email: 'ctl@example.com' },
    });
    expect(contact.status).toBe(201);
    const lead = await hub.control('POST', '/objects/leads', {
      properties: { hs_lead_name: 'Seeded', referral_id: 'REF-CTL' },
      associations: [{ toObjectType: 'contacts', toObjectId: contact.json.id }],
    });
    expect(lead.status).toBe(201);
    const read = await hub.call('GET', '/crm/v3/objects/leads/REF-CTL?idProperty=referral_id');
    expect(read.json.id).toBe(lead.json.id);
    expect(
      (await hub.control('GET', `/objects/leads/${lead.json.id}/associations/contacts`)).json.results,
    ).toEqual([{ toId: contact.json.id, typeIds: [608] }]);
    const refused = await hub.control('POST', '/objects/leads', { properties: { hs_lead_name: 'Alone' } });
    expect(refused.status).toBe(400);
  });

  test('a seller moves a lead to a stage: the stage and the last-modified datetime change', async () => {
    const lead = hub.world.hubspot.findByProperty('leads', 'referral_id', 'REF-CTL');
    hub.clock.advance(90_000);
    const moved = await hub.control('POST', `/objects/leads/${lead?.id}/stage`, {
      stageId: 'qualified-stage-id',
    });
    expect(moved.json.properties).toMatchObject({
      hs_pipeline_stage: 'qualified-stage-id',
      hs_lastmodifieddate: new Date(hub.clock.now()).toISOString(),
    });
    const wrong = await hub.control('POST', `/objects/leads/${lead?.id}/stage`, { stageId: 'closedwon' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.category).toBe('VALIDATION_ERROR');
  });

  test('a seller edit is validated like the API; HubSpot touching a record moves only its last-modified', async () => {
    const lead = hub.world.hubspot.findByProperty('leads', 'referral_id', 'REF-CTL');
    const edited = await hub.control('PATCH', `/objects/leads/${lead?.id}`, {
      properties: { hs_lead_label: 'WARM' },
    });
    expect(edited.json.properties).toMatchObject({ hs_lead_label: 'WARM' });
    const bad = await hub.control('PATCH', `/objects/leads/${lead?.id}`, {
      properties: { hs_lead_label: 'LUKEWARM' },
    });
    expect(bad.status).toBe(400);
    hub.clock.advance(30_000);
    const touched = await hub.control('POST', `/objects/leads/${lead?.id}/touch`);
    expect(touched.json.properties).toEqual({
      ...(edited.json.properties as object),
      hs_lastmodifieddate: new Date(hub.clock.now()).toISOString(),
    });
  });

  test('archives a record, after which it is listed as archived', async () => {
    const contact = await hub.control('POST', '/objects/contacts', {
      properties: { email: 'gone@example.com' },
    });
    expect((await hub.control('DELETE', `/objects/contacts/${contact.json.id}`)).status).toBe(204);
    expect((await hub.control('DELETE', `/objects/contacts/${contact.json.id}`)).status).toBe(404);
    const archived = await hub.control('GET', '/objects/contacts?archived=true');
    expect((archived.json.results ?? []).map((r) => r.id)).toContain(contact.json.id);
  });

  test("reads the rate limits in force: the Professional tier's by default", async () => {
    const listed = await hub.control('GET', '/limits');
    expect(listed.json).toEqual({
      tenSecondly: 190,
      intervalMs: 10_000,
      oauthTenSecondly: 110,
      daily: 625_000,
      searchPerSecond: 5,
    });
  });
});
