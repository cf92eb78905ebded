/**
 * The `crm` section: which CRM receives leads (`crm.kind`) and each CRM's own keys, defined in its folder.
 * Adding a CRM adds its section here and its case in `create-crm-adapter.ts`.
 */
import { z } from 'zod';
import { dynamicsConfigSchema } from './dynamics/dynamics-config.ts';
import { hubspotConfigSchema } from './hubspot/hubspot-config.ts';
import { salesforceConfigSchema } from './salesforce/salesforce-config.ts';

export const CRM_KINDS = ['dynamics', 'salesforce', 'hubspot'] as const;
export type CrmKind = (typeof CRM_KINDS)[number];

export const crmConfigSchema = z.strictObject({
  kind: z.enum(CRM_KINDS).default('dynamics').describe('which CRM receives leads'),
  instanceShare: z.coerce
    .number()
    .min(0.01)
    .max(1)
    .default(1)
    .describe(
      "the part of the CRM's request limits this instance uses: with N instances on one store, 1/N keeps them together within the limits",
    ),
  dynamics: dynamicsConfigSchema.prefault({}),
  salesforce: salesforceConfigSchema.prefault({}),
  hubspot: hubspotConfigSchema.prefault({}),
});

export type CrmConfig = z.output<typeof crmConfigSchema>;
