/**
 * A loopback https world for this folder's tests: one fastify server hosting the Salesforce emulator and
 * its control routes with a generated CA (options as in world.ts), a controllable clock, and a plain
 * HTTP client that sends what the REST API docs show — sessions come from the real token endpoint, and
 * nothing of the emulator's own code builds requests or reads answers.
 */
import fastify, { type FastifyInstance } from 'fastify';
import { importPKCS8, SignJWT } from 'jose';
import { Agent, request } from 'undici';
import { DEV_SALESFORCE } from '../credentials.ts';
import { createAccessTokens } from '../shared/access-tokens.ts';
import type { EmulatorContext } from '../shared/emulated-service.ts';
import { listenOnLoopback } from '../shared/listen.ts';
import { createRandom } from '../shared/random.ts';
import { createTlsMaterial } from '../shared/tls.ts';
import { createTraffic, type Traffic } from '../shared/traffic.ts';
import {
  createSalesforceEmulator,
  type SalesforceOptions,
  type SalesforceState,
} from './salesforce-emulator.ts';

export const START = Date.parse('2026-05-04T09:00:00.000Z');
export const API = '/services/data/v62.0';

export type HttpAnswer = {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON when it is JSON (errors are arrays, records objects). */
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON of many shapes, read directly by assertions
  json: any;
};

export type CallOptions = {
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** `null` sends no Authorization header; default: a session from the client credentials flow. */
  token?: string | null;
};

export type SalesforceWorld = {
  origin: string;
  /** `https://localhost:PORT/salesforce`, the instance URL. */
  instanceUrl: string;
  loginUrl: string;
  tlsCaPem: string;
  agent: Agent;
  state: SalesforceState;
  traffic: Traffic;
  clock: { now(): number; advance(ms: number): void };
  /** A session of the Run As user, by client credentials (cached until `freshToken`). */
  token(): Promise<string>;
  freshToken(): Promise<string>;
  /** A form POST to a token endpoint (default: the My Domain one). */
  tokenRequest(params: Record<string, string>, url?: string): Promise<HttpAnswer>;
  /** A JWT bearer assertion signed with the development key, claims overridable. */
  assertion(claims?: Record<string, unknown>, privateKeyPem?: string): Promise<string>;
  /**
   * A REST call: a path relative to `/services/data/v62.0/` (`sobjects/Lead`), a path from the
   * instance root (`/services/data/…`, as Salesforce writes URLs), or an absolute URL.
   */
  call(method: string, path: string, options?: CallOptions): Promise<HttpAnswer>;
  control(method: string, path: string, body?: unknown): Promise<HttpAnswer>;
  close(): Promise<void>;
};

export async function startSalesforceWorld(
  options: SalesforceOptions & { seed?: string } = {},
): Promise<SalesforceWorld> {
  let nowMs = START;
  const clock = {
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
  const random = createRandom(options.seed ?? 'salesforce-test');
  const traffic = createTraffic({ random: random.fork('traffic') });
  const tls = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
  let origin = '';
  const ctx: EmulatorContext = {
    traffic,
    tokens: await createAccessTokens({ now: clock.now }),
    random,
    now: clock.now,
    origin: () => origin,
  };
  const service = createSalesforceEmulator(ctx, options);
  const app: FastifyInstance = fastify({
    https: { key: tls.keyPem, cert: tls.certPem },
    bodyLimit: 8 * 1024 * 1024,
    routerOptions: { maxParamLength: 2000 },
  });
  await app.register(service.routes, { prefix: service.prefix });
  if (service.control) await app.register(service.control, { prefix: `/control/${service.name}` });
  origin = await listenOnLoopback(app, { https: true });
  const agent = new Agent({ connect: { ca: tls.caPem } });
  const instanceUrl = `${origin}/salesforce`;
  const loginUrl = `${origin}/salesforce-login`;

  const send = async (
    method: string,
    url: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<HttpAnswer> => {
    const response = await request(url, {
      method: method as 'GET',
      headers,
      dispatcher: agent,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.body.text();
    const responseHeaders = Object.fromEntries(
      Object.entries(response.headers).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(', ') : String(value),
      ]),
    );
    const json =
      (responseHeaders['content-type'] ?? '').startsWith('application/json') && text ? JSON.parse(text) : {};
    return { status: response.statusCode, headers: responseHeaders, text, json };
  };

  const tokenRequest: SalesforceWorld['tokenRequest'] = (
    params,
    url = `${instanceUrl}/services/oauth2/token`,
  ) =>
    send('POST', url, new URLSearchParams(params).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });

  let cached: string | undefined;
  const freshToken = async () => {
    const answer = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: DEV_SALESFORCE.clientId,
      client_secret: DEV_SALESFORCE.clientSecret,
    });
    if (answer.status !== 200) throw new Error(`token request failed: ${answer.status} ${answer.text}`);
    cached = answer.json.access_token as string;
    return cached;
  };

  return {
    origin,
    instanceUrl,
    loginUrl,
    tlsCaPem: tls.caPem,
    agent,
    state: service.state,
    traffic,
    clock,
    token: async () => cached ?? freshToken(),
    freshToken,
    tokenRequest,
    async assertion(claims = {}, privateKeyPem = DEV_SALESFORCE.jwtPrivateKeyPem) {
      const key = await importPKCS8(privateKeyPem, 'RS256');
      const payload: Record<string, unknown> = {
        iss: DEV_SALESFORCE.clientId,
        sub: DEV_SALESFORCE.username,
        aud: 'https://login.salesforce.com',
        exp: Math.floor(clock.now() / 1000) + 120,
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).sign(key);
    },
    async call(method, path, callOptions = {}) {
      const url = /^https?:/.test(path)
        ? path
        : path.startsWith('/')
          ? `${instanceUrl}${path}`
          : `${instanceUrl}${API}/${path}`;
      const bearer = callOptions.token === undefined ? (cached ?? (await freshToken())) : callOptions.token;
      const hasBody = callOptions.body !== undefined;
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...Object.fromEntries(
          Object.entries(callOptions.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
        ),
      };
      const body = hasBody
        ? typeof callOptions.body === 'string'
          ? callOptions.body
          : JSON.stringify(callOptions.body)
        : undefined;
      return send(method, url, body, headers);
    },
    control: (method, path, body) =>
      send(
        method,
        `${origin}/control/salesforce${path}`,
        body === undefined ? undefined : JSON.stringify(body),
        body === undefined ? {} : { 'content-type': 'application/json' },
      ),
    async close() {
      await app.close();
      await agent.close();
    },
  };
}

/** A query URL path as clients build it: `query?q=` with the SOQL URL-encoded. */
export function soql(text: string): string {
  return `query?q=${encodeURIComponent(text)}`;
}
