import { describe, expect, it } from 'vitest';
import { DEV_PARTNER } from '../../credentials.ts';
import { createRandom } from '../../shared/random.ts';
import { EXPIRY_DAYS, generateReferral } from './generate-referral.ts';
import type { ReferralDraft } from './referral.ts';
import { parseReferralBody } from './referral-input.ts';
import { statusChangeProblem } from './referral-status-rules.ts';

const NOW = Date.parse('2026-05-04T09:00:00.000Z');
const generate = (seed: string, count: number): ReferralDraft[] => {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => generateReferral(random, { now: NOW, partner: DEV_PARTNER }));
};

describe('generateReferral', () => {
  it('makes the same referrals for the same seed and different ones for another', () => {
    expect(generate('seed-a', 20)).toEqual(generate('seed-a', 20));
    expect(generate('seed-b', 20).map((r) => r.id)).not.toEqual(generate('seed-a', 20).map((r) => r.id));
  });

  const sample = generate('variety', 400);
  const share = (predicate: (r: ReferralDraft) => boolean) => sample.filter(predicate).length / sample.length;

  it('makes mostly incoming New/Pending referrals, some Active/Accepted and a few Closed, in both directions', () => {
    expect(
      share((r) => r.direction === 'Incoming' && r.status === 'New' && r.substatus === 'Pending'),
    ).toBeGreaterThan(0.35);
    expect(share((r) => r.status === 'Active')).toBeGreaterThan(0.15);
    expect(share((r) => r.status === 'Closed')).toBeGreaterThan(0.03);
    expect(share((r) => r.status === 'Closed')).toBeLessThan(0.25);
    expect(share((r) => r.direction === 'Outgoing')).toBeGreaterThan(0.1);
    expect(new Set(sample.map((r) => r.substatus))).toEqual(
      new Set(['Pending', 'Received', 'Accepted', 'Won', 'Lost', 'Declined', 'Expired']),
    );
  });

  it('only makes valid status pairs, lifecycle dates that agree with them, and timestamps not after now', () => {
    for (const r of sample) {
      expect(statusChangeProblem({ status: 'None', substatus: 'None' }, r)).toBeUndefined();
      expect(r.acceptedDateTime !== null).toBe(
        r.status === 'Active' || ['Won', 'Lost'].includes(r.substatus),
      );
      expect(r.closedDateTime !== null).toBe(r.status === 'Closed');
      expect(r.expirationDateTime !== null).toBe(r.status === 'New');
      if (r.direction === 'Outgoing') expect(r.acceptedDateTime).toBe(r.createdDateTime);
      expect(r.createdDateTime <= r.updatedDateTime).toBe(true);
      expect(Date.parse(`${r.updatedDateTime.slice(0, 23)}Z`)).toBeLessThanOrEqual(NOW);
      expect(r.createdDateTime).toMatch(/\.\d{7}Z$/);
      if (r.status === 'New') {
        expect(Date.parse(`${r.expirationDateTime?.slice(0, 23)}Z`)).toBeGreaterThan(NOW);
        expect(Date.parse(`${r.expirationDateTime?.slice(0, 23)}Z`)).toBeLessThanOrEqual(
          NOW + EXPIRY_DAYS * 86_400_000,
        );
      }
    }
  });

  it('follows the §2.4 referral categories: qualified leads from msft, co-sell from a partner, no Marketplace leads', () => {
    for (const r of sample) {
      expect(r.qualification).not.toBe('Direct');
      const invitedBy = r.inviteContext?.invitedBy?.organizationId;
      if (invitedBy === 'msft') {
        expect(r.type).toBe('Independent');
        expect(['SalesQualified', 'MarketingQualified']).toContain(r.qualification);
      } else if (r.qualification === 'MarketingQualified') {
        throw new Error(`MarketingQualified referral ${r.id} not invited by Microsoft`);
      }
      if (r.direction === 'Outgoing' && r.inviteContext) expect(invitedBy).toBe(DEV_PARTNER.organizationId);
    }
    expect(share((r) => r.consent.consentToShareReferralWithMicrosoftSellers === false)).toBeGreaterThan(
      0.02,
    );
  });

  it('varies countries, currencies, sizes and contacts, some without email or phone', () => {
    expect(new Set(sample.map((r) => r.customerProfile.address.country)).size).toBeGreaterThanOrEqual(8);
    const currencies = new Set(sample.map((r) => r.details.currency));
    for (const currency of ['USD', 'EUR', 'GBP', 'JPY', 'AUD', 'CAD']) expect(currencies).toContain(currency);
    expect(new Set(sample.map((r) => r.customerProfile.size)).size).toBeGreaterThan(5);
    const contacts = sample.flatMap((r) => r.customerProfile.team);
    expect(
      sample.every((r) => r.customerProfile.team.length >= 1 && r.customerProfile.team.length <= 3),
    ).toBe(true);
    expect(contacts.some((c) => c.email === null)).toBe(true);
    expect(contacts.some((c) => c.phoneNumber === null)).toBe(true);
    expect(sample.every((r) => /^[A-Z]{2}$/.test(r.customerProfile.address.country ?? ''))).toBe(true);
    expect(sample.some((r) => r.details.requirements.solutions.length > 0)).toBe(true);
  });

  it('makes referrals that pass the API input validation', () => {
    for (const r of sample.slice(0, 50)) expect(() => parseReferralBody(r)).not.toThrow();
  });
});
