/** `mapping preview` as text for a person (pure); `--json` prints the preview object itself. */
import type { MappingPreview } from '../sync/preview-referral-sync.ts';

export function renderMappingPreview(preview: MappingPreview): string {
  const { referral, crm } = preview;
  const lines = [`Referral ${referral.id} (${referral.status}/${referral.substatus})`, ''];

  lines.push('Lead fields the mapping makes of it:');
  const width = Math.max(...preview.lead.map((row) => row.field.length));
  for (const row of preview.lead) lines.push(`  ${row.field.padEnd(width)}  ${show(row.value)}`);
  lines.push('');

  if (crm) {
    const lead = crm.lead
      ? `lead ${crm.lead.id} (${crm.lead.phase}${crm.lead.crmStatus ? `, CRM status ${crm.lead.crmStatus}` : ''})`
      : 'no lead yet: the sync would create one';
    lines.push(`CRM fields the sync would write (${crm.kind}), against the lead as it is — ${lead}:`);
    if (crm.fieldsUnreadable) {
      lines.push(`  (${crm.kind} cannot show a lead's fields here; the lead fields above are what it gets)`);
    } else {
      const fieldWidth = Math.max(...crm.fields.map((row) => row.field.length));
      for (const row of crm.fields) {
        const name = row.field.padEnd(fieldWidth);
        if (!crm.lead) lines.push(`  + ${name}  ${show(row.value)}`);
        else if (row.changed) lines.push(`  ~ ${name}  ${show(row.current)} → ${show(row.value)}`);
        else lines.push(`  = ${name}  ${show(row.value)}`);
      }
      const changed = crm.fields.filter((row) => row.changed).length;
      lines.push(
        crm.lead
          ? `  ${changed} of ${crm.fields.length} fields differ from the lead (~ differs, = same)`
          : `  ${crm.fields.length} fields on the new lead`,
      );
    }
    lines.push(
      crm.writesLead
        ? '  The sync would write the lead.'
        : '  The sync would not write the lead: its mapped fields are what the last sync wrote (edits made in the CRM stay).',
    );
    lines.push('');
  }

  if (preview.writeBack) {
    lines.push('Write-back to the referral:');
    if (!preview.writeBack.enabled) lines.push('  none (sync.writeBack is off)');
    else if (preview.writeBack.operations.length === 0) lines.push('  nothing to change');
    else for (const op of preview.writeBack.operations) lines.push(`  ${op.path} → ${show(op.value)}`);
    lines.push('');
  }

  lines.push(preview.warnings.length === 0 ? 'Warnings: none' : 'Warnings:');
  for (const warning of preview.warnings)
    lines.push(`  ${warning.code} (${warning.field}): ${warning.detail}`);
  lines.push('', 'Nothing was written.', '');
  return lines.join('\n');
}

/** Text quoted (so blanks and numbers-as-text show), other values as JSON; long text shortened. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'string') return JSON.stringify(value);
  const oneLine = value.replace(/\r?\n/g, '⏎');
  return JSON.stringify(oneLine.length > 100 ? `${oneLine.slice(0, 99)}…` : oneLine);
}
