import { describe, expect, it } from 'vitest';
import { parseReferral, ReferralInvalidError } from './referral-schema.ts';
import { SPEC_EXAMPLE_REFERRAL } from './spec-example-referral.ts';

const specExample = SPEC_EXAMPLE_REFERRAL;

const minimal = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  eTag: '"1"',
  status: 'New',
  substatus: 'Pending',
  updatedDateTime: '2025-03-12T09:01:44Z',
};

function withChanges(changes: Record<string, unknown>): Record<string, unknown> {
  return { ...minimal, ...changes };
}

function issuesOf(json: unknown): { code: string; paths: string[]; referralId: string | undefined } {
  try {
    parseReferral(json);
  } catch (error) {
    if (!(error instanceof ReferralInvalidError)) throw error;
    return {
      code: error.code,
      paths: error.issues.map((issue) => issue.path.join('.')),
      referralId: error.referralId,
    };
  }
  throw new Error('expected the referral to be rejected');
}

describe('parseReferral', () => {
  it('parses the spec example with the fields the sync relies on', () => {
    const referral = parseReferral(specExample);

    expect(referral.id).toBe('3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10');
    expect(referral.eTag).toBe('"2c00f1a3-0000-0800-0000-67d14c880000"');
    expect([referral.status, referral.substatus]).toEqual(['Active', 'Accepted']);
    expect(referral.updatedDateTime).toBe('2025-03-12T09:01:44.7654321Z');
    expect(referral.customerProfile?.team[0]?.email).toBe('alex.rivera@northwind.example');
    expect(referral.customerProfile?.ids).toEqual([{ profileType: 'Duns', id: '000000000' }]);
    expect(referral.details?.dealValue).toBe(250000);
    expect(referral.details?.requirements?.solutions[0]?.name).toBe('Example Migration Factory');
  });

  it('keeps keys it does not declare, at the top and nested', () => {
    const referral = parseReferral(specExample);

    expect(referral.mpnId).toBe('1234567');
    expect(referral['@odata.context']).toBe(specExample['@odata.context']);
    expect(referral.customerProfile?.isMatchingComplete).toBe(false);
    expect(referral.customerProfile?.team[0]?.contactPreference).toEqual({
      locale: 'en-US',
      disableNotifications: false,
    });
  });

  it('accepts a referral carrying only the strict fields and fills the rest with null or []', () => {
    const referral = parseReferral(minimal);

    expect(referral.customerProfile).toBeNull();
    expect(referral.details).toBeNull();
    expect(referral.inviteContext).toBeNull();
    expect(referral.team).toEqual([]);
    expect(referral.name).toBeNull();
  });

  it('normalises the legacy object form of customerProfile.ids to the array form', () => {
    const legacy = parseReferral(
      withChanges({ customerProfile: { name: 'Contoso', ids: { Duns: '123456789', External: '' } } }),
    );
    const empty = parseReferral(withChanges({ customerProfile: { name: 'Contoso', ids: {} } }));

    expect(legacy.customerProfile?.ids).toEqual([{ profileType: 'Duns', id: '123456789' }]);
    expect(empty.customerProfile?.ids).toEqual([]);
  });

  it('reads a deal value sent as a numeric string as a number', () => {
    const integer = parseReferral(withChanges({ details: { dealValue: '10000' } }));
    const fraction = parseReferral(withChanges({ details: { dealValue: ' 2500.50 ' } }));

    expect(integer.details?.dealValue).toBe(10000);
    expect(fraction.details?.dealValue).toBe(2500.5);
  });

  it('reads a phone number sent as a number as text', () => {
    const referral = parseReferral(
      withChanges({ customerProfile: { team: [{ firstName: 'Jo', phoneNumber: 15550100 }] } }),
    );

    expect(referral.customerProfile?.team[0]?.phoneNumber).toBe('15550100');
  });

  it('accepts null nested objects and lists', () => {
    const referral = parseReferral(
      withChanges({
        customerProfile: { name: 'Contoso', address: null, team: null, ids: null },
        details: { requirements: null },
        team: null,
      }),
    );

    expect(referral.customerProfile?.address).toBeNull();
    expect(referral.customerProfile?.team).toEqual([]);
    expect(referral.customerProfile?.ids).toEqual([]);
    expect(referral.details?.requirements).toBeNull();
  });

  it('accepts a timestamp with an offset and a status pair that §2.4 forbids', () => {
    const referral = parseReferral(
      withChanges({ updatedDateTime: '2025-03-12T10:01:44+01:00', status: 'New', substatus: 'Won' }),
    );

    expect(referral.substatus).toBe('Won');
  });

  it('rejects a referral without an eTag, naming the referral and the field', () => {
    const { eTag: _omitted, ...withoutETag } = minimal;

    expect(issuesOf(withoutETag)).toEqual({
      code: 'referral_invalid',
      paths: ['eTag'],
      referralId: minimal.id,
    });
  });

  it.each([
    ['an unknown status', { status: 'Open' }, 'status'],
    ['the unconfirmed substatus Error', { substatus: 'Error' }, 'substatus'],
    ['a status in the wrong case', { status: 'active' }, 'status'],
    ['a local time without zone', { updatedDateTime: '2025-03-12T09:01:44' }, 'updatedDateTime'],
    ['a non-ISO timestamp', { updatedDateTime: '12/03/2025 09:01' }, 'updatedDateTime'],
    ['an empty eTag', { eTag: '' }, 'eTag'],
    ['an id with a slash', { id: 'abc/def' }, 'id'],
    ['an id with a space', { id: 'abc def' }, 'id'],
    ['a numeric id', { id: 42 }, 'id'],
    ['a non-numeric deal value', { details: { dealValue: 'ten thousand' } }, 'details.dealValue'],
    ['a team that is not a list', { team: { firstName: 'Sam' } }, 'team'],
  ])('rejects %s', (_case, changes, path) => {
    expect(issuesOf(withChanges(changes)).paths).toEqual([path]);
  });

  it('lists every problem at once', () => {
    const { paths } = issuesOf({ id: minimal.id, status: 'Open' });

    expect(paths.sort()).toEqual(['eTag', 'status', 'substatus', 'updatedDateTime']);
  });

  it.each([
    ['null', null],
    ['an array', [minimal]],
    ['a string', JSON.stringify(minimal)],
  ])('rejects %s without a referral id', (_case, json) => {
    const rejected = issuesOf(json);

    expect(rejected.code).toBe('referral_invalid');
    expect(rejected.referralId).toBeUndefined();
  });

  it('says in its message which referral and which fields are wrong', () => {
    expect(() => parseReferral(withChanges({ status: 'Open' }))).toThrow(
      /a1b2c3d4-0000-4000-8000-000000000001.*status/,
    );
  });
});
