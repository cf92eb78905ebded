/**
 * Event names `GET /webhooks/v1/registration/events` lists. The referral and test events are the ones this
 * emulator raises; the rest are listed because the real service offers them and a registration may name them.
 */
export const REFERRAL_EVENTS = [
  'referral-created',
  'referral-updated',
  'related-referral-created',
  'related-referral-updated',
] as const;

export const TEST_EVENT = 'test-created';

export const AVAILABLE_EVENTS: readonly string[] = [
  TEST_EVENT,
  ...REFERRAL_EVENTS,
  'subscription-updated',
  'subscription-renewed',
  'invoice-ready',
  'azure-fraud-event-detected',
  'dap-admin-relationship-approved',
  'dap-admin-relationship-terminated',
  'granular-admin-relationship-approved',
  'granular-admin-access-assignment-activated',
  'reseller-relationship-accepted-by-customer',
  'indirect-reseller-relationship-accepted-by-customer',
  'create-transfer',
  'update-transfer',
];

const BY_LOWER_CASE = new Map(AVAILABLE_EVENTS.map((name) => [name.toLowerCase(), name]));

/** The canonical spelling of a known event name, matched case-insensitively; undefined if unknown. */
export function canonicalEventName(name: string): string | undefined {
  return BY_LOWER_CASE.get(name.trim().toLowerCase());
}
