import { describe, expect, it } from 'vitest';
import { DEV_PARTNER } from '../../credentials.ts';
import { createRandom } from '../../shared/random.ts';
import { generateReferral } from './generate-referral.ts';
import type { ReferralRecord } from './referral.ts';
import { FilterSyntaxError, matchesFilter, parseReferralFilter } from './referral-filter.ts';

const base: ReferralRecord = {
  ...generateReferral(createRandom('filter'), {
    now: Date.parse('2026-05-04T09:00:00Z'),
    partner: DEV_PARTNER,
  }),
  eTag: '"e"',
};
const referral = (changes: Partial<ReferralRecord>): ReferralRecord => ({ ...base, ...changes });
const matches = (filter: string, r: ReferralRecord) => matchesFilter(parseReferralFilter(filter), r);

describe('referral $filter', () => {
  const sample = referral({
    status: 'New',
    substatus: 'Pending',
    engagementId: 'b8e4d2a0-5c3f-4f7e-8d21-7a9b6c5d4e30',
    externalReferenceId: null,
    createdDateTime: '2026-03-10T14:22:05.1234567Z',
    team: [{ firstName: 'Sam', lastName: "O'Brien", email: 'Sam.Lee@partner.example', phoneNumber: null }],
  });

  it.each([
    ["status eq 'New'", true],
    ["Status eq 'new'", true],
    ["status ne 'New'", false],
    ["status eq 'New' and (substatus eq 'Received' or substatus eq 'Pending')", true],
    ["not(status eq 'New')", false],
    ['engagementId eq b8e4d2a0-5c3f-4f7e-8d21-7a9b6c5d4e30', true],
    ["engagementId eq 'B8E4D2A0-5C3F-4F7E-8D21-7A9B6C5D4E30'", true],
    ['externalReferenceId eq null', true],
    ['externalReferenceId ne null', false],
    ['createdDateTime gt 2026-03-10T14:22:05.1234566Z', true],
    ['createdDateTime gt 2026-03-10T14:22:05.1234567Z', false],
    ['createdDateTime ge 2026-03-10T14:22:05.1234567Z', true],
    ["createdDateTime lt '2026-03-10T15:22:05+01:00'", false],
    ['createdDateTime le 2026-03-10T15:22:05.1234567+01:00', true],
    ["team/any(t:t/email eq 'sam.lee@partner.example')", true],
    ["team/any(m: m/lastName eq 'O''Brien' and m/phoneNumber eq null)", true],
    ["team/all(t:t/email eq 'someone@else.example')", false],
    ['team/any()', true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter, sample)).toBe(expected);
  });

  it('treats an empty team as matching no any() and every all()', () => {
    const lonely = referral({ team: [] });
    expect(matches("team/any(t:t/email eq 'x')", lonely)).toBe(false);
    expect(matches('team/any()', lonely)).toBe(false);
    expect(matches("team/all(t:t/email eq 'x')", lonely)).toBe(true);
  });

  it.each([
    ["status eq 'Open'", /not a valid 'status'/],
    ["status gt 'New'", /only eq and ne/],
    ["name eq 'x' and", /Expected a property/],
    ["(status eq 'New'", /Expected '\)'/],
    ["status eq 'New')", /Unexpected '\)'/],
    ["status eq 'New' xor type eq 'Shared'", /Unexpected 'xor'/],
    ['createdDateTime gt 5', /not a valid value/],
    ["createdDateTime gt 'yesterday'", /not a valid value/],
    ['createdDateTime gt null', /null can only be compared/],
    ["team/any(t:t/email eq 'x' and team/any(u:u/email eq 'y'))", /Nested lambda/],
    ["tags/any(t:t eq 'x')", /not a filterable collection/],
    ["team/any(t:x/email eq 'x')", /not a filterable property of t/],
    ["startswith(name, 'x')", /Function 'startswith' is not supported/],
    ["name 'x'", /Expected a comparison operator/],
    ["name eq 'unterminated", /Unexpected character/],
  ])('refuses %s', (filter, message) => {
    expect(() => parseReferralFilter(filter)).toThrow(FilterSyntaxError);
    expect(() => parseReferralFilter(filter)).toThrow(message);
  });
});
