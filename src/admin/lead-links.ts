/**
 * Where a person opens a lead in the CRM's own user interface. Pure. Dynamics 365: the classic record
 * URL (`main.aspx?etn=lead&pagetype=entityrecord&id=…`), which every model-driven app resolves;
 * Salesforce: the Lightning record page.
 */
import type { CrmConfig } from '../crm/crm-config.ts';

export function leadUrl(crm: CrmConfig, leadId: string): string | undefined {
  if (crm.kind === 'dynamics' && crm.dynamics.url) {
    const base = crm.dynamics.url.replace(/\/+$/, '');
    return `${base}/main.aspx?etn=lead&pagetype=entityrecord&id=${encodeURIComponent(leadId)}`;
  }
  if (crm.kind === 'salesforce' && crm.salesforce.instanceUrl) {
    const base = crm.salesforce.instanceUrl.replace(/\/+$/, '');
    return `${base}/lightning/r/Lead/${encodeURIComponent(leadId)}/view`;
  }
  return undefined;
}
