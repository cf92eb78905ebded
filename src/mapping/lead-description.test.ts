import { describe, expect, it } from 'vitest';
import { buildLeadDescription } from './lead-description.ts';
import { sampleReferral, withDetails } from './test-support.ts';

const requirements = {
  industries: [{ id: 'IND-2', name: 'Retail' }],
  products: [{ id: 'PRD-9', name: null }],
  services: [
    { id: 'SVC-2', name: 'Migration' },
    { id: 'SVC-1', name: 'Assessment' },
  ],
  solutions: [
    { id: 'SOL-2', name: 'Zeta Factory', publisherName: null },
    { id: 'SOL-1', name: 'Alpha Accelerator', publisherName: null },
  ],
};

describe('buildLeadDescription', () => {
  it('lists requirements in a fixed order, each list sorted', () => {
    const { text } = buildLeadDescription(withDetails(sampleReferral(), { requirements }));

    expect(text).toContain(
      [
        'Solutions: Alpha Accelerator (SOL-1); Zeta Factory (SOL-2)',
        'Products: PRD-9',
        'Services: Assessment (SVC-1); Migration (SVC-2)',
        'Industries: Retail (IND-2)',
      ].join('\n'),
    );
  });

  it('gives the same text whatever order the API lists requirements in', () => {
    const reversed = {
      ...requirements,
      services: [...requirements.services].reverse(),
      solutions: [...requirements.solutions].reverse(),
    };

    expect(buildLeadDescription(withDetails(sampleReferral(), { requirements: reversed })).text).toBe(
      buildLeadDescription(withDetails(sampleReferral(), { requirements })).text,
    );
  });

  it('keeps the notes’ line breaks but not their stray blank lines', () => {
    const { text } = buildLeadDescription(
      withDetails(sampleReferral(), { notes: 'First line  \r\n\r\n\r\n\r\nSecond' }),
    );

    expect(text?.startsWith('First line\n\nSecond\n\n')).toBe(true);
  });

  it('shortens the notes first so that requirements and deal summary stay whole', () => {
    const { text, truncated } = buildLeadDescription(
      withDetails(sampleReferral(), { notes: 'n'.repeat(3000) }),
      600,
    );

    expect(truncated).toBe(true);
    expect(text).toHaveLength(600);
    expect(text).toMatch(/^n+…\n\nInvitation/);
    expect(text?.endsWith('Referral: Shared, SalesQualified, Incoming')).toBe(true);
  });

  it('cuts the end when the structured part alone does not fit', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      id: `PRD-${String(i).padStart(3, '0')}`,
      name: null,
    }));
    const { text, truncated } = buildLeadDescription(
      withDetails(sampleReferral(), { requirements: { ...requirements, products: many } }),
    );

    expect(truncated).toBe(true);
    expect(text).toHaveLength(2000);
    expect(text?.endsWith('…')).toBe(true);
    expect(text?.startsWith('Customer wants to move')).toBe(true);
  });

  it('is empty when the referral has nothing to describe', () => {
    const bare = { ...sampleReferral(), details: null, inviteContext: null, customerProfile: null };

    expect(buildLeadDescription({ ...bare, type: null, qualification: null, direction: null })).toEqual({
      text: null,
      truncated: false,
    });
  });
});
