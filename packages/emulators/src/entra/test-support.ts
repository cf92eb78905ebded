/**
 * Test fixture: the Entra emulator alone on an https loopback server with a throw-away CA, a clock
 * tests can move, an undici Agent that trusts the CA, and an MSAL network client over that Agent.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import fastify from 'fastify';
import type { JWK } from 'jose';
import { Agent, fetch, request } from 'undici';
import { createAccessTokens } from '../shared/access-tokens.ts';
import type { EmulatorContext } from '../shared/emulated-service.ts';
import { listenOnLoopback } from '../shared/listen.ts';
import { createRandom } from '../shared/random.ts';
import { createTlsMaterial } from '../shared/tls.ts';
import { createTraffic } from '../shared/traffic.ts';
import { createEntraEmulator } from './entra-emulator.ts';
import type { EntraOptions, EntraState } from './entra-state.ts';

export type TestClock = { now: () => number; advance(ms: number): void };

export type EntraFixture = {
  origin: string;
  caPem: string;
  agent: Agent;
  state: EntraState;
  ctx: EmulatorContext;
  clock: TestClock;
  /** POSTs a form and parses the JSON answer. */
  postForm(
    path: string,
    form: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<JsonResponse>;
  getJson(path: string): Promise<JsonResponse>;
  /** JSON request to the control API (`/control/entra` + path). */
  control(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<JsonResponse<ControlBody>>;
  close(): Promise<void>;
};

export type JsonResponse<Body = WireBody> = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Body;
};

/** What tests read from Entra's answers (token, device code, error, discovery); unchecked JSON. */
export type WireBody = {
  [key: string]: unknown;
  access_token: string;
  refresh_token: string;
  id_token: string;
  client_info: string;
  user_code: string;
  device_code: string;
  expires_on: string;
  not_before: string;
  error: string;
  error_codes: number[];
  error_description: string;
  trace_id: string;
  timestamp: string;
  keys: JWK[];
};

/** What tests read from the control API. */
export type ControlBody = {
  [key: string]: unknown;
  error: { code: string; message: string };
  revoked: number;
  tokenLifetimeSeconds: number;
};

/** A clock that follows real time until a test moves it forward. */
export function createTestClock(): TestClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}

export async function startEntra(options: EntraOptions = {}): Promise<EntraFixture> {
  const clock = createTestClock();
  const random = createRandom('entra-tests');
  let origin = '';
  const ctx: EmulatorContext = {
    traffic: createTraffic({ random: random.fork('faults') }),
    tokens: await createAccessTokens({ now: clock.now }),
    random,
    now: clock.now,
    origin: () => origin,
  };
  const tls = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
  const service = createEntraEmulator(ctx, options);
  const app = fastify({ https: { key: tls.keyPem, cert: tls.certPem }, logger: false });
  await app.register(service.routes, { prefix: service.prefix });
  if (service.control) await app.register(service.control, { prefix: `/control/${service.name}` });
  origin = await listenOnLoopback(app, { https: true });
  const agent = new Agent({ connect: { ca: tls.caPem } });

  const send = async <Body>(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse<Body>> => {
    const response = await request(`${origin}${path}`, {
      method: method as 'GET',
      dispatcher: agent,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      headers: response.headers,
      body:
        text.length > 0 && /json/.test(String(response.headers['content-type'])) ? JSON.parse(text) : text,
    };
  };

  return {
    origin,
    caPem: tls.caPem,
    agent,
    state: service.state,
    ctx,
    clock,
    postForm: (path, form, headers = {}) =>
      send<WireBody>('POST', path, new URLSearchParams(form).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      }),
    getJson: (path) => send<WireBody>('GET', path),
    control: (method, path, body) =>
      send<ControlBody>(
        method,
        `/control/entra${path}`,
        body === undefined ? undefined : JSON.stringify(body),
        body === undefined ? {} : { 'content-type': 'application/json' },
      ),
    async close() {
      await app.close();
      await agent.close();
    },
  };
}

/**
 * An MSAL network client that trusts the emulators' CA through an undici Agent, so msal-node talks
 * https to the emulator without any process-wide TLS change. The connector's own client does the same.
 */
export function createMsalNetworkClient(agent: Agent): INetworkModule {
  const send = async <T>(
    url: string,
    method: 'GET' | 'POST',
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const response = await fetch(url, {
      method,
      dispatcher: agent,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { headers, body: (await response.json()) as T, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}

/** Decodes a JWT payload without checking it (tests check signatures through ctx.tokens). */
export function jwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function jwtHeader(token: string): Record<string, unknown> {
  const header = token.split('.')[0] ?? '';
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
}
