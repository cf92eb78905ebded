export type { AttemptRecord, DeliveryOutcome, DeliveryRecord } from './delivery-record.ts';
export { type DispatchCounters, MAX_ATTEMPTS } from './notification-dispatcher.ts';
export {
  formatChangeDate,
  type NotificationPayload,
  RESOURCE_URI_FORMS,
  type ResourceUriForm,
} from './notification-payload.ts';
export type { ReferralChange } from './notification-source.ts';
export { CLASSIC_HOST_PREFIX, WEBHOOKS_API_BASE } from './registration-routes.ts';
export type { Registration } from './registrations.ts';
export { INTERMEDIATE_PATH, LEAF_PATH, LEAF_SUBJECT } from './signing-chain.ts';
export { AVAILABLE_EVENTS, REFERRAL_EVENTS, TEST_EVENT } from './webhook-events.ts';
export {
  createWebhooksEmulator,
  DEFAULT_RETRY_DELAYS_MS,
  type WebhooksOptions,
  type WebhooksState,
} from './webhooks-emulator.ts';
export { DEFAULT_KNOBS, type WebhooksKnobs } from './webhooks-knobs.ts';
