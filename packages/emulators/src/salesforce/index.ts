export type { ConvertParameters } from './lead-operations.ts';
export type { SalesforceCustomField } from './lead-schema.ts';
export type { LeadStatusDefinition, LeadStatusRow } from './lead-statuses.ts';
export type { ConnectedApp, OrgUser } from './oauth-token.ts';
export {
  createSalesforceEmulator,
  type OrgSettings,
  type SalesforceLeadRecord,
  type SalesforceOptions,
  type SalesforceState,
  type SalesforceUserOptions,
} from './salesforce-emulator.ts';
export { SalesforceError, type SalesforceErrorItem } from './salesforce-error.ts';
export { LOGIN_PREFIX, MY_DOMAIN_PREFIX } from './salesforce-routes.ts';
