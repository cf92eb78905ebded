/**
 * Test fixture: an https emulator world hosting only the webhooks service, a receiver that keeps the raw
 * bytes of what it is sent, and the receiver-side checks a connector makes (signature, chain, subject).
 */
import { verify, X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { Agent, request } from 'undici';
import { DEV_CREDENTIALS, PARTNER_CENTER_AUDIENCES } from '../../credentials.ts';
import { type AccessTokenClaims, createAccessTokens } from '../../shared/access-tokens.ts';
import type { EmulatorContext } from '../../shared/emulated-service.ts';
import { listenOnLoopback } from '../../shared/listen.ts';
import { createRandom } from '../../shared/random.ts';
import { createTlsMaterial, type TlsMaterial } from '../../shared/tls.ts';
import { createTraffic, type Traffic } from '../../shared/traffic.ts';
import { WEBHOOKS_API_BASE } from './registration-routes.ts';
import { createWebhooksEmulator, type WebhooksOptions, type WebhooksState } from './webhooks-emulator.ts';

export type ApiResponse = { status: number; headers: IncomingHttpHeaders; text: string; json: unknown };

export type WebhooksWorld = {
  origin: string;
  /** `${origin}/partner-center/webhooks/v1` */
  webhooksBase: string;
  tls: TlsMaterial;
  /** Trusts the world's CA. */
  agent: Agent;
  traffic: Traffic;
  state: WebhooksState;
  /** A classic Partner Center token: app-only for the dev tenant unless overridden. */
  token(overrides?: Partial<AccessTokenClaims>): Promise<string>;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    options?: {
      body?: unknown;
      rawBody?: string;
      authorization?: string | null;
      headers?: Record<string, string>;
    },
  ): Promise<ApiResponse>;
  close(): Promise<void>;
};

export async function startWebhooksWorld(options: WebhooksOptions = {}): Promise<WebhooksWorld> {
  const tls = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
  const random = createRandom('webhooks-tests');
  const traffic = createTraffic({ random: random.fork('traffic') });
  const tokens = await createAccessTokens();
  let origin: string | undefined;
  const ctx: EmulatorContext = {
    traffic,
    tokens,
    random,
    now: Date.now,
    origin: () => {
      if (!origin) throw new Error('the emulator world is not listening yet');
      return origin;
    },
  };
  // Created before listen, as the real host does: nothing may need the origin yet.
  const service = await createWebhooksEmulator(ctx, { trustCa: tls.caPem, ...options });
  const app = Fastify({ https: { key: tls.keyPem, cert: tls.certPem } });
  await app.register(service.routes, { prefix: service.prefix });
  if (service.control) await app.register(service.control, { prefix: `/control/${service.name}` });
  origin = await listenOnLoopback(app, { https: true });
  const agent = new Agent({ connect: { ca: tls.caPem } });
  const listening = origin;

  const token = (overrides: Partial<AccessTokenClaims> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return tokens.sign({
      aud: PARTNER_CENTER_AUDIENCES.webhooks,
      iss: `https://sts.windows.net/${DEV_CREDENTIALS.tenant}/`,
      tid: DEV_CREDENTIALS.tenant,
      oid: '11111111-2222-4333-8444-555555555555',
      sub: '11111111-2222-4333-8444-555555555555',
      appid: DEV_CREDENTIALS.clientId,
      ver: '1.0',
      roles: [],
      idtyp: 'app',
      iat: now,
      nbf: now,
      exp: now + 3600,
      ...overrides,
    });
  };

  return {
    origin: listening,
    webhooksBase: `${listening}${WEBHOOKS_API_BASE}`,
    tls,
    agent,
    traffic,
    state: service.state,
    token,
    async call(method, url, callOptions = {}) {
      const authorization =
        callOptions.authorization === undefined ? `Bearer ${await token()}` : callOptions.authorization;
      const headers: Record<string, string> = { ...callOptions.headers };
      if (authorization !== null) headers.authorization = authorization;
      let body: string | undefined = callOptions.rawBody;
      if (callOptions.body !== undefined) {
        body = JSON.stringify(callOptions.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await request(url, { method, headers, body, dispatcher: agent });
      const text = await response.body.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.statusCode, headers: response.headers, text, json };
    },
    async close() {
      await service.close?.();
      await app.close();
      await agent.close();
    },
  };
}

export type ReceivedNotification = { headers: IncomingHttpHeaders; body: Buffer };

export type Receiver = {
  url: string;
  received: ReceivedNotification[];
  close(): Promise<void>;
};

/**
 * A partner's webhook endpoint over https. `respond` picks the status for the n-th request (1-based);
 * 200 unless given.
 */
export async function startReceiver(
  tls: TlsMaterial,
  respond: (n: number) => number | Promise<number> = () => 200,
): Promise<Receiver> {
  const app: FastifyInstance = Fastify({ https: { key: tls.keyPem, cert: tls.certPem } });
  const received: ReceivedNotification[] = [];
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  app.post('/hooks/partner-center', async (request, reply) => {
    received.push({ headers: request.headers, body: request.body as Buffer });
    const status = await respond(received.length);
    return reply.code(status).send(status >= 300 ? `receiver says ${status}` : '');
  });
  const origin = await listenOnLoopback(app, { https: true });
  return { url: `${origin}/hooks/partner-center`, received, close: () => app.close() };
}

/** Polls a condition of the world's state; fails with `what` if it does not hold in time. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type VerifiedNotification = {
  signatureValid: boolean;
  leaf: X509Certificate;
  intermediate: X509Certificate;
  chainsToRoot: boolean;
  payload: Record<string, unknown>;
};

/**
 * What a careful receiver does: take the signature from either header (optional `Signature ` prefix),
 * download the leaf from `x-ms-certificate-url`, the intermediate from the leaf's AIA caIssuers URL, check
 * the chain up to the configured root, and verify the signature over the raw body bytes.
 */
export async function verifyAsReceiver(
  notification: ReceivedNotification,
  options: { rootPem: string; agent: Agent },
): Promise<VerifiedNotification> {
  const { headers, body } = notification;
  const raw = String(headers['x-ms-signature'] ?? headers.authorization ?? '');
  const signature = raw.replace(/^Signature\s+/i, '');
  const leaf = new X509Certificate(await download(String(headers['x-ms-certificate-url']), options.agent));
  const aia = /CA Issuers - URI:(\S+)/.exec(leaf.infoAccess ?? '')?.[1];
  if (!aia) throw new Error('the leaf has no AIA caIssuers URL');
  const intermediate = new X509Certificate(await download(aia, options.agent));
  const root = new X509Certificate(options.rootPem);
  const chainsToRoot =
    leaf.checkIssued(intermediate) &&
    leaf.verify(intermediate.publicKey) &&
    intermediate.checkIssued(root) &&
    intermediate.verify(root.publicKey) &&
    root.verify(root.publicKey);
  return {
    signatureValid: verify('sha256', body, leaf.publicKey, Buffer.from(signature, 'base64')),
    leaf,
    intermediate,
    chainsToRoot,
    payload: JSON.parse(body.toString('utf8')) as Record<string, unknown>,
  };
}

async function download(url: string, agent: Agent): Promise<Buffer> {
  const response = await request(url, { dispatcher: agent });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}`);
  return bytes;
}
