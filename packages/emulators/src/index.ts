/**
 * The emulators' public API: the emulated world (Entra ID, Partner Center, Dataverse, HubSpot, Salesforce
 * on one server), its well-known development credentials, fault settings, and the certificate and TLS
 * helpers tests use to build trust material of their own. Everything else in this package is internal.
 */
export {
  type ConnectorConfigOptions,
  type ConnectorSetting,
  connectorConfig,
  connectorSettings,
  EMULATED_CRMS,
  type EmulatedCrm,
} from './connector-config.ts';
export { parseFaultSpec } from './control/parse-fault-spec.ts';
export {
  DEV_CREDENTIALS,
  DEV_HUBSPOT,
  DEV_PARTNER,
  DEV_SALESFORCE,
  type DevCredentials,
  PARTNER_CENTER_AUDIENCES,
} from './credentials.ts';
export type {
  DataverseOptions,
  DataverseSetup,
  LeadRecord,
  ServiceProtectionLimits,
} from './dataverse/index.ts';
export { DEFAULT_LIMITS as DATAVERSE_DEFAULT_LIMITS } from './dataverse/index.ts';
export type { EntraOptions } from './entra/index.ts';
export {
  ALL_SCOPES as HUBSPOT_SCOPES,
  DEFAULT_RATE_LIMITS as HUBSPOT_DEFAULT_RATE_LIMITS,
  type HubSpotOptions,
  type HubSpotRateLimits,
  type HubSpotRecord,
  type HubSpotState,
  type IssueTokenOptions as HubSpotTokenOptions,
  type PipelineInput as HubSpotPipeline,
  type PropertyInput as HubSpotPropertyInput,
} from './hubspot/index.ts';
export type { Referral, ReferralRecord } from './partner-center/referrals/index.ts';
export {
  type NotificationPayload,
  referralPayload,
  serializePayload,
} from './partner-center/webhooks/notification-payload.ts';
export { type SignOptions, signNotification } from './partner-center/webhooks/sign-notification.ts';
export { LEAF_SUBJECT } from './partner-center/webhooks/signing-chain.ts';
export type {
  ConvertParameters as SalesforceConvertParameters,
  LeadStatusDefinition as SalesforceLeadStatus,
  OrgSettings as SalesforceOrgSettings,
  SalesforceCustomField,
  SalesforceLeadRecord,
  SalesforceOptions,
  SalesforceState,
} from './salesforce/index.ts';
export { type IssuedCertificate, issueCertificate } from './shared/certificates.ts';
export { listenOnLoopback } from './shared/listen.ts';
export { createRandom, type Random } from './shared/random.ts';
export { createTlsMaterial, type TlsMaterial } from './shared/tls.ts';
export type { FaultSettings, ServiceName, Traffic } from './shared/traffic.ts';
export {
  type EmulatorUrls,
  type EmulatorWorld,
  type EmulatorWorldOptions,
  startEmulators,
} from './world.ts';
