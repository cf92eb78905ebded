import { describe, expect, it } from 'vitest';
import { toReferralKey } from './domain.ts';

describe('toReferralKey', () => {
  it('gives the same key to the same id in any case or padding', () => {
    expect(toReferralKey(' 3F2A9C1E-8B7D-4E21-9A55-0C6D2B7E4F10 ')).toBe(
      toReferralKey('3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10'),
    );
  });

  it('refuses an empty id', () => {
    expect(() => toReferralKey('  ')).toThrow(RangeError);
  });
});
