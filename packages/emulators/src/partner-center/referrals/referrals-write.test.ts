import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReferralChange } from './referral-change.ts';
import {
  createBody,
  json,
  REFERRALS_PATH,
  type ReferralsWorld,
  startReferralsWorld,
} from './test-support.ts';

let world: ReferralsWorld;
let changes: ReferralChange[];

beforeAll(async () => {
  world = await startReferralsWorld();
  world.state.onChange((change) => changes.push(change));
});
afterAll(() => world.close());
beforeEach(() => {
  changes = [];
});

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

async function incoming(): Promise<{ id: string; eTag: string }> {
  const referral = world.state.create({}, { as: 'microsoft' });
  changes = [];
  return { id: referral.id, eTag: referral.eTag };
}

describe('GET by id', () => {
  it('answers the referral with @odata.context, an ETag header and 7-digit timestamps', async () => {
    const { id, eTag } = await incoming();
    const response = await world.call('GET', `${REFERRALS_PATH}/${id}`, {
      headers: { 'client-request-id': 'abc-123' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe(eTag);
    expect(response.headers['client-request-id']).toBe('abc-123');
    expect(response.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const body = json(response);
    expect(body['@odata.context']).toBe(`${world.origin}${REFERRALS_PATH}/$metadata#Referrals/$entity`);
    expect(body).toMatchObject({ id, status: 'New', substatus: 'Pending', direction: 'Incoming', eTag });
    expect(body.createdDateTime).toMatch(TIMESTAMP);
    expect(body.updatedDateTime).toMatch(TIMESTAMP);
    expect(body.links).toEqual({
      relatedReferrals: {
        uri: `${world.origin}${REFERRALS_PATH}?$filter=engagementId eq '${body.engagementId}'`,
        method: 'GET',
      },
      self: { uri: `${world.origin}${REFERRALS_PATH}/${id}`, method: 'GET' },
    });
  });

  it('answers 404 itemNotFound in the error envelope for an unknown id', async () => {
    const response = await world.call('GET', `${REFERRALS_PATH}/00000000-0000-4000-8000-000000000000`);
    expect(response.status).toBe(404);
    expect(json(response).error).toMatchObject({ code: 'itemNotFound', target: 'referral' });
  });
});

describe('POST create', () => {
  it('creates an outgoing Active/Accepted referral whatever status was sent, accepted at creation', async () => {
    const response = await world.call('POST', REFERRALS_PATH, {
      body: createBody({ status: 'New', substatus: 'Pending', id: 'ignored', direction: 'Incoming' }),
    });
    expect(response.status).toBe(200);
    const body = json(response);
    expect(body).toMatchObject({
      status: 'Active',
      substatus: 'Accepted',
      direction: 'Outgoing',
      organizationId: 'a4b9c2d1-7e6f-4a3b-8c2d-1e0f9a8b7c6d',
      qualification: 'SalesQualified',
    });
    expect(body.id).not.toBe('ignored');
    expect(body.acceptedDateTime).toBe(body.createdDateTime);
    expect(response.headers.etag).toBe(body.eTag);
    expect(world.state.get(String(body.id))?.customerProfile.name).toBe('Fabrikam Inc.');
    expect(changes).toEqual([
      { eventName: 'referral-created', referralId: body.id, changedAt: body.updatedDateTime },
    ]);
  });

  it('binds PascalCase property names and the 2018 object form of customerProfile.ids', async () => {
    const response = await world.call('POST', REFERRALS_PATH, {
      body: {
        Type: 'shared',
        CustomerProfile: {
          Name: 'Litware K.K.',
          Address: { Country: 'jp', City: 'Tokyo' },
          Ids: { Duns: '123456789', External: '' },
        },
        Consent: { ConsentToToShareInfoWithOthers: true },
        Details: { DealValue: '1500000', Currency: 'jpy' },
      },
    });
    expect(response.status).toBe(200);
    expect(json(response)).toMatchObject({
      type: 'Shared',
      name: 'Litware K.K.',
      customerProfile: {
        address: { country: 'JP', city: 'Tokyo' },
        ids: [{ profileType: 'Duns', id: '123456789' }],
      },
      consent: { consentToToShareInfoWithOthers: true, consentToContact: false },
      details: { dealValue: 1500000, currency: 'JPY' },
    });
  });

  it.each([
    ['type', { type: undefined }, 'type'],
    ['customerProfile', { customerProfile: undefined }, 'customerProfile'],
    ['consent', { consent: undefined }, 'consent'],
    ['details', { details: undefined }, 'details'],
    [
      'a 2-letter country',
      { customerProfile: { name: 'X', address: { country: 'USA' } } },
      'customerProfile.address.country',
    ],
  ])(
    'refuses a create without %s with 400 invalidRequest naming the field',
    async (_label, overrides, target) => {
      const before = world.state.all().length;
      const response = await world.call('POST', REFERRALS_PATH, { body: createBody(overrides) });
      expect(response.status).toBe(400);
      expect(json(response).error).toMatchObject({ code: 'invalidRequest', target });
      expect(world.state.all()).toHaveLength(before);
      expect(changes).toEqual([]);
    },
  );

  it('answers 201 with a Location when the createStatus knob says so', async () => {
    world.state.setKnobs({ createStatus: 201 });
    try {
      const response = await world.call('POST', REFERRALS_PATH, { body: createBody() });
      expect(response.status).toBe(201);
      expect(response.headers.location).toBe(`${world.origin}${REFERRALS_PATH}/${json(response).id}`);
    } finally {
      world.state.setKnobs({ createStatus: 200 });
    }
  });
});

describe('PUT full update', () => {
  async function getFull(id: string): Promise<Record<string, unknown>> {
    return json(await world.call('GET', `${REFERRALS_PATH}/${id}`));
  }

  it('replaces the referral when If-Match is current and answers 200 with a new eTag', async () => {
    const { id, eTag } = await incoming();
    const referral = await getFull(id);
    const response = await world.call('PUT', `${REFERRALS_PATH}/${id}`, {
      headers: { 'if-match': eTag },
      body: {
        ...referral,
        externalReferenceId: 'lead-42',
        status: 'Active',
        substatus: 'Accepted',
        createdDateTime: '2000-01-01T00:00:00Z',
      },
    });
    expect(response.status).toBe(200);
    const body = json(response);
    expect(body).toMatchObject({
      id,
      externalReferenceId: 'lead-42',
      status: 'Active',
      substatus: 'Accepted',
    });
    expect(body.createdDateTime).toBe(referral.createdDateTime);
    expect(body.eTag).not.toBe(eTag);
    expect(response.headers.etag).toBe(body.eTag);
    expect(String(body.updatedDateTime) > String(referral.updatedDateTime)).toBe(true);
    expect(body.acceptedDateTime).toBe(body.updatedDateTime);
    expect(body.expirationDateTime).toBeNull();
    expect(changes).toEqual([
      { eventName: 'referral-updated', referralId: id, changedAt: body.updatedDateTime },
    ]);
  });

  it('answers 412 preconditionFailed for a stale eTag and keeps the referral as it was', async () => {
    const { id, eTag } = await incoming();
    const referral = await getFull(id);
    world.state.update(id, { details: { notes: 'Microsoft changed it' } });
    changes = [];
    const response = await world.call('PUT', `${REFERRALS_PATH}/${id}`, {
      headers: { 'if-match': eTag },
      body: { ...referral, externalReferenceId: 'lead-43' },
    });
    expect(response.status).toBe(412);
    expect(json(response).error).toMatchObject({ code: 'preconditionFailed', target: 'referral' });
    expect(world.state.get(id)?.externalReferenceId).toBeNull();
    expect(changes).toEqual([]);
  });

  it('answers 400 invalidRequest when If-Match is missing', async () => {
    const { id } = await incoming();
    const response = await world.call('PUT', `${REFERRALS_PATH}/${id}`, { body: await getFull(id) });
    expect(response.status).toBe(400);
    expect(json(response).error).toMatchObject({
      code: 'invalidRequest',
      target: 'If-Match',
      innerError: { code: 'ifMatchRequired' },
    });
  });

  it('answers 400 for a status move that §2.4 forbids', async () => {
    const { id, eTag } = await incoming();
    const response = await world.call('PUT', `${REFERRALS_PATH}/${id}`, {
      headers: { 'if-match': eTag },
      body: { ...(await getFull(id)), status: 'Active', substatus: 'Won' },
    });
    expect(response.status).toBe(400);
    expect(json(response).error).toMatchObject({ code: 'invalidRequest', target: 'status' });
    expect(world.state.get(id)?.status).toBe('New');
  });

  it('answers 404 for an unknown id', async () => {
    const response = await world.call('PUT', `${REFERRALS_PATH}/00000000-0000-4000-8000-000000000000`, {
      headers: { 'if-match': '"x"' },
      body: createBody(),
    });
    expect(response.status).toBe(404);
  });
});

describe('PATCH partial update', () => {
  const patch = (id: string, operations: unknown, headers: Record<string, string> = {}) =>
    world.call('PATCH', `${REFERRALS_PATH}/${id}`, { body: operations, headers });

  it('answers 204 with no body and a new ETag, and stores the change', async () => {
    const { id, eTag } = await incoming();
    const response = await patch(id, [
      { op: 'replace', path: '/details/dealValue', value: '10000' },
      { op: 'replace', path: '/details/notes', value: 'Updated by partner' },
      {
        op: 'add',
        path: '/team/-',
        value: { FirstName: 'Jo', lastName: 'Kim', email: 'jo@contoso-partner.example' },
      },
    ]);
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    const stored = world.state.get(id);
    expect(response.headers.etag).toBe(stored?.eTag);
    expect(stored?.eTag).not.toBe(eTag);
    expect(stored?.details).toMatchObject({ dealValue: 10000, notes: 'Updated by partner' });
    expect(stored?.team.at(-1)).toMatchObject({ firstName: 'Jo', lastName: 'Kim', phoneNumber: null });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ eventName: 'referral-updated', referralId: id });
  });

  it('answers 200 with the referral when Prefer: return=representation is sent', async () => {
    const { id } = await incoming();
    const response = await patch(
      id,
      [
        { op: 'replace', path: '/status', value: 'Active' },
        { op: 'replace', path: '/substatus', value: 'Accepted' },
      ],
      { prefer: 'return=representation', 'content-type': 'application/json-patch+json' },
    );
    expect(response.status).toBe(200);
    expect(json(response)).toMatchObject({ id, status: 'Active', substatus: 'Accepted' });
    expect(json(response)['@odata.context']).toContain('$entity');
    expect(response.headers.etag).toBe(json(response).eTag);
  });

  it.each(['remove', 'move', 'copy', 'test'])("refuses the '%s' operation with 400", async (op) => {
    const { id, eTag } = await incoming();
    const response = await patch(id, [{ op, path: '/details/notes', from: '/name', value: 'x' }]);
    expect(response.status).toBe(400);
    expect(json(response).error).toMatchObject({ code: 'invalidRequest' });
    expect(world.state.get(id)?.eTag).toBe(eTag);
  });

  it('refuses a patch of a read-only property and one of a missing path', async () => {
    const { id } = await incoming();
    const readOnly = await patch(id, [
      { op: 'replace', path: '/createdDateTime', value: '2000-01-01T00:00:00Z' },
    ]);
    expect(readOnly.status).toBe(400);
    expect(json(readOnly).error).toMatchObject({ target: '/createdDateTime' });
    const missing = await patch(id, [{ op: 'replace', path: '/details/nope/deeper', value: 1 }]);
    expect(missing.status).toBe(400);
  });

  it('refuses a status without a matching substatus with 400', async () => {
    const { id } = await incoming();
    const response = await patch(id, [{ op: 'replace', path: '/status', value: 'Closed' }]);
    expect(response.status).toBe(400);
    expect(world.state.get(id)?.status).toBe('New');
  });

  it('never lets a referral leave Closed', async () => {
    const { id } = await incoming();
    const close = await patch(id, [
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Declined' },
      { op: 'replace', path: '/statusReason', value: 'Outside our coverage area.' },
    ]);
    expect(close.status).toBe(204);
    const closed = world.state.get(id);
    expect(closed).toMatchObject({
      status: 'Closed',
      substatus: 'Declined',
      closedDateTime: closed?.updatedDateTime,
    });
    for (const [status, substatus] of [
      ['Active', 'Accepted'],
      ['New', 'Pending'],
    ]) {
      const reopen = await patch(id, [
        { op: 'replace', path: '/status', value: status },
        { op: 'replace', path: '/substatus', value: substatus },
      ]);
      expect(reopen.status).toBe(400);
      expect(json(reopen).error).toMatchObject({ code: 'invalidRequest', target: 'status' });
    }
    expect(world.state.get(id)).toMatchObject({
      status: 'Closed',
      substatus: 'Declined',
      eTag: closed?.eTag,
    });
  });

  it('checks If-Match only when it is sent', async () => {
    const { id, eTag } = await incoming();
    const stale = await patch(id, [{ op: 'replace', path: '/details/notes', value: 'a' }], {
      'if-match': '"stale"',
    });
    expect(stale.status).toBe(412);
    const current = await patch(id, [{ op: 'replace', path: '/details/notes', value: 'b' }], {
      'if-match': eTag,
    });
    expect(current.status).toBe(204);
    const none = await patch(id, [{ op: 'replace', path: '/details/notes', value: 'c' }]);
    expect(none.status).toBe(204);
    expect(world.state.get(id)?.details.notes).toBe('c');
  });

  it('refuses a body that is not a JSON Patch array, and an unsupported content type with 415', async () => {
    const { id } = await incoming();
    const notArray = await patch(id, { op: 'replace', path: '/details/notes', value: 'x' });
    expect(notArray.status).toBe(400);
    const mergePatch = await patch(
      id,
      { details: { notes: 'x' } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(mergePatch.status).toBe(415);
    expect(json(mergePatch).error).toMatchObject({ code: 'unsupportedMediaType' });
  });
});

describe('eTags and change events', () => {
  it('stamps a new eTag and emits exactly one change on every write, whoever makes it', async () => {
    const seen = new Set<string>();
    const created = world.state.create({ name: 'Tracked deal' }, { as: 'microsoft' });
    seen.add(created.eTag);
    const id = created.id;
    const path = `${REFERRALS_PATH}/${id}`;
    await world.call('PATCH', path, { body: [{ op: 'replace', path: '/details/notes', value: 'one' }] });
    seen.add(world.state.get(id)?.eTag ?? '');
    const full = json(await world.call('GET', path));
    await world.call('PUT', path, { headers: { 'if-match': String(full.eTag) }, body: full });
    seen.add(world.state.get(id)?.eTag ?? '');
    world.state.update(id, { details: { dealValue: 123 } });
    seen.add(world.state.get(id)?.eTag ?? '');
    expect(seen.size).toBe(4);
    expect(changes.map((c) => [c.eventName, c.referralId])).toEqual([
      ['referral-created', id],
      ['referral-updated', id],
      ['referral-updated', id],
      ['referral-updated', id],
    ]);
    const times = changes.map((c) => c.changedAt);
    expect([...times].sort()).toEqual(times);
    expect(new Set(times).size).toBe(4);
  });

  it('emits nothing for refused writes', async () => {
    const { id } = await incoming();
    await world.call('PATCH', `${REFERRALS_PATH}/${id}`, { body: [{ op: 'remove', path: '/name' }] });
    await world.call('PUT', `${REFERRALS_PATH}/${id}`, { body: createBody() });
    expect(changes).toEqual([]);
  });
});
