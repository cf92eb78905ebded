import { describe, expect, it } from 'vitest';
import {
  checkReferralPath,
  parseReferralPath,
  type ReferralPath,
  readReferralPath,
} from './referral-paths.ts';
import { member, sampleReferral, withCustomer } from './test-support.ts';

function path(text: string): ReferralPath {
  const parsed = parseReferralPath(text);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed;
}

const check = (text: string) => checkReferralPath(path(text));
const read = (text: string, referral = sampleReferral()) =>
  readReferralPath(referral, path(text), () => null);

describe('referral paths', () => {
  it.each([
    ['details.dealValue', 'number'],
    ['name', 'text'],
    ['status', 'text'],
    ['customerProfile.team[0].email', 'text'],
    ['customerProfile.team[].email', 'list'],
    ['details.requirements.products[].name', 'list'],
    ['customerProfile.address', 'object'],
    ['customerProfile.team', 'object-list'],
    ['$primaryContact.email', 'text'],
    ['$description', 'text'],
  ])('knows %s in the referral schema as %s', (text, kind) => {
    expect(check(text)).toEqual({ kind });
  });

  it('refuses a path the schema does not have, suggesting the one meant', () => {
    expect(check('customerProfile.adress.country')).toEqual({
      problem:
        'unknown referral path customerProfile.adress.country (did you mean customerProfile.address.country?)',
    });
    expect(check('details.dealSize')).toMatchObject({
      problem: expect.stringMatching(/^unknown referral path/),
    });
    expect(check('$primaryContct.email')).toMatchObject({
      problem: expect.stringContaining('$primaryContact'),
    });
  });

  it('refuses an item of something that is not a list', () => {
    expect(check('details[0].notes')).toEqual({ problem: 'details is not a list, so it has no [item]' });
  });

  it.each(['', 'a..b', 'team[x]', 'name.$description', 'a b'])('refuses "%s" as not a path', (text) => {
    expect(parseReferralPath(text)).toMatchObject({ problem: expect.stringContaining('is not a path') });
  });

  it('reads values, list items and every item of a list', () => {
    const referral = withCustomer(sampleReferral(), {
      team: [member({ email: 'a@x.example' }), member({ email: null }), member({ email: 'c@x.example' })],
    });
    expect(read('details.dealValue', referral)).toBe(250000);
    expect(read('customerProfile.team[2].email', referral)).toBe('c@x.example');
    expect(read('customerProfile.team[].email', referral)).toEqual(['a@x.example', null, 'c@x.example']);
    expect(read('details.requirements.solutions[].id', referral)).toEqual(['SOL-12345-ABC']);
  });

  it('reads a missing object, item or value as null', () => {
    expect(read('customerProfile.team[5].email')).toBeNull();
    expect(read('customerProfile.address.region')).toBeNull();
    expect(
      read('inviteContext.invitedBy.organizationName', { ...sampleReferral(), inviteContext: null }),
    ).toBeNull();
    expect(read('customerProfile.team[].email', { ...sampleReferral(), customerProfile: null })).toEqual([]);
  });
});
