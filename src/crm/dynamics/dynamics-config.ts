/** The `crm.dynamics` keys: where the Dataverse organization is, who the connector is there, its limits. */
import { z } from 'zod';
import { appCredentialsShape } from '../../config/app-credentials.ts';

const url = () => z.url({ protocol: /^https?$/ });

export const dynamicsConfigSchema = z.strictObject({
  url: url().optional().describe('organization URL, e.g. https://contoso.crm4.dynamics.com'),
  apiVersion: z
    .string()
    .regex(/^v9\.\d$/)
    .default('v9.2')
    .describe('Web API version'),
  referralIdColumn: z
    .string()
    .min(1)
    .default('new_referralid')
    .describe('lead column holding the referral id (alternate key)'),
  referralUrlColumn: z
    .string()
    .min(1)
    .optional()
    .default('new_referralurl')
    .describe('lead column for a link to the referral'),
  ...appCredentialsShape,
  limits: z
    .strictObject({
      concurrency: z.coerce
        .number()
        .int()
        .min(1)
        .default(52)
        .describe('Dataverse requests in flight at once'),
      requestsPerWindow: z.coerce
        .number()
        .int()
        .min(1)
        .default(6000)
        .describe('Dataverse service-protection limit: requests per window per user'),
      executionSecondsPerWindow: z.coerce
        .number()
        .min(1)
        .default(1200)
        .describe('Dataverse service-protection limit: combined execution time per window'),
      windowSeconds: z.coerce.number().min(0.1).default(300).describe('the sliding window of those limits'),
    })
    .prefault({}),
});

export type DynamicsConfig = z.output<typeof dynamicsConfigSchema>;
