import { describe, expect, it } from 'vitest';
import type { LeadDraft } from '../core/lead.ts';
import { canonicalJson, leadHash } from './lead-hash.ts';
import { mapReferralToLead } from './map-referral-to-lead.ts';
import { referralUrl, sampleReferral } from './test-support.ts';

const draft = (): LeadDraft => mapReferralToLead(sampleReferral(), { referralUrl }).draft;

/** One change per mapped field, including nested ones and null ↔ value. */
const fieldChanges: [string, (d: LeadDraft) => LeadDraft][] = [
  ['referralId', (d) => ({ ...d, referralId: 'other' as LeadDraft['referralId'] })],
  ['referralUrl', (d) => ({ ...d, referralUrl: `${d.referralUrl}?x` })],
  ['topic', (d) => ({ ...d, topic: `${d.topic}!` })],
  ['companyName', (d) => ({ ...d, companyName: null })],
  ['contact.firstName', (d) => ({ ...d, contact: { ...d.contact, firstName: 'Alexa' } })],
  ['contact.lastName', (d) => ({ ...d, contact: { ...d.contact, lastName: 'Rivero' } })],
  ['contact.email', (d) => ({ ...d, contact: { ...d.contact, email: 'a@b.example' } })],
  ['contact.phone', (d) => ({ ...d, contact: { ...d.contact, phone: null } })],
  ['contact.jobTitle', (d) => ({ ...d, contact: { ...d.contact, jobTitle: 'CIO' } })],
  ['address.line1', (d) => ({ ...d, address: { ...d.address, line1: '2 Sample Street' } })],
  ['address.line2', (d) => ({ ...d, address: { ...d.address, line2: 'Floor 3' } })],
  ['address.city', (d) => ({ ...d, address: { ...d.address, city: 'Shelbyville' } })],
  ['address.stateOrProvince', (d) => ({ ...d, address: { ...d.address, stateOrProvince: 'IN' } })],
  ['address.postalCode', (d) => ({ ...d, address: { ...d.address, postalCode: '62702' } })],
  ['address.country', (d) => ({ ...d, address: { ...d.address, country: 'CA' } })],
  ['description', (d) => ({ ...d, description: `${d.description} ` })],
  ['estimatedAmount', (d) => ({ ...d, estimatedAmount: 250000.01 })],
  ['currencyCode', (d) => ({ ...d, currencyCode: 'EUR' })],
  ['estimatedCloseDate', (d) => ({ ...d, estimatedCloseDate: '2025-10-01' })],
  ['an extra CRM field appearing', (d) => ({ ...d, extra: { new_dealsize: 250000 } })],
];

describe('leadHash', () => {
  it('is the same for the same referral mapped twice', () => {
    expect(leadHash(draft())).toBe(leadHash(draft()));
  });

  it('does not depend on the order the fields were built in', () => {
    const original = draft();
    const reordered = Object.fromEntries(Object.entries(original).reverse()) as LeadDraft;

    expect(leadHash(reordered)).toBe(leadHash(original));
  });

  it('ignores referral fields the mapping does not use', () => {
    const referral = {
      ...sampleReferral(),
      eTag: '"other"',
      updatedDateTime: '2026-01-01T00:00:00Z',
      mpnId: '9',
    };

    expect(leadHash(mapReferralToLead(referral, { referralUrl }).draft)).toBe(leadHash(draft()));
  });

  it.each(fieldChanges)('changes when %s changes', (_field, change) => {
    expect(leadHash(change(draft()))).not.toBe(leadHash(draft()));
  });

  it('changes when an extra CRM field changes value', () => {
    const withExtra = (value: number | null): LeadDraft => ({ ...draft(), extra: { new_dealsize: value } });

    expect(leadHash(withExtra(1))).not.toBe(leadHash(withExtra(2)));
    expect(leadHash(withExtra(null))).not.toBe(leadHash(withExtra(0)));
  });

  it('is a SHA-256 hex digest', () => {
    expect(leadHash(draft())).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: null, e: 'x' }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"e":"x","f":null}]},"b":1}',
    );
  });
});
