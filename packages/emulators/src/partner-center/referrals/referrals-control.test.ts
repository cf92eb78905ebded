import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Referral } from './referral.ts';
import type { ReferralChange } from './referral-change.ts';
import { json, REFERRALS_PATH, type ReferralsWorld, startReferralsWorld } from './test-support.ts';

let world: ReferralsWorld;
let changes: ReferralChange[];
const DAY_MS = 86_400_000;

beforeAll(async () => {
  world = await startReferralsWorld();
  world.state.onChange((change) => changes.push(change));
});
afterAll(() => world.close());
beforeEach(() => {
  changes = [];
});

const control = (method: string, path: string, body?: unknown) =>
  world.call(method, `/control/referrals${path}`, { token: null, ...(body === undefined ? {} : { body }) });

describe('control routes', () => {
  it('creates an incoming New/Pending referral as Microsoft from a partial body, filling the rest', async () => {
    const response = await control('POST', '', {
      Name: 'Woodgrove Bank - SAP on Azure',
      customerProfile: { name: 'Woodgrove Bank', address: { country: 'GB' } },
      details: { dealValue: 420000, currency: 'GBP' },
    });
    expect(response.status).toBe(200);
    const created = json(response) as unknown as Referral;
    expect(created).toMatchObject({
      name: 'Woodgrove Bank - SAP on Azure',
      status: 'New',
      substatus: 'Pending',
      direction: 'Incoming',
      acceptedDateTime: null,
      customerProfile: { name: 'Woodgrove Bank', address: { country: 'GB' } },
      details: { dealValue: 420000, currency: 'GBP' },
    });
    expect(created.customerProfile.team.length).toBeGreaterThan(0);
    expect(Date.parse(`${created.expirationDateTime?.slice(0, 23)}Z`) - world.clock.now()).toBe(14 * DAY_MS);
    expect(changes).toEqual([
      { eventName: 'referral-created', referralId: created.id, changedAt: created.createdDateTime },
    ]);
    const served = await world.call('GET', `${REFERRALS_PATH}/${created.id}`);
    expect(json(served).eTag).toBe(created.eTag);
  });

  it('generates N referrals with {count: N} and lists every id', async () => {
    const before = json(await control('GET', '')).ids as string[];
    const response = await control('POST', '', { count: 5 });
    const generated = (json(response).value ?? []).map((r) => String(r.id));
    expect(generated).toHaveLength(5);
    const after = json(await control('GET', '')).ids as string[];
    expect(after.sort()).toEqual([...before, ...generated].sort());
    expect(changes.map((c) => c.referralId)).toEqual(generated);
    expect(changes.every((c) => c.eventName === 'referral-created')).toBe(true);
  });

  it('updates as Microsoft with a merge patch, emitting one referral-updated', async () => {
    const { id, eTag } = world.state.create({}, { as: 'microsoft' });
    changes = [];
    const response = await control('PATCH', `/${id}`, {
      status: 'Closed',
      substatus: 'Lost',
      statusReason: 'Customer chose a competitor.',
      details: { dealValue: 1 },
    });
    expect(response.status).toBe(200);
    const updated = json(response);
    expect(updated).toMatchObject({ status: 'Closed', substatus: 'Lost', details: { dealValue: 1 } });
    expect(updated.eTag).not.toBe(eTag);
    expect(updated.closedDateTime).toBe(updated.updatedDateTime);
    expect(json(await control('GET', `/${id}`))).toEqual(updated);
    expect(changes).toEqual([
      { eventName: 'referral-updated', referralId: id, changedAt: updated.updatedDateTime },
    ]);
  });

  it('refuses a Microsoft update that breaks §2.4, and answers 404 for unknown ids', async () => {
    const { id } = world.state.create({ status: 'Closed', substatus: 'Won' }, { as: 'microsoft' });
    changes = [];
    const reopen = await control('PATCH', `/${id}`, { status: 'Active', substatus: 'Accepted' });
    expect(reopen.status).toBe(400);
    expect(json(reopen).error).toMatchObject({ code: 'invalidRequest' });
    expect((await control('GET', '/nope')).status).toBe(404);
    expect((await control('PATCH', '/nope', { name: 'x' })).status).toBe(404);
    expect(changes).toEqual([]);
  });

  it('reads and sets the knobs', async () => {
    expect(json(await control('GET', '/knobs'))).toEqual({ requireMfa: true, createStatus: 200 });
    const set = await control('PATCH', '/knobs', { createStatus: 201, requireMfa: false });
    expect(json(set)).toEqual({ requireMfa: false, createStatus: 201 });
    expect((await control('PATCH', '/knobs', { createStatus: 204 })).status).toBe(400);
    await control('PATCH', '/knobs', { createStatus: 200, requireMfa: true });
    expect(world.state.knobs()).toEqual({ requireMfa: true, createStatus: 200 });
  });

  it('creates an outgoing referral as the partner through state, Active/Accepted at creation', () => {
    const referral = world.state.create({ Type: 'Shared' }, { as: 'partner' });
    expect(referral).toMatchObject({
      type: 'Shared',
      direction: 'Outgoing',
      status: 'Active',
      substatus: 'Accepted',
    });
    expect(referral.acceptedDateTime).toBe(referral.createdDateTime);
    expect(referral.expirationDateTime).toBeNull();
  });
});

describe('referral expiry', () => {
  it('archives an un-actioned incoming referral as Closed/Expired after 14 days, once', async () => {
    const fresh = await startReferralsWorld();
    const seen: ReferralChange[] = [];
    try {
      const pending = fresh.state.create({}, { as: 'microsoft' });
      const accepted = fresh.state.create({ status: 'Active', substatus: 'Accepted' }, { as: 'microsoft' });
      fresh.state.onChange((change) => seen.push(change));
      fresh.clock.advance(14 * DAY_MS - 1);
      expect(json(await fresh.call('GET', `${REFERRALS_PATH}/${pending.id}`)).status).toBe('New');
      fresh.clock.advance(1);
      const expired = json(await fresh.call('GET', `${REFERRALS_PATH}/${pending.id}`));
      expect(expired).toMatchObject({ status: 'Closed', substatus: 'Expired' });
      expect(expired.closedDateTime).toBe(expired.updatedDateTime);
      await fresh.call('GET', REFERRALS_PATH);
      expect(seen).toEqual([
        { eventName: 'referral-updated', referralId: pending.id, changedAt: expired.updatedDateTime },
      ]);
      expect(fresh.state.get(accepted.id)?.status).toBe('Active');
    } finally {
      await fresh.close();
    }
  });
});
