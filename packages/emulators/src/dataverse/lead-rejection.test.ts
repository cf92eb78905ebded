import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DataverseWorld, startDataverseWorld } from './test-support.ts';

const BLOCKED = {
  column: 'companyname',
  equals: 'Blocked Corp',
  message: 'Leads from Blocked Corp are not accepted.',
};

let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld({
    // Seed data predates the plug-in: it is never checked against the rules.
    leads: [{ lastname: 'Old', companyname: 'Blocked Corp', new_referralid: 'REF-SEED' }],
    rejectLeads: [BLOCKED],
  });
});
afterAll(() => world.close());

const byReferral = (referralId: string) => `leads(new_referralid='${referralId}')`;

describe('a synchronous plug-in rejecting leads (rejectLeads)', () => {
  test('refuses an upsert that would create a matching lead with 400 0x80040265 and stores nothing', async () => {
    const answer = await world.call('PATCH', byReferral('REF-R1'), {
      body: { lastname: 'Doe', companyname: 'blocked corp' },
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: { code: '0x80040265', message: BLOCKED.message } });
    expect(world.state.findByAlternateKey('REF-R1')).toBeUndefined();
  });

  test('refuses an update that would make a lead match, and leaves the row as it was', async () => {
    expect((await world.call('PATCH', byReferral('REF-R2'), { body: { lastname: 'Roe' } })).status).toBe(204);
    const before = world.state.findByAlternateKey('REF-R2');
    const answer = await world.call('PATCH', byReferral('REF-R2'), { body: { companyname: 'Blocked Corp' } });
    expect(answer.status).toBe(400);
    expect(answer.json.error?.code).toBe('0x80040265');
    expect(world.state.findByAlternateKey('REF-R2')).toEqual(before);
  });

  test('refuses a POST create and a seller edit the same way', async () => {
    const created = await world.call('POST', 'leads', {
      body: { lastname: 'Poe', companyname: 'Blocked Corp' },
    });
    expect(created.status).toBe(400);
    expect(created.json.error?.code).toBe('0x80040265');
    const id = String(world.state.findByAlternateKey('REF-R2')?.leadid);
    const edit = await world.control('PATCH', `/leads/${id}`, { companyname: 'Blocked Corp' });
    expect(edit.status).toBe(400);
    expect(edit.json.error).toEqual({ code: '0x80040265', message: BLOCKED.message });
  });

  test('is replaced and removed through the control API, which refuses a rule naming no column', async () => {
    const bad = await world.control('PUT', '/reject-leads', {
      rules: [{ column: 'nosuchcolumn', equals: 'x', message: 'no' }],
    });
    expect(bad.status).toBe(400);
    expect((await world.control('GET', '/reject-leads')).json.rules).toEqual([BLOCKED]);

    const rule = { column: 'jobtitle', equals: 'Spammer', message: 'Spam filter: rejected.' };
    expect((await world.control('PUT', '/reject-leads', { rules: [rule] })).json.rules).toEqual([rule]);
    const refused = await world.call('PATCH', byReferral('REF-R3'), {
      body: { lastname: 'X', jobtitle: 'Spammer' },
    });
    expect(refused.json.error).toEqual({ code: '0x80040265', message: rule.message });
    const allowed = await world.call('PATCH', byReferral('REF-R3'), {
      body: { lastname: 'X', companyname: 'Blocked Corp' },
    });
    expect(allowed.status).toBe(204);

    await world.control('PUT', '/reject-leads', { rules: [] });
    expect(
      (await world.call('PATCH', byReferral('REF-R4'), { body: { lastname: 'Y', jobtitle: 'Spammer' } }))
        .status,
    ).toBe(204);
  });
});
