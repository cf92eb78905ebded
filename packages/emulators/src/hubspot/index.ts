export { ALL_SCOPES, type IssueTokenOptions, type TokenGrant, type TokenKind } from './access-tokens.ts';
export { ASSOCIATION_TYPES, type AssociationType } from './associations.ts';
export {
  createHubSpotEmulator,
  HUBSPOT_SERVICE_PATH,
  type HubSpotOptions,
  type HubSpotRecord,
  type HubSpotState,
  type RecordAssociation,
} from './hubspot-emulator.ts';
export type { HubSpotCategory, RateLimitPolicy } from './hubspot-error.ts';
export { OBJECT_TYPES, type ObjectName } from './object-types.ts';
export { DEFAULT_PIPELINES, type PipelineInput, type PipelineStageInput } from './pipelines.ts';
export { DEFAULT_CUSTOM_PROPERTIES, type PropertyInput } from './property-catalog.ts';
export { DEFAULT_RATE_LIMITS, type HubSpotRateLimits, type ThrottledCounts } from './rate-limits.ts';
export { SEARCH_LIMITS } from './search.ts';
