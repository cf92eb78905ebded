/**
 * The connector's side of the emulated world for client tests: HTTP clients that trust the emulators'
 * CA, the development app registration, msal apps, token providers, and a signed-in Partner Center user
 * (device code, approved at once by the emulated tenant). Everything goes over https on loopback.
 */

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PublicClientApplication } from '@azure/msal-node';
import type { ServiceName } from '@referral-connector/emulators';
import {
  DEV_CREDENTIALS,
  type EmulatorWorld,
  type EmulatorWorldOptions,
  PARTNER_CENTER_AUDIENCES,
  startEmulators,
} from '@referral-connector/emulators';
import { loginWithDeviceCode } from '../../src/auth/device-code-login.ts';
import { type AppRegistration, createMsalApp, createMsalPublicApp } from '../../src/auth/msal-app.ts';
import { createSecretBox, type SecretBox } from '../../src/auth/secret-box.ts';
import { createTokenCachePlugin, type SecretStore } from '../../src/auth/token-cache-plugin.ts';
import {
  createAppTokenProvider,
  createDelegatedTokenProvider,
  type TokenProvider,
} from '../../src/auth/token-provider.ts';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/net/http-client.ts';

export const TOKEN_CACHE_NAME = 'msal-cache/partner-center';
export const TOKEN_ENDPOINT = 'POST /:tenant/oauth2/v2.0/token';
export const DEVICE_CODE_ENDPOINT = 'POST /:tenant/oauth2/v2.0/devicecode';
const DISCOVERY_ENDPOINT = 'GET /:tenant/v2.0/.well-known/openid-configuration';

export type ConnectorWorld = {
  world: EmulatorWorld;
  registration: AppRegistration;
  /** A client for one remote trusting the emulators' CA; closed with the world. */
  http(remote: string, options?: Omit<HttpClientOptions, 'remote' | 'extraCaPem'>): HttpClient;
  /** Client-credentials tokens of the development app. */
  appTokens(audience: string, now?: () => number): TokenProvider;
  /** A public-client app whose token cache lives in `store`, sealed by `box`. */
  publicApp(store?: SecretStore, box?: SecretBox): PublicClientApplication;
  /** Delegated tokens of the development user, signed in by device code on a fresh app. */
  signedInTokens(audience?: string): Promise<TokenProvider>;
  /** Requests the emulated Entra token endpoint has answered so far. */
  tokenRequests(): number;
  /**
   * Resolves once every request answered so far is in the traffic log: the emulators count a request
   * after its response is sent, so a marker request is made and waited for.
   */
  trafficSettled(): Promise<void>;
  close(): Promise<void>;
};

export async function startConnectorWorld(options: EmulatorWorldOptions = {}): Promise<ConnectorWorld> {
  const world = await startEmulators({
    seed: 'connector-tests',
    ...options,
    // The emulated tenant approves device codes at once, as the development user.
    entra: {
      deviceCodeAutoApprove: DEV_CREDENTIALS.username,
      deviceCodeIntervalSeconds: 0.05,
      ...options.entra,
    },
  });
  const clients: HttpClient[] = [];
  const http: ConnectorWorld['http'] = (remote, extra = {}) => {
    const client = createHttpClient({
      remote,
      ...(world.tlsCaPem ? { extraCaPem: world.tlsCaPem } : {}),
      ...extra,
    });
    clients.push(client);
    return client;
  };
  const registration: AppRegistration = {
    authorityHost: world.urls.entra,
    tenantId: world.credentials.tenant,
    clientId: world.credentials.clientId,
    clientSecret: world.credentials.clientSecret,
  };
  const entraHttp = http('entra');
  const publicApp: ConnectorWorld['publicApp'] = (
    store = createMemorySecretStore(),
    box = createSecretBox({ current: randomBytes(32) }),
  ) => createMsalPublicApp(registration, entraHttp, createTokenCachePlugin(store, box, TOKEN_CACHE_NAME));

  return {
    world,
    registration,
    http,
    appTokens: (audience, now) =>
      createAppTokenProvider(createMsalApp(registration, entraHttp), audience, now ? { now } : {}),
    publicApp,
    async signedInTokens(audience = PARTNER_CENTER_AUDIENCES.referrals) {
      const app = publicApp();
      await loginWithDeviceCode(app, audience, () => {});
      return createDelegatedTokenProvider(app, audience);
    },
    tokenRequests: () => world.traffic.counters().entra.byEndpoint[TOKEN_ENDPOINT]?.count ?? 0,
    async trafficSettled() {
      const markers = () => world.traffic.counters().entra.byEndpoint[DISCOVERY_ENDPOINT]?.count ?? 0;
      const before = markers();
      await entraHttp.send({
        method: 'GET',
        url: `${world.urls.entra}/${world.credentials.tenant}/v2.0/.well-known/openid-configuration`,
      });
      await waitFor(() => markers() > before, 'the marker request');
    },
    async close() {
      await Promise.allSettled(clients.map((client) => client.close()));
      await world.close();
    },
  };
}

/** A SecretStore in memory, for tests that do not look at persistence. */
export function createMemorySecretStore(): SecretStore {
  const values = new Map<string, Uint8Array>();
  return {
    getSecret: async (name) => values.get(name) ?? null,
    putSecret: async (name, value) => {
      values.set(name, value);
    },
  };
}

/** Polls until `condition` holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what = 'the condition',
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} was not reached within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/**
 * Answers of one emulated endpoint by status, once it has answered `count` requests. The emulators
 * count a request when its response has been sent, which can be just after the client has read it.
 */
export async function answeredStatuses(
  world: EmulatorWorld,
  service: ServiceName,
  endpoint: string,
  count: number,
): Promise<Record<string, number>> {
  const counter = () => world.traffic.counters()[service].byEndpoint[endpoint];
  await waitFor(() => (counter()?.count ?? 0) >= count, `${count} answers from ${endpoint}`);
  return counter()?.byStatus ?? {};
}
