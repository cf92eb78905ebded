/**
 * The emulated world for this folder's tests: every emulator on one https server (as `emulate` starts
 * them) with a controllable clock, a plain HTTP client that sends what HubSpot's API reference shows,
 * and the official `@hubspot/api-client` configured against the emulator — nothing of the emulator's
 * own code builds requests or reads answers.
 */
import { Agent as HttpsAgent } from 'node:https';
import { Client } from '@hubspot/api-client';
import { Agent, request } from 'undici';
import { type EmulatorWorld, startEmulators } from '../world.ts';
import type { HubSpotOptions } from './hubspot-emulator.ts';

const START = Date.parse('2026-05-04T09:00:00.000Z');

export type HttpAnswer = {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: Record<string, unknown> & {
    results?: Array<Record<string, unknown>>;
    errors?: Array<Record<string, unknown>>;
  };
};

export type CallOptions = {
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  /** `null` sends no Authorization header; default: the development token. */
  token?: string | null;
};

export type HubSpotWorld = {
  world: EmulatorWorld;
  /** `https://localhost:PORT/hubspot` */
  base: string;
  token: string;
  clock: { now(): number; advance(ms: number): void };
  /** A request to a path under the base URL (`/crm/v3/objects/contacts`). */
  call(method: string, path: string, options?: CallOptions): Promise<HttpAnswer>;
  /** A request to `/control/hubspot…`. */
  control(method: string, path: string, body?: unknown): Promise<HttpAnswer>;
  /** The official client against the emulator; retries off unless asked for. */
  client(options?: { accessToken?: string; numberOfApiCallRetries?: number }): Client;
  close(): Promise<void>;
};

export async function startHubSpotWorld(
  options: HubSpotOptions & { seed?: string } = {},
): Promise<HubSpotWorld> {
  let nowMs = START;
  const clock = {
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
  const { seed, ...hubspot } = options;
  const world = await startEmulators({ seed: seed ?? 'hubspot-test', now: clock.now, hubspot });
  const ca = world.tlsCaPem ?? '';
  const agent = new Agent({ connect: { ca } });
  const httpsAgent = new HttpsAgent({ ca, keepAlive: true });
  const base = world.urls.hubspot;

  const send = async (method: string, url: string, callOptions: CallOptions = {}): Promise<HttpAnswer> => {
    const bearer = callOptions.token === undefined ? world.hubspot.accessToken : callOptions.token;
    const hasBody = callOptions.body !== undefined;
    const response = await request(url, {
      method: method as 'GET',
      headers: {
        accept: 'application/json',
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
      },
      dispatcher: agent,
      ...(hasBody
        ? { body: typeof callOptions.body === 'string' ? callOptions.body : JSON.stringify(callOptions.body) }
        : {}),
    });
    const text = await response.body.text();
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(', ') : String(value),
      ]),
    );
    const json =
      (headers['content-type'] ?? '').startsWith('application/json') && text ? JSON.parse(text) : {};
    return { status: response.statusCode, headers, text, json };
  };

  return {
    world,
    base,
    token: world.hubspot.accessToken,
    clock,
    call: (method, path, callOptions) => send(method, `${base}${path}`, callOptions),
    control: (method, path, body) =>
      send(method, `${world.urls.control}/hubspot${path}`, {
        token: null,
        ...(body === undefined ? {} : { body }),
      }),
    client: (clientOptions = {}) =>
      new Client({
        accessToken: clientOptions.accessToken ?? world.hubspot.accessToken,
        basePath: base,
        httpAgent: httpsAgent,
        numberOfApiCallRetries: clientOptions.numberOfApiCallRetries ?? 0,
      }),
    close: async () => {
      await world.close();
      await agent.close();
      httpsAgent.destroy();
    },
  };
}

/** A contact to associate leads with; returns its id. */
export async function createContact(hub: HubSpotWorld, email: string): Promise<string> {
  const answer = await hub.call('POST', '/crm/v3/objects/contacts', {
    body: { properties: { email, firstname: 'Ada', lastname: 'Lovelace' } },
  });
  if (answer.status !== 201) throw new Error(`contact not created: ${answer.status} ${answer.text}`);
  return String(answer.json.id);
}

/** The `associations` of a lead create that attach it to its primary contact (type 578). */
export function primaryContact(contactId: string) {
  return [
    {
      to: { id: contactId },
      types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 578 }],
    },
  ];
}
