/**
 * The `crm.hubspot` keys: the portal, the private app's token, which object a referral becomes, the
 * unique properties that key it, the stages that mean a seller's decision, and the share of the portal's
 * limits the connector may use. What a portal admin must create: docs in `hubspot-adapter.ts` and
 * src/crm/hubspot/README.md.
 */
import { z } from 'zod';

const url = () => z.url({ protocol: /^https?$/ });
const property = () => z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a property internal name');
const stages = () => z.array(z.string().min(1));

export const HUBSPOT_OBJECTS = ['leads', 'deals'] as const;
export type HubSpotObject = (typeof HUBSPOT_OBJECTS)[number];

export const hubspotConfigSchema = z.strictObject({
  baseUrl: url().default('https://api.hubapi.com').describe('HubSpot API root'),
  accessToken: z
    .string()
    .min(1)
    .optional()
    .describe(
      'access token of the private app (Settings → Integrations → Private apps) with the crm.objects.contacts, ' +
        'leads or deals read and write scopes',
    ),
  object: z
    .enum(HUBSPOT_OBJECTS)
    .default('leads')
    .describe(
      'what a referral becomes: a lead (Sales Hub Professional or Enterprise, with its contact) or a deal (every tier)',
    ),
  referralIdProperty: property()
    .default('referral_id')
    .describe(
      'single-line text property with "unique values" on that object, holding the referral id (one record per referral)',
    ),
  contactReferralIdProperty: property()
    .default('referral_id')
    .describe(
      'unique single-line text property on contacts that keys the contact of a referral without an e-mail address',
    ),
  referralUrlProperty: property()
    .optional()
    .describe('property of the lead or deal for a link to the referral (none by default)'),
  leads: z
    .strictObject({
      pipeline: z.string().min(1).default('lead-pipeline-id').describe('lead pipeline new leads go to'),
      initialStage: z.string().min(1).default('new-stage-id').describe('stage id of new leads'),
      qualifiedStages: stages()
        .default(['qualified-stage-id'])
        .describe('lead stage ids that mean a seller qualified the lead'),
      disqualifiedStages: stages()
        .default(['unqualified-stage-id'])
        .describe('lead stage ids that mean a seller disqualified the lead'),
    })
    .prefault({}),
  deals: z
    .strictObject({
      pipeline: z.string().min(1).default('default').describe('deal pipeline new deals go to'),
      initialStage: z.string().min(1).default('appointmentscheduled').describe('stage id of new deals'),
      qualifiedStages: stages().default(['closedwon']).describe('deal stage ids that mean the deal was won'),
      disqualifiedStages: stages()
        .default(['closedlost'])
        .describe('deal stage ids that mean the deal was lost'),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .default('USD')
        .describe("the portal's company currency: an amount in another currency is not written"),
    })
    .prefault({}),
  portalTimeZone: z
    .string()
    .min(1)
    .refine((zone) => isTimeZone(zone), 'must be an IANA time zone such as Europe/Berlin')
    .default('UTC')
    .describe(
      "the portal's time zone (Settings → Account defaults): its daily API limit resets at midnight there",
    ),
  limits: z
    .strictObject({
      requestsPerTenSeconds: z.coerce
        .number()
        .int()
        .min(1)
        .default(100)
        .describe(
          "the portal's burst limit per 10 seconds: 100 (Free, Starter), 190 (Professional, Enterprise), 250 with the API limit increase",
        ),
      searchesPerSecond: z.coerce
        .number()
        .int()
        .min(1)
        .default(5)
        .describe("the portal's CRM search limit per second"),
      share: z.coerce
        .number()
        .min(0.01)
        .max(1)
        .default(0.5)
        .describe(
          "the part of those limits the connector may use; the partner's other integrations share them",
        ),
      concurrency: z.coerce.number().int().min(1).default(10).describe('HubSpot requests in flight at once'),
    })
    .prefault({}),
});

export type HubSpotConfig = z.output<typeof hubspotConfigSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
