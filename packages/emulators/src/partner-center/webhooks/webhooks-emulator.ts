/**
 * The emulated Partner Center webhooks: the registration API (`/partner-center/webhooks/v1/...`), the
 * certificate blob host (`/cert/...`, `/pki/...`) and the dispatcher that POSTs signed notifications to the
 * partner's registered URL. Routes use absolute paths (prefix ''), since the two hosts share nothing.
 */
import { DEV_CREDENTIALS } from '../../credentials.ts';
import type { EmulatedService, EmulatorContext } from '../../shared/emulated-service.ts';
import { certificateRoutes } from './certificate-routes.ts';
import { controlRoutes } from './control-routes.ts';
import type { DeliveryRecord } from './delivery-record.ts';
import { createNotificationDispatcher, type DispatchCounters } from './notification-dispatcher.ts';
import type { ReferralChange } from './notification-source.ts';
import { parseRegistrationBody } from './registration-body.ts';
import { registrationRoutes } from './registration-routes.ts';
import { createRegistrations, type Registration } from './registrations.ts';
import { createSigningChain } from './signing-chain.ts';
import { DEFAULT_KNOBS, type WebhooksKnobs } from './webhooks-knobs.ts';

export type WebhooksOptions = {
  /** The tenant whose registration referral notifications go to; the dev partner tenant by default. */
  partnerTenantId?: string;
  /** PEM of CA(s) to trust when POSTing to https receivers (e.g. the emulators' own CA). */
  trustCa?: string;
  /** Per attempt, connect to last body byte; 10 s by default. */
  attemptTimeoutMs?: number;
  /** Waits after failed attempts 1..9 (last entry repeats); default 2 s doubling to 256 s, then 300 s. */
  retryDelaysMs?: readonly number[];
  /** Notification requests in flight at once; 8 by default. */
  concurrency?: number;
  /** Longest a reordered event waits for the next one; 5 s by default. */
  reorderHoldMs?: number;
  knobs?: Partial<WebhooksKnobs>;
};

export type WebhooksState = {
  /** Called by the referrals emulator; returns at once, delivery happens in the background. */
  notify(change: ReferralChange): void;
  deliveries(): DeliveryRecord[];
  counters(): DispatchCounters;
  /** Resolves when no event is queued, in flight, waiting to retry or held back. */
  idle(): Promise<void>;
  /** Trust anchor of the signing chain, for the connector's configuration. */
  signingRootPem: string;
  /** By tenant id. */
  registrations(): Record<string, Registration>;
  /**
   * Registers as another integration would (Microsoft's co-sell connector, a second connector): the
   * tenant's one registration now sends its events to that URL. Body as the API's POST/PUT takes it.
   * Throws a TypeError saying what is wrong with the body.
   */
  registerAs(tenantId: string, body: unknown): Registration;
  knobs(): WebhooksKnobs;
  setKnobs(patch: Partial<WebhooksKnobs>): WebhooksKnobs;
  close(): Promise<void>;
};

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [
  2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000,
];

export async function createWebhooksEmulator(
  ctx: EmulatorContext,
  options: WebhooksOptions = {},
): Promise<EmulatedService<WebhooksState>> {
  const ids = ctx.random.fork('webhooks');
  const newId = () => ids.uuid();
  let knobs: WebhooksKnobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const chain = await createSigningChain();
  const registrations = createRegistrations({ newId, now: ctx.now });
  const dispatcher = createNotificationDispatcher({
    traffic: ctx.traffic,
    random: ctx.random.fork('webhooks-dispatcher-faults'),
    now: ctx.now,
    newId,
    registrations,
    partnerTenantId: options.partnerTenantId ?? DEV_CREDENTIALS.tenant,
    // Resolved at the first send: by then the world listens and its origin is known.
    signingLeaf: async () => {
      const origin = ctx.origin();
      if (!origin) throw new Error('cannot sign before the emulator world listens (no origin yet)');
      return chain.leaf(origin);
    },
    knobs: () => knobs,
    trustCa: options.trustCa,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 10_000,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    concurrency: options.concurrency ?? 8,
    reorderHoldMs: options.reorderHoldMs ?? 5_000,
  });

  const state: WebhooksState = {
    notify: (change) => dispatcher.notify(change),
    deliveries: () => dispatcher.deliveries(),
    counters: () => dispatcher.counters(),
    idle: () => dispatcher.idle(),
    signingRootPem: chain.rootPem,
    registrations: () => registrations.all(),
    registerAs(tenantId, body) {
      const parsed = parseRegistrationBody(body);
      if (!parsed.ok) throw new TypeError(parsed.description);
      return registrations.put(tenantId, parsed.value);
    },
    knobs: () => ({ ...knobs }),
    setKnobs(patch) {
      knobs = { ...knobs, ...patch };
      return { ...knobs };
    },
    close: () => dispatcher.close(),
  };

  const api = registrationRoutes({
    tokens: ctx.tokens,
    traffic: ctx.traffic,
    now: ctx.now,
    newId,
    registrations,
    dispatcher,
    knobs: () => knobs,
  });
  const certificates = certificateRoutes({
    traffic: ctx.traffic,
    chain,
    origin: ctx.origin,
    knobs: () => knobs,
  });

  return {
    name: 'webhooks',
    prefix: '',
    routes: async (app) => {
      await app.register(api);
      await app.register(certificates);
    },
    control: controlRoutes(state, ctx.now),
    state,
    close: () => dispatcher.close(),
  };
}
