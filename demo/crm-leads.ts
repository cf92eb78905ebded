/**
 * The leads an emulated CRM holds, each with the referral key it carries, read from the emulator's own
 * state (the truth the demo, the e2e tests and the benchmarks check against, not the connector's view).
 */
import type { EmulatorWorld } from '@referral-connector/emulators';
import type { Config } from '../src/config/config-schema.ts';

export type CrmLead = { leadid: string; referralKey: string | null };

export function crmLeads(world: EmulatorWorld, crm: Config['crm']): CrmLead[] {
  const keyOf = (record: Record<string, unknown>, field: string) =>
    typeof record[field] === 'string' ? (record[field] as string) : null;
  switch (crm.kind) {
    case 'dynamics':
      return world.dataverse.leads().map((lead) => ({
        leadid: String(lead.leadid),
        referralKey: keyOf(lead, crm.dynamics.referralIdColumn),
      }));
    case 'hubspot':
      // The record a referral becomes: a lead or a deal (`crm.hubspot.object`), keyed by its unique property.
      return world.hubspot.objects(crm.hubspot.object).map((record) => ({
        leadid: record.id,
        referralKey: record.properties[crm.hubspot.referralIdProperty] ?? null,
      }));
    case 'salesforce':
      return world.salesforce.leads().map((lead) => ({
        leadid: String(lead.Id),
        referralKey: keyOf(lead, crm.salesforce.referralIdField),
      }));
  }
}
