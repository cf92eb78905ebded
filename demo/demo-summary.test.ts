import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './demo-summary.ts';

describe('summarize', () => {
  it('counts duplicates, write-backs and lost referrals from what the emulators hold', () => {
    const summary = summarize({
      referrals: [
        { id: 'A', externalReferenceId: 'lead-a' },
        { id: 'B', externalReferenceId: null },
        { id: 'C', externalReferenceId: 'lead-c1' },
        { id: 'D' },
      ],
      leads: [
        { leadid: 'LEAD-A', referralKey: 'a' },
        { leadid: 'lead-b', referralKey: 'b' },
        { leadid: 'lead-c1', referralKey: 'c' },
        { leadid: 'lead-c2', referralKey: 'c' },
        { leadid: 'lead-x', referralKey: null },
      ],
      deadLettered: 1,
      apiCalls: { dataverse: 4 },
      latenciesMs: [10, 20, 30, 40],
    });
    expect(summary).toMatchObject({
      referrals: 4,
      leads: 5,
      duplicateLeads: 1,
      writtenBack: 1,
      lost: 1,
      deadLettered: 1,
    });
    expect(summary.latencyMs).toEqual({ p50: 20, p95: 40 });
  });
});

describe('percentile', () => {
  it('uses the nearest rank and is null without samples', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5], 0.95)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
  });
});
