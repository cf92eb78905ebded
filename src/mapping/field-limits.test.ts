import { describe, expect, it } from 'vitest';
import type { LeadDraft } from '../core/lead.ts';
import { applyFieldLimits, type LeadFieldLimits } from './field-limits.ts';
import { mapReferralToLead } from './map-referral-to-lead.ts';
import { referralUrl, sampleReferral } from './test-support.ts';

/** Limits shaped like a CRM's columns (Dataverse's sizes), kept here so the test does not depend on an adapter. */
const limits: LeadFieldLimits = {
  topic: 300,
  companyName: 100,
  description: 2000,
  contact: { firstName: 50, lastName: 50, email: 100, phone: 50, jobTitle: 100 },
  address: { line1: 250, line2: 250, city: 80, stateOrProvince: 50, postalCode: 20, country: 80 },
};

const draft = (): LeadDraft => mapReferralToLead(sampleReferral(), { referralUrl }).draft;

describe('applyFieldLimits', () => {
  it('leaves a draft that fits untouched', () => {
    expect(applyFieldLimits(draft(), limits)).toEqual({ draft: draft(), warnings: [] });
  });

  it('shortens text that is too long and says which field', () => {
    const long = {
      ...draft(),
      companyName: 'C'.repeat(150),
      contact: { ...draft().contact, lastName: 'L'.repeat(60) },
    };
    const { draft: fitted, warnings } = applyFieldLimits(long, limits);

    expect(fitted.companyName).toBe('C'.repeat(100));
    expect(fitted.contact.lastName).toBe('L'.repeat(50));
    expect(warnings).toEqual([
      { code: 'field_truncated', field: 'companyName', detail: 'shortened from 150 to 100 characters' },
      { code: 'field_truncated', field: 'contact.lastName', detail: 'shortened from 60 to 50 characters' },
    ]);
  });

  it('leaves out an email that does not fit rather than cutting it', () => {
    const email = `${'a'.repeat(95)}@example.com`;
    const { draft: fitted, warnings } = applyFieldLimits(
      { ...draft(), contact: { ...draft().contact, email } },
      limits,
    );

    expect(fitted.contact.email).toBeNull();
    expect(warnings.map((warning) => [warning.code, warning.field])).toEqual([
      ['field_too_long', 'contact.email'],
    ]);
  });

  it('marks a shortened description with an ellipsis', () => {
    const { draft: fitted } = applyFieldLimits(
      { ...draft(), description: 'd'.repeat(3000) },
      { description: 10 },
    );

    expect(fitted.description).toBe(`${'d'.repeat(9)}…`);
  });

  it('applies no limit where the adapter gives none', () => {
    const long = { ...draft(), topic: 'T'.repeat(1000) };

    expect(applyFieldLimits(long, {}).draft.topic).toHaveLength(1000);
  });
});
