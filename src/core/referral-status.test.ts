import { describe, expect, it } from 'vitest';
import {
  isLegalTransition,
  isValidStatusPair,
  parseStatusPairKey,
  REFERRAL_STATUSES,
  REFERRAL_SUBSTATUSES,
  STATUS_PAIR_KEYS,
  type StatusPair,
  type StatusPairKey,
  statusPairKey,
} from './referral-status.ts';

const pair = (key: StatusPairKey): StatusPair => parseStatusPairKey(key);

describe('referral status validity', () => {
  it('accepts exactly the seven pairs of the §2.4 table', () => {
    const valid = REFERRAL_STATUSES.flatMap((status) =>
      REFERRAL_SUBSTATUSES.filter((substatus) => isValidStatusPair({ status, substatus })).map(
        (substatus) => `${status}/${substatus}`,
      ),
    );

    expect(valid).toEqual([...STATUS_PAIR_KEYS]);
  });

  it('gives a table key only to valid pairs', () => {
    expect(statusPairKey({ status: 'Active', substatus: 'Accepted' })).toBe('Active/Accepted');
    expect(statusPairKey({ status: 'Active', substatus: 'Pending' })).toBeUndefined();
    expect(statusPairKey({ status: 'None', substatus: 'None' })).toBeUndefined();
  });
});

describe('isLegalTransition', () => {
  // Every (from, to) over the valid pairs: legal iff the status move is allowed by §2.4.
  const expectedNext: Record<string, readonly string[]> = {
    New: ['New', 'Active', 'Closed'],
    Active: ['Active', 'Closed'],
    Closed: ['Closed'],
  };
  const cases = STATUS_PAIR_KEYS.flatMap((from) => STATUS_PAIR_KEYS.map((to) => [from, to] as const));

  it.each(cases)('%s → %s follows the status table', (from, to) => {
    const legal = expectedNext[pair(from).status]?.includes(pair(to).status) ?? false;

    expect(isLegalTransition(pair(from), pair(to))).toBe(legal);
  });

  it('never leaves Closed for another status', () => {
    for (const to of ['New/Pending', 'Active/Accepted'] as const) {
      expect(isLegalTransition(pair('Closed/Lost'), pair(to))).toBe(false);
    }
  });

  it('refuses moves from or to an invalid pair', () => {
    expect(isLegalTransition({ status: 'New', substatus: 'Won' }, pair('Closed/Won'))).toBe(false);
    expect(isLegalTransition(pair('New/Pending'), { status: 'Active', substatus: 'Pending' })).toBe(false);
    expect(isLegalTransition({ status: 'None', substatus: 'None' }, pair('New/Pending'))).toBe(false);
  });
});
