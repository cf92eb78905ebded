/**
 * A loopback https world for this folder's tests: one fastify server hosting the Dataverse emulator and
 * its control routes with a generated CA, a controllable clock, app-only token minting as Entra does it
 * for client credentials, and a plain HTTP client that sends what the Web API docs show — nothing of
 * the emulator's own code is used to build requests or read answers.
 */
import fastify, { type FastifyInstance } from 'fastify';
import { Agent, request } from 'undici';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type AccessTokenClaims, createAccessTokens } from '../shared/access-tokens.ts';
import type { EmulatorContext } from '../shared/emulated-service.ts';
import { listenOnLoopback } from '../shared/listen.ts';
import { createRandom } from '../shared/random.ts';
import { createTlsMaterial } from '../shared/tls.ts';
import { createTraffic, type Traffic } from '../shared/traffic.ts';
import { createDataverseEmulator, type DataverseOptions, type DataverseState } from './dataverse-emulator.ts';

const START = Date.parse('2026-05-04T09:00:00.000Z');

export type HttpAnswer = {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON when it is JSON. */
  json: Record<string, unknown> & {
    value?: Array<Record<string, unknown>>;
    error?: { code: string; message: string };
  };
};

export type CallOptions = {
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** `null` sends no Authorization header; default: a valid app-only token of the dev app. */
  token?: string | null;
};

export type DataverseWorld = {
  origin: string;
  /** e.g. https://localhost:1234/dataverse — the token audience. */
  organizationUrl: string;
  /** e.g. https://localhost:1234/dataverse/api/data/v9.2 */
  webApi: string;
  state: DataverseState;
  traffic: Traffic;
  clock: { now(): number; advance(ms: number): void };
  token(overrides?: Partial<Record<keyof AccessTokenClaims, unknown>>): Promise<string>;
  /** A request to a path under the Web API root (`leads(…)`), or to an absolute URL. */
  call(method: string, pathOrUrl: string, options?: CallOptions): Promise<HttpAnswer>;
  /** A request to the control API (`/control/dataverse/...`). */
  control(method: string, path: string, body?: unknown): Promise<HttpAnswer>;
  close(): Promise<void>;
};

export async function startDataverseWorld(
  options: DataverseOptions & { seed?: string } = {},
): Promise<DataverseWorld> {
  let nowMs = START;
  const clock = {
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
  const random = createRandom(options.seed ?? 'dataverse-test');
  const traffic = createTraffic({ random: random.fork('traffic') });
  const tokens = await createAccessTokens({ now: clock.now });
  const tls = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
  let origin = '';
  const ctx: EmulatorContext = { traffic, tokens, random, now: clock.now, origin: () => origin };
  const service = createDataverseEmulator(ctx, options);
  const app: FastifyInstance = fastify({ https: { key: tls.keyPem, cert: tls.certPem } });
  await app.register(service.routes, { prefix: service.prefix });
  if (service.control) await app.register(service.control, { prefix: `/control/${service.name}` });
  origin = await listenOnLoopback(app, { https: true });
  const agent = new Agent({ connect: { ca: tls.caPem } });
  const organizationUrl = `${origin}/dataverse`;
  const webApi = `${organizationUrl}/api/data/v9.2`;

  const token: DataverseWorld['token'] = async (overrides = {}) => {
    const seconds = Math.floor(clock.now() / 1000);
    const claims: Record<string, unknown> = {
      aud: organizationUrl,
      iss: `https://sts.windows.net/${DEV_CREDENTIALS.tenant}/`,
      tid: DEV_CREDENTIALS.tenant,
      oid: '7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d',
      sub: '7d1c2b3a-4e5f-4a6b-9c8d-0e1f2a3b4c5d',
      appid: DEV_CREDENTIALS.clientId,
      ver: '1.0',
      idtyp: 'app',
      iat: seconds,
      nbf: seconds,
      exp: seconds + 3600,
      ...overrides,
    };
    for (const [key, value] of Object.entries(claims)) if (value === undefined) delete claims[key];
    return tokens.sign(claims as AccessTokenClaims);
  };

  const send = async (method: string, url: string, callOptions: CallOptions = {}): Promise<HttpAnswer> => {
    const bearer = callOptions.token === undefined ? await token() : callOptions.token;
    const hasBody = callOptions.body !== undefined;
    // The headers every Web API request carries, per "Compose HTTP requests and handle errors".
    const headers: Record<string, string> = {
      accept: 'application/json',
      'odata-maxversion': '4.0',
      'odata-version': '4.0',
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      // Header names are case-insensitive: a caller's `Content-Type` replaces the default one.
      ...Object.fromEntries(
        Object.entries(callOptions.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      ),
    };
    const response = await request(url, {
      method: method as 'GET',
      headers,
      dispatcher: agent,
      ...(hasBody
        ? { body: typeof callOptions.body === 'string' ? callOptions.body : JSON.stringify(callOptions.body) }
        : {}),
    });
    const text = await response.body.text();
    const responseHeaders = Object.fromEntries(
      Object.entries(response.headers).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(', ') : String(value),
      ]),
    );
    let json: HttpAnswer['json'] = {};
    if ((responseHeaders['content-type'] ?? '').startsWith('application/json') && text)
      json = JSON.parse(text);
    return { status: response.statusCode, headers: responseHeaders, text, json };
  };

  return {
    origin,
    organizationUrl,
    webApi,
    state: service.state,
    traffic,
    clock,
    token,
    call: (method, pathOrUrl, callOptions) =>
      send(method, /^https?:/.test(pathOrUrl) ? pathOrUrl : `${webApi}/${pathOrUrl}`, callOptions),
    control: (method, path, body) =>
      send(method, `${origin}/control/dataverse${path}`, {
        token: null,
        ...(body === undefined ? {} : { body }),
      }),
    close: async () => {
      await app.close();
      await agent.close();
    },
  };
}

/** The GUID inside an `OData-EntityId` such as `…/leads(6b1f…)`, as the docs tell clients to parse it. */
export function idFromEntityId(entityId: string | undefined): string {
  const match = /\(([0-9a-f-]{36})\)$/i.exec(entityId ?? '');
  if (!match?.[1]) throw new Error(`no GUID in OData-EntityId "${entityId}"`);
  return match[1];
}
