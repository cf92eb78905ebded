/** A Salesforce Lead record → the neutral LeadState (pure). Status model: spec crm.md §B2, §B8. */
import type { LeadState } from '../../core/index.ts';

export const LEAD_STATE_FIELDS = ['Id', 'Status', 'IsConverted', 'SystemModstamp'] as const;

/** `SystemModstamp` as Salesforce writes it (`2025-02-03T10:15:42.000+0000`) → ISO-8601 UTC. */
export function toIsoInstant(stamp: string): string {
  return new Date(stamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString();
}

export function toLeadState(
  record: Record<string, unknown>,
  disqualifiedStatuses: readonly string[],
): LeadState {
  if (typeof record.Id !== 'string') throw new TypeError('a Salesforce Lead record needs its Id');
  const status = typeof record.Status === 'string' ? record.Status : '';
  const phase =
    record.IsConverted === true
      ? 'qualified'
      : disqualifiedStatuses.includes(status)
        ? 'disqualified'
        : 'open';
  return {
    leadId: record.Id,
    phase,
    crmStatus: status,
    ...(phase === 'disqualified' ? { reason: status } : {}),
    ...(typeof record.SystemModstamp === 'string' ? { modifiedAt: toIsoInstant(record.SystemModstamp) } : {}),
  };
}
