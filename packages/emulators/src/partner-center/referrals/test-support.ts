/**
 * A loopback https world for this folder's tests: one fastify server hosting the referrals emulator
 * (and its control routes) with a generated CA, a controllable clock, token minting, and a small
 * client that trusts the CA.
 */
import fastify, { type FastifyInstance } from 'fastify';
import { Agent, request } from 'undici';
import { DEV_CREDENTIALS, PARTNER_CENTER_AUDIENCES } from '../../credentials.ts';
import { type AccessTokenClaims, createAccessTokens } from '../../shared/access-tokens.ts';
import type { EmulatedService, EmulatorContext } from '../../shared/emulated-service.ts';
import { listenOnLoopback } from '../../shared/listen.ts';
import { createRandom } from '../../shared/random.ts';
import { createTlsMaterial } from '../../shared/tls.ts';
import { createTraffic, type Traffic } from '../../shared/traffic.ts';
import { createReferralsEmulator, type ReferralsOptions } from './create-referrals-emulator.ts';
import type { ReferralsState } from './referrals-state.ts';

export const REFERRALS_PATH = '/partner-center/v1.0/engagements/referrals';
const START = Date.parse('2026-05-04T09:00:00.000Z');

export type ApiResponse = { status: number; headers: Record<string, string>; body: unknown };

export type CallOptions = {
  body?: unknown;
  headers?: Record<string, string>;
  /** `null` sends no Authorization header; default is a valid MFA user token. */
  token?: string | null;
};

export type ReferralsWorld = {
  origin: string;
  state: ReferralsState;
  traffic: Traffic;
  clock: { now(): number; advance(ms: number): void };
  /** A delegated token for the dev user with MFA, unless claims are overridden (`undefined` removes one). */
  token(overrides?: Partial<Record<keyof AccessTokenClaims, unknown>>): Promise<string>;
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** GET an absolute URL such as `@odata.nextLink`. */
  follow(url: string): Promise<ApiResponse>;
  close(): Promise<void>;
};

export async function startReferralsWorld(
  options: ReferralsOptions & { seed?: string } = {},
): Promise<ReferralsWorld> {
  let nowMs = START;
  const clock = {
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
  const random = createRandom(options.seed ?? 'referrals-test');
  const traffic = createTraffic({ random: random.fork('traffic') });
  const tokens = await createAccessTokens({ now: clock.now });
  const tls = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
  let origin = '';
  const ctx: EmulatorContext = { traffic, tokens, random, now: clock.now, origin: () => origin };
  const service: EmulatedService<ReferralsState> = createReferralsEmulator(ctx, options);
  const app: FastifyInstance = fastify({ https: { key: tls.keyPem, cert: tls.certPem } });
  await app.register(service.routes, { prefix: service.prefix });
  if (service.control) await app.register(service.control, { prefix: `/control/${service.name}` });
  origin = await listenOnLoopback(app, { https: true });
  const agent = new Agent({ connect: { ca: tls.caPem } });

  const token: ReferralsWorld['token'] = async (overrides = {}) => {
    const seconds = Math.floor(clock.now() / 1000);
    const claims: Record<string, unknown> = {
      aud: PARTNER_CENTER_AUDIENCES.referrals,
      iss: `https://sts.windows.net/${DEV_CREDENTIALS.tenant}/`,
      tid: DEV_CREDENTIALS.tenant,
      oid: '5e7f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      sub: 'user-subject',
      appid: DEV_CREDENTIALS.clientId,
      ver: '1.0',
      scp: 'user_impersonation',
      upn: DEV_CREDENTIALS.username,
      amr: ['pwd', 'mfa'],
      idtyp: 'user',
      iat: seconds,
      nbf: seconds,
      exp: seconds + 3600,
      ...overrides,
    };
    for (const [key, value] of Object.entries(claims)) if (value === undefined) delete claims[key];
    return tokens.sign(claims as AccessTokenClaims);
  };

  const send = async (method: string, url: string, callOptions: CallOptions = {}): Promise<ApiResponse> => {
    const bearer = callOptions.token === undefined ? await token() : callOptions.token;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      ...(callOptions.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...callOptions.headers,
    };
    const response = await request(url, {
      method: method as 'GET',
      headers,
      dispatcher: agent,
      ...(callOptions.body === undefined
        ? {}
        : {
            body: typeof callOptions.body === 'string' ? callOptions.body : JSON.stringify(callOptions.body),
          }),
    });
    const text = await response.body.text();
    const responseHeaders = Object.fromEntries(
      Object.entries(response.headers).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(', ') : String(value),
      ]),
    );
    return {
      status: response.statusCode,
      headers: responseHeaders,
      body: text ? JSON.parse(text) : undefined,
    };
  };

  return {
    origin,
    state: service.state,
    traffic,
    clock,
    token,
    call: (method, path, callOptions) => send(method, `${origin}${path}`, callOptions),
    follow: (url) => send('GET', url),
    close: async () => {
      await app.close();
      await agent.close();
    },
  };
}

/** A minimal valid create body, as a partner would POST it. */
export function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Fabrikam - Copilot rollout',
    type: 'Independent',
    qualification: 'SalesQualified',
    customerProfile: {
      name: 'Fabrikam Inc.',
      size: '51to250employees',
      address: {
        addressLine1: '1 Main Street',
        city: 'Seattle',
        state: 'WA',
        postalCode: '98101',
        country: 'US',
      },
      team: [
        { firstName: 'Ana', lastName: 'Diaz', email: 'ana.diaz@fabrikam.example', phoneNumber: '+15550102' },
      ],
    },
    consent: {
      consentToToShareInfoWithOthers: true,
      consentToContact: true,
      consentToShareReferralWithMicrosoftSellers: false,
    },
    details: {
      notes: 'Wants Copilot for 300 seats.',
      dealValue: 90000,
      currency: 'USD',
      closingDateTime: '2026-09-30T00:00:00Z',
    },
    team: [{ firstName: 'Sam', lastName: 'Lee', email: 'sam.lee@contoso-partner.example' }],
    ...overrides,
  };
}

/** Narrows a JSON body for property access in assertions. */
export function json(response: ApiResponse): Record<string, unknown> & { value?: Record<string, unknown>[] } {
  return response.body as Record<string, unknown> & { value?: Record<string, unknown>[] };
}
