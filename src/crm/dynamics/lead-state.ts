/** A Dataverse lead row → the neutral LeadState (pure). Status model: spec crm.md §A4. */
import type { LeadPhase, LeadState } from '../../core/index.ts';

const PHASE_BY_STATECODE: Record<number, LeadPhase> = { 0: 'open', 1: 'qualified', 2: 'disqualified' };
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

export const LEAD_STATE_COLUMNS = ['leadid', 'statecode', 'statuscode', 'modifiedon'] as const;

export function toLeadState(row: Record<string, unknown>): LeadState {
  const statecode = Number(row.statecode);
  const phase = PHASE_BY_STATECODE[statecode];
  if (typeof row.leadid !== 'string' || phase === undefined) {
    throw new TypeError(
      `a Dataverse lead row needs leadid and a known statecode (got ${String(row.statecode)})`,
    );
  }
  const label = row[`statuscode${FORMATTED}`];
  return {
    leadId: row.leadid,
    phase,
    crmStatus: String(row.statuscode ?? ''),
    ...(typeof label === 'string' ? { reason: label } : {}),
    ...(typeof row.modifiedon === 'string' ? { modifiedAt: row.modifiedon } : {}),
  };
}
