/**
 * One webhook registration per partner tenant (`tid`), and the PascalCase views the API answers with.
 * Only one URL per event exists, so a PUT replaces the whole registration.
 */
import type { RegistrationInput } from './registration-body.ts';

export type Registration = RegistrationInput & {
  subscriberId: string;
  lastModifiedTimestamp: string;
};

export type Registrations = {
  get(tenantId: string): Registration | undefined;
  /** Stores a registration; keeps the subscriber id across replacements. */
  put(tenantId: string, input: RegistrationInput): Registration;
  all(): Record<string, Registration>;
};

export function createRegistrations(options: { newId: () => string; now: () => number }): Registrations {
  const byTenant = new Map<string, Registration>();
  return {
    get: (tenantId) => byTenant.get(tenantId),
    put(tenantId, input) {
      const registration: Registration = {
        ...input,
        webhookEvents: [...input.webhookEvents],
        subscriberId: byTenant.get(tenantId)?.subscriberId ?? options.newId(),
        lastModifiedTimestamp: new Date(options.now()).toISOString(),
      };
      byTenant.set(tenantId, registration);
      return registration;
    },
    all: () => structuredClone(Object.fromEntries(byTenant)),
  };
}

/** Body of POST/PUT responses, as in the doc example. */
export function registrationCreatedView(registration: Registration) {
  return {
    SubscriberId: registration.subscriberId,
    WebhookUrl: registration.webhookUrl,
    WebhookEvents: registration.webhookEvents,
  };
}

/** Body of GET: the doc example's two keys plus the model's optional ones. */
export function registrationView(registration: Registration) {
  return {
    SubscriberId: registration.subscriberId,
    WebhookUrl: registration.webhookUrl,
    WebhookEvents: registration.webhookEvents,
    SignatureTokenToMsSignatureHeader: registration.signatureTokenToMsSignatureHeader,
    LastModifiedTimestamp: registration.lastModifiedTimestamp,
  };
}
