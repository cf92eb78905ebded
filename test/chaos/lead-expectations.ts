/**
 * What a referral's lead must hold at the end of a run: the columns the test kit derives from the
 * documented mapping (`expectedDataverseLead`, independent of the connector's own mapping code) for the
 * referral's final state, compared column by column with the row the emulator stores; and a finished
 * write-back: the referral names the lead, and the lead is still open, which by the documented status table
 * leaves a New/Pending referral as it is, so nothing is left to write.
 */

import type { LeadRecord, Referral } from '@referral-connector/emulators';
import {
  type ExpectedDataverseLeadOptions,
  expectedDataverseLead,
  leadDifferences,
} from '@referral-connector/test-kit';

export type LeadExpectationContext = ExpectedDataverseLeadOptions;

/** Every way the lead and the referral's write-back differ from the documented rules; empty when all is right. */
export function leadMismatches(
  served: Referral,
  lead: LeadRecord,
  context: LeadExpectationContext,
): string[] {
  const problems = leadDifferences(expectedDataverseLead(served, context), lead);
  if (lead.statecode !== 0 || lead.statuscode !== 1)
    problems.push(`lead ${String(lead.statecode)}/${String(lead.statuscode)}, expected open/New (0/1)`);
  // GUIDs may come back in another case (README, table B).
  if (served.externalReferenceId?.toLowerCase() !== String(lead.leadid).toLowerCase())
    problems.push(`externalReferenceId ${String(served.externalReferenceId)} ≠ lead ${lead.leadid}`);
  return problems;
}
