import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DataverseWorld, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld({ leads: [{ lastname: 'Seller', new_referralid: 'REF-C1' }] });
});
afterAll(() => world.close());

const leadId = () => String(world.state.findByAlternateKey('REF-C1')?.leadid);

describe('control API', () => {
  test('lists and reads leads as stored', async () => {
    const list = await world.control('GET', '/leads');
    expect(list.json.value).toEqual([expect.objectContaining({ new_referralid: 'REF-C1', statecode: 0 })]);
    expect((await world.control('GET', `/leads/${leadId()}`)).json.lastname).toBe('Seller');
    expect((await world.control('GET', '/leads/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  test('a seller edit is validated like the API', async () => {
    const edit = await world.control('PATCH', `/leads/${leadId()}`, { jobtitle: 'Buyer', statuscode: 2 });
    expect(edit.status).toBe(200);
    expect(world.state.lead(leadId())).toMatchObject({ jobtitle: 'Buyer', statecode: 0, statuscode: 2 });
    const bad = await world.control('PATCH', `/leads/${leadId()}`, { statecode: 0, statuscode: 7 });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe('0x80048408');
  });

  test('a seller disqualifies, reopens and qualifies', async () => {
    await world.control('POST', `/leads/${leadId()}/disqualify`, { statuscode: 6 });
    expect(world.state.lead(leadId())).toMatchObject({ statecode: 2, statuscode: 6 });
    await world.control('POST', `/leads/${leadId()}/reopen`);
    expect(world.state.lead(leadId())).toMatchObject({ statecode: 0, statuscode: 1 });
    const qualified = await world.control('POST', `/leads/${leadId()}/qualify`);
    expect(qualified.json.created).toHaveLength(3);
    expect(world.state.lead(leadId())).toMatchObject({ statecode: 1, statuscode: 3 });
  });

  test('a seller deletes a lead', async () => {
    const id = leadId();
    expect((await world.control('DELETE', `/leads/${id}`)).status).toBe(204);
    expect(world.state.lead(id)).toBeUndefined();
    expect((await world.control('DELETE', `/leads/${id}`)).status).toBe(404);
  });
});
