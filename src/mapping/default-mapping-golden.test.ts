/**
 * Pins what the default mapping makes of ~100 varied referrals, recorded from the hand-written mapping
 * before it became configuration: the default written as configuration must give byte-identical drafts
 * (and hence lead hashes, so no lead is rewritten on upgrade) and the same warnings.
 * An intended change to the default mapping updates the file: `npx vitest run <this file> -u`.
 */
import { describe, expect, it } from 'vitest';
import { parseReferral } from '../partner-center/referral-schema.ts';
import { compileMapping } from './compile-mapping.ts';
import { DEFAULT_MAPPING } from './default-mapping.ts';
import { canonicalJson } from './lead-hash.ts';
import { type MappedLead, mapReferralToLead } from './map-referral-to-lead.ts';
import { referralUrl, referralVariants, sampleReferral } from './test-support.ts';

function mappedLines(map: typeof mapReferralToLead): string {
  const referrals = [sampleReferral(), ...referralVariants(100, 7).map((raw) => parseReferral(raw))];
  return referrals
    .map((referral) => {
      const { draft, warnings }: MappedLead = map(referral, { referralUrl });
      return canonicalJson({ draft, warnings });
    })
    .join('\n');
}

describe('the default mapping', () => {
  it('maps the sample referrals to exactly the drafts and warnings recorded from the hand-written mapping', async () => {
    await expect(`${mappedLines(mapReferralToLead)}\n`).toMatchFileSnapshot('./default-mapping.golden.jsonl');
  });

  it('gives the same drafts when a partner writes the whole default out as configuration', async () => {
    const configured = compileMapping(structuredClone(DEFAULT_MAPPING));
    await expect(`${mappedLines(configured.toLead)}\n`).toMatchFileSnapshot('./default-mapping.golden.jsonl');
  });
});
