import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DataverseWorld, idFromEntityId, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld();
});
afterAll(() => world.close());

async function createLead(body: Record<string, unknown> = { lastname: 'Status' }): Promise<string> {
  const answer = await world.call('POST', 'leads', { body });
  expect(answer.status).toBe(204);
  return idFromEntityId(answer.headers['odata-entityid']);
}

const patch = (id: string, body: Record<string, unknown>) =>
  world.call('PATCH', `leads(${id})`, { body, headers: { 'if-match': '*' } });

describe('lead status over the Web API', () => {
  test('refuses statecode on create, and a statuscode outside Open', async () => {
    const state = await world.call('POST', 'leads', { body: { lastname: 'x', statecode: 0 } });
    expect(state.status).toBe(400);
    expect(state.json.error?.code).toBe('0x80040203');
    const status = await world.call('POST', 'leads', { body: { lastname: 'x', statuscode: 4 } });
    expect(status.status).toBe(400);
    expect(status.json.error?.code).toBe('0x80048408');
  });

  test('creates a lead Contacted when statuscode 2 is sent', async () => {
    const id = await createLead({ lastname: 'Contacted', statuscode: 2 });
    expect(world.state.lead(id)).toMatchObject({ statecode: 0, statuscode: 2 });
  });

  test('disqualifies with both codes, and refuses a pair from different states', async () => {
    const id = await createLead();
    const bad = await patch(id, { statecode: 0, statuscode: 5 });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toEqual({
      code: '0x80048408',
      message: `5 is not a valid status code for state code LeadState.Open on lead with Id ${id}.`,
    });
    expect((await patch(id, { statecode: 2, statuscode: 6 })).status).toBe(204);
    expect(world.state.lead(id)).toMatchObject({ statecode: 2, statuscode: 6 });
  });

  test('gives the default status when only statecode is sent', async () => {
    const id = await createLead();
    await patch(id, { statecode: 2 });
    expect(world.state.lead(id)).toMatchObject({ statecode: 2, statuscode: 4 });
  });

  test('keeps a closed lead read-only until it is reopened', async () => {
    const id = await createLead();
    await patch(id, { statecode: 2, statuscode: 7 });
    const edit = await patch(id, { jobtitle: 'CTO' });
    expect(edit.status).toBe(400);
    expect(edit.json.error?.code).toBe('0x80040203');
    expect(world.state.lead(id)?.jobtitle).toBeNull();
    const otherClosedStatus = await patch(id, { statecode: 2, statuscode: 5 });
    expect(otherClosedStatus.status).toBe(204);
    expect((await patch(id, { statecode: 0, statuscode: 1 })).status).toBe(204);
    expect((await patch(id, { jobtitle: 'CTO' })).status).toBe(204);
    expect(world.state.lead(id)).toMatchObject({ statecode: 0, statuscode: 1, jobtitle: 'CTO' });
  });

  test('QualifyLead creates the asked records, links them and closes the lead as Qualified', async () => {
    const id = await createLead({ lastname: 'Qualify', companyname: 'Analytical Ltd' });
    const answer = await world.call('POST', `leads(${id})/Microsoft.Dynamics.CRM.QualifyLead`, {
      body: { CreateAccount: true, CreateContact: true, CreateOpportunity: true, Status: 3 },
    });
    expect(answer.status).toBe(200);
    expect(answer.json['@odata.context']).toBe(
      `${world.webApi}/$metadata#Collection(Microsoft.Dynamics.CRM.crmbaseentity)`,
    );
    const types = answer.json.value?.map((entity) => entity['@odata.type']);
    expect(types).toEqual([
      '#Microsoft.Dynamics.CRM.account',
      '#Microsoft.Dynamics.CRM.contact',
      '#Microsoft.Dynamics.CRM.opportunity',
    ]);
    const opportunityId = answer.json.value?.[2]?.opportunityid;
    const read = await world.call(
      'GET',
      `leads(${id})?$select=statecode,statuscode,_qualifyingopportunityid_value`,
    );
    expect(read.json).toMatchObject({
      statecode: 1,
      statuscode: 3,
      _qualifyingopportunityid_value: opportunityId,
    });
    const again = await world.call('POST', `leads(${id})/Microsoft.Dynamics.CRM.QualifyLead`, {
      body: { CreateAccount: false, CreateContact: false, CreateOpportunity: false, Status: 3 },
    });
    expect(again.status).toBe(400);
  });

  test('QualifyLead with nothing to create still qualifies; a wrong Status or parameter is refused', async () => {
    const id = await createLead();
    const wrongStatus = await world.call('POST', `leads(${id})/Microsoft.Dynamics.CRM.QualifyLead`, {
      body: { CreateAccount: false, CreateContact: false, CreateOpportunity: false, Status: 4 },
    });
    expect(wrongStatus.json.error?.code).toBe('0x80048408');
    const unknown = await world.call('POST', `leads(${id})/Microsoft.Dynamics.CRM.QualifyLead`, {
      body: { CreateAccount: false, CreateContact: false, CreateOpportunity: false, Status: 3, Bogus: 1 },
    });
    expect(unknown.json.error?.code).toBe('0x80048d19');
    const none = await world.call('POST', `leads(${id})/Microsoft.Dynamics.CRM.QualifyLead`, {
      body: { CreateAccount: false, CreateContact: false, CreateOpportunity: false, Status: 3 },
    });
    expect(none.status).toBe(200);
    expect(none.json.value).toEqual([]);
    expect(world.state.lead(id)).toMatchObject({ statecode: 1, statuscode: 3 });
  });

  test('QualifyLead on a missing lead answers 404', async () => {
    const answer = await world.call(
      'POST',
      'leads(00000000-0000-4000-8000-00000000000a)/Microsoft.Dynamics.CRM.QualifyLead',
      {
        body: { CreateAccount: false, CreateContact: false, CreateOpportunity: false, Status: 3 },
      },
    );
    expect(answer.status).toBe(404);
  });
});
