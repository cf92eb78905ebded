/**
 * Pins what the default mapping makes of ~100 varied referrals, recorded from the hand-written mapping
 * before it became configuration: the default written as configuration must give byte-identical drafts
 * (and hence lead hashes, so no lead is rewritten on upgrade) and the same warnings.
 * An intended change to the default mapping updates the file: `npx vitest run <this file> -u`.
 */
import { describe, expect, it } from 'vitest';
import { parseReferral } from '../partner-center/referral-schema.ts';
import { canonicalJson } from './lead-hash.ts';
import { mapReferralToLead } from './map-referral-to-lead.ts';
import { referralUrl, referralVariants, sampleReferral } from './test-support.ts';

function mappedLines(): string {
  const referrals = [sampleReferral(), ...referralVariants(100, 7).map((raw) => parseReferral(raw))];
  return referrals
    .map((referral) => {
      const { draft, warnings } = mapReferralToLead(referral, { referralUrl });
      return canonicalJson({ draft, warnings });
    })
    .join('\n');
}

describe('the default mapping', () => {
  it('maps the sample referrals to exactly the drafts and warnings recorded from the hand-written mapping', async () => {
    await expect(`${mappedLines()}\n`).toMatchFileSnapshot('./default-mapping.golden.jsonl');
  });
});
