/**
 * What a referral's lead must hold: the connector's own mapping (referral → draft → Dataverse columns)
 * applied to the referral's final state, compared column by column with the row the emulator stores.
 */

import type { LeadRecord, Referral as ServedReferral } from '@referral-connector/emulators';
import { toLeadColumns } from '../../src/crm/dynamics/lead-columns.ts';
import { toLeadState } from '../../src/crm/dynamics/lead-state.ts';
import { mapLeadToReferralChanges, mapReferralToLead } from '../../src/mapping/index.ts';
import { parseReferral } from '../../src/partner-center/referral-schema.ts';

export type LeadExpectationContext = {
  referralUrlOf: (referralId: string) => string;
  referralUrlColumn: string;
  /** transactioncurrencyid by ISO code, as the organization holds them. */
  currencyIdOf: (isoCode: string) => string | undefined;
};

/** Every way the lead and the referral's write-back differ from the mapping; empty when all is right. */
export function leadMismatches(
  served: ServedReferral,
  lead: LeadRecord,
  context: LeadExpectationContext,
): string[] {
  const referral = parseReferral(JSON.parse(JSON.stringify(served)));
  const { draft } = mapReferralToLead(referral, { referralUrl: context.referralUrlOf });
  const currencyId = draft.currencyCode ? context.currencyIdOf(draft.currencyCode) : undefined;
  const { columns } = toLeadColumns(draft, { referralUrlColumn: context.referralUrlColumn, currencyId });
  const problems: string[] = [];
  for (const [column, wanted] of Object.entries(columns)) {
    if (column.endsWith('@odata.bind')) {
      if (lead._transactioncurrencyid_value !== currencyId)
        problems.push(`currency ${String(lead._transactioncurrencyid_value)} ≠ ${String(currencyId)}`);
      continue;
    }
    const actual = lead[column] ?? null;
    const same =
      column === 'estimatedamount' && wanted !== null && actual !== null
        ? Math.abs(Number(actual) - Number(wanted)) < 0.005
        : actual === (wanted ?? null);
    if (!same) problems.push(`${column}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(wanted)}`);
  }
  const writeBack = mapLeadToReferralChanges(referral, toLeadState(lead));
  if (writeBack !== null) problems.push(`write-back pending: ${JSON.stringify(writeBack)}`);
  if (served.externalReferenceId !== lead.leadid)
    problems.push(`externalReferenceId ${String(served.externalReferenceId)} ≠ lead ${lead.leadid}`);
  return problems;
}
