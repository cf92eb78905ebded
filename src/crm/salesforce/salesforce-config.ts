/** The `crm.salesforce` keys: the org (My Domain), the connected app's identity, field names, limits. */
import { z } from 'zod';

const url = () => z.url({ protocol: /^https?$/ });

export const salesforceConfigSchema = z.strictObject({
  instanceUrl: url()
    .optional()
    .describe('My Domain URL of the org, e.g. https://acme.my.salesforce.com (token requests go there too)'),
  apiVersion: z
    .string()
    .regex(/^v\d{2}\.0$/)
    .default('v62.0')
    .describe('REST API version (v46.0 or later: upsert answers say whether they created)'),
  clientId: z.string().min(1).optional().describe('consumer key of the connected (or external client) app'),
  clientSecret: z
    .string()
    .min(1)
    .optional()
    .describe('consumer secret: client-credentials flow with the app’s Run As user'),
  username: z.string().min(1).optional().describe('JWT bearer flow: the user the connector runs as'),
  privateKeyFile: z
    .string()
    .min(1)
    .optional()
    .describe('JWT bearer flow: PEM private key whose certificate is uploaded to the app'),
  jwtAudience: url()
    .default('https://login.salesforce.com')
    .describe('JWT bearer flow: the `aud` claim (https://test.salesforce.com for a sandbox)'),
  referralIdField: z
    .string()
    .min(1)
    .default('Referral_Id__c')
    .describe('Lead text field holding the referral id: External ID and Unique'),
  referralUrlField: z
    .string()
    .min(1)
    .optional()
    .default('Referral_URL__c')
    .describe('Lead field for a link to the referral'),
  leadSource: z
    .string()
    .min(1)
    .default('Partner Referral')
    .describe('LeadSource picklist value of new leads'),
  disqualifiedStatuses: z
    .array(z.string().min(1))
    .default(['Closed - Not Converted'])
    .describe('Lead Status values that mean a seller disqualified the lead'),
  countryPicklists: z
    .union([z.boolean(), z.stringbool()])
    .default(false)
    .describe('the org has State and Country/Territory picklists: write CountryCode instead of Country'),
  limits: z
    .strictObject({
      concurrency: z.coerce
        .number()
        .int()
        .min(1)
        .default(25)
        .describe('Salesforce requests in flight at once'),
      dailyAllocationShare: z.coerce
        .number()
        .min(0.01)
        .max(1)
        .default(0.5)
        .describe(
          "the connector pauses while the org's API usage (Sforce-Limit-Info) is above this share of its daily allocation",
        ),
      pauseSeconds: z.coerce
        .number()
        .min(1)
        .default(300)
        .describe('how long to pause when the allocation (or that share of it) is used up'),
    })
    .prefault({}),
});

export type SalesforceConfig = z.output<typeof salesforceConfigSchema>;
