/**
 * Where a lead the Dataverse emulator holds differs from an expectation (`expectedDataverseLead`): one
 * line per column, empty when they agree. Columns the expectation leaves out are not compared.
 */
import type { LeadRecord } from '@referral-connector/emulators';
import type { DataverseLeadColumns } from './expected-dataverse-lead.ts';

export function dataverseLeadDifferences(expected: DataverseLeadColumns, lead: LeadRecord): string[] {
  const differences: string[] = [];
  for (const [column, wanted] of Object.entries(expected)) {
    const actual = lead[column] ?? null;
    if (actual !== wanted)
      differences.push(`${column}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(wanted)}`);
  }
  return differences;
}
