import { afterEach, describe, expect, test } from 'vitest';
import { type SalesforceWorld, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
afterEach(() => world?.close());

const CONVERTED = [
  { message: 'cannot reference converted lead', errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD', fields: [] },
];

async function seeded() {
  world = await startSalesforceWorld({
    leads: [{ LastName: 'Seller', Company: 'Acme', Referral_Id__c: 'REF-S' }],
  });
  const [lead] = world.state.leads();
  if (!lead) throw new Error('no seeded lead');
  return lead.Id;
}

describe('a seller converts a lead', () => {
  test('sets IsConverted, the converted status, ConvertedDate and the new account, contact and opportunity', async () => {
    const id = await seeded();
    world.clock.advance(90_000);
    const answer = await world.control('POST', `/leads/${id}/convert`, {});
    expect(answer.status).toBe(200);
    const lead = await world.call('GET', `sobjects/Lead/${id}`);
    expect(lead.json).toMatchObject({
      IsConverted: true,
      Status: 'Closed - Converted',
      ConvertedDate: '2026-05-04',
      ConvertedAccountId: expect.stringMatching(/^001[A-Za-z0-9]{15}$/),
      ConvertedContactId: expect.stringMatching(/^003[A-Za-z0-9]{15}$/),
      ConvertedOpportunityId: expect.stringMatching(/^006[A-Za-z0-9]{15}$/),
      SystemModstamp: '2026-05-04T09:01:30.000+0000',
      LastModifiedById: world.state.user('seller@contoso-partner.example')?.id,
    });
  });

  test('without an opportunity when asked, and only to a converted status', async () => {
    const id = await seeded();
    const wrong = await world.control('POST', `/leads/${id}/convert`, {
      convertedStatus: 'Working - Contacted',
    });
    expect([wrong.status, wrong.json[0].errorCode]).toEqual([400, 'INVALID_STATUS']);
    await world.control('POST', `/leads/${id}/convert`, { doNotCreateOpportunity: true });
    expect(world.state.lead(id)).toMatchObject({ IsConverted: true, ConvertedOpportunityId: null });
  });

  test('after which every write through the API is CANNOT_UPDATE_CONVERTED_LEAD, reads and queries still work', async () => {
    const id = await seeded();
    await world.control('POST', `/leads/${id}/convert`, {});
    const patch = await world.call('PATCH', `sobjects/Lead/${id}`, { body: { Title: 'x' } });
    expect([patch.status, patch.json]).toEqual([400, CONVERTED]);
    const upsert = await world.call('PATCH', 'sobjects/Lead/Referral_Id__c/REF-S', { body: { Title: 'x' } });
    expect([upsert.status, upsert.json]).toEqual([400, CONVERTED]);
    const seller = await world.control('PATCH', `/leads/${id}`, { Title: 'x' });
    expect(seller.json).toEqual(CONVERTED);
    const again = await world.control('POST', `/leads/${id}/convert`, {});
    expect(again.json).toEqual(CONVERTED);
    expect(
      (await world.call('GET', `sobjects/Lead/Referral_Id__c/REF-S?fields=IsConverted`)).json.IsConverted,
    ).toBe(true);
  });
});

describe('a seller edits a lead', () => {
  test('setting its Status moves LastModifiedDate and SystemModstamp', async () => {
    const id = await seeded();
    world.clock.advance(3000);
    const answer = await world.control('POST', `/leads/${id}/status`, { status: 'Closed - Not Converted' });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      Status: 'Closed - Not Converted',
      LastModifiedDate: '2026-05-04T09:00:03.000+0000',
      SystemModstamp: '2026-05-04T09:00:03.000+0000',
    });
  });

  test('is validated like the API', async () => {
    const id = await seeded();
    const bad = await world.control('POST', `/leads/${id}/status`, { status: 'Lost' });
    expect([bad.status, bad.json[0].errorCode]).toEqual([400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST']);
    const edit = await world.control('PATCH', `/leads/${id}`, { Title: 'CTO', LastName: null });
    expect(edit.json[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
    const missing = await world.control('POST', '/leads/00Q5g00000ZZZZZAAA/status', {
      status: 'Working - Contacted',
    });
    expect(missing.status).toBe(404);
    const noStatus = await world.control('POST', `/leads/${id}/status`, {});
    expect([noStatus.status, noStatus.json[0].errorCode]).toEqual([400, 'CONTROL_INVALID']);
  });

  test('deleting it through the control API moves it to the recycle bin', async () => {
    const id = await seeded();
    expect((await world.control('DELETE', `/leads/${id}`)).status).toBe(204);
    expect((await world.control('GET', '/leads')).json.records).toEqual([]);
    expect((await world.control('GET', `/leads/${id}`)).json.IsDeleted).toBe(true);
  });
});

describe('org control', () => {
  test('reads leads, statuses and org settings, and changes the settings', async () => {
    await seeded();
    expect((await world.control('GET', '/leads')).json.records).toEqual([
      expect.objectContaining({
        Referral_Id__c: 'REF-S',
        attributes: expect.objectContaining({ type: 'Lead' }),
      }),
    ]);
    expect((await world.control('GET', '/lead-statuses')).json.records).toHaveLength(4);
    expect((await world.control('GET', '/org')).json).toEqual({
      stateCountryPicklists: false,
      dailyApiRequests: 100_000,
      sessionLifetimeMs: 7_200_000,
    });
    const changed = await world.control('PUT', '/org', { dailyApiRequests: 5, stateCountryPicklists: true });
    expect(changed.json).toMatchObject({ dailyApiRequests: 5, stateCountryPicklists: true });
    const bad = await world.control('PUT', '/org', { dailyApiRequests: 'many' });
    expect([bad.status, bad.json[0].errorCode]).toEqual([400, 'CONTROL_INVALID']);
  });
});
