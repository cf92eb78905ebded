export type { Caller } from './api-message.ts';
export {
  createDataverseEmulator,
  DATAVERSE_SERVICE_PATH,
  type DataverseOptions,
  type DataverseSetup,
  type DataverseState,
  type QualifyParameters,
} from './dataverse-emulator.ts';
export { DATAVERSE_CODES, type DataverseErrorBody } from './dataverse-error.ts';
export { KEY_INDEX_STATUSES, type KeyIndexStatus } from './entity-metadata.ts';
export { LEAD_PRIVILEGES, type LeadPrivilege } from './lead-privileges.ts';
export type { LeadRejectionRule } from './lead-rejection-rules.ts';
export type { CustomColumn } from './lead-schema.ts';
export type { LeadRecord } from './lead-table.ts';
export {
  DEFAULT_LIMITS,
  type ServiceProtectionLimits,
  type ThrottledCounters,
} from './service-protection.ts';
