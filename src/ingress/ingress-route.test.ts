import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenOnLoopback } from '@referral-connector/emulators';
import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import type { CertificateSource } from './certificate-source.ts';
import { createIngressCounters, type IngressCounters, totalRejected } from './ingress-counters.ts';
import { createIngressRoutes } from './ingress-route.ts';
import type { RejectionReason } from './rejection-reasons.ts';
import {
  type CallbackParts,
  callbackHeaders,
  createFakeInbox,
  createSigningWorld,
  createWorldCertificateSource,
  genuineCallback,
  notificationBody,
  REFERRAL_ID,
  type SigningWorld,
  signBody,
} from './test-support.ts';

const PATH = '/webhooks/partner-center';

let world: SigningWorld;
let source: CertificateSource;
let inbox: ReturnType<typeof createFakeInbox>;
let counters: IngressCounters;
let app: FastifyInstance;
const logged: string[] = [];

beforeAll(async () => {
  world = await createSigningWorld();
  source = createWorldCertificateSource(world, { negativeTtlMs: 0 });
  world.serve('/cert/redirect.cer', { status: 302, headers: { location: world.urls.leaf }, body: '' });
  world.serve('/cert/huge.cer', { body: Buffer.alloc(100 * 1024, 0x41) });
  world.serve('/cert/garbage.cer', { body: Buffer.from('this is not a certificate at all') });
  world.serve('/cert/broken-der.cer', {
    body: Buffer.concat([Buffer.from([0x30, 0x82]), Buffer.alloc(40, 7)]),
  });
  world.serve('/cert/failing.cer', { status: 500, body: 'storage unavailable' });
});

afterAll(async () => {
  await source.close();
  await world.close();
});

beforeEach(async () => {
  inbox = createFakeInbox();
  counters = createIngressCounters();
  logged.length = 0;
  const record = (fields: object, message: string) => logged.push(`${message} ${JSON.stringify(fields)}`);
  app = Fastify();
  await app.register(
    createIngressRoutes({
      verifier: { lookupCertificate: source.lookup, now: Date.now },
      inbox,
      counters,
      logger: { debug: record, warn: record, error: record },
    }),
  );
  return () => app.close();
});

function post(parts: CallbackParts, headers: Record<string, string | string[]> = callbackHeaders(parts)) {
  return app.inject({ method: 'POST', url: PATH, headers, payload: parts.body });
}

function signed(body: Buffer | string): CallbackParts {
  return genuineCallback(world, Buffer.from(body));
}

function withCertificateUrl(certificateUrl: string): CallbackParts {
  return { ...genuineCallback(world), certificateUrl };
}

describe('an accepted callback', () => {
  it('answers 200 only after the inbox row and the sync job are recorded', async () => {
    const response = await post(genuineCallback(world));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: true, kind: 'sync' });
    expect(inbox.jobs).toEqual([REFERRAL_ID]);
    expect(inbox.rows).toEqual([
      expect.objectContaining({
        eventName: 'referral-updated',
        kind: 'sync',
        referralId: REFERRAL_ID,
        rawBody: genuineCallback(world).body.toString('utf8'),
      }),
    ]);
    expect(counters.accepted.sync).toBe(1);
  });

  it('keeps diagnostic headers in the inbox but never the signature', async () => {
    await post(genuineCallback(world));
    const headers = inbox.rows[0]?.headers ?? {};
    expect(headers).toMatchObject({
      'x-ms-certificate-url': world.urls.leaf,
      'x-ms-signature-algorithm': 'rsa-sha256',
    });
    expect(Object.keys(headers)).not.toContain('authorization');
    expect(Object.keys(headers)).not.toContain('x-ms-signature');
  });

  it.each(['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'])(
    'enqueues a sync for %s',
    async (eventName) => {
      const response = await post(signed(notificationBody({ EventName: eventName })));
      expect(response.statusCode).toBe(200);
      expect(inbox.jobs).toEqual([REFERRAL_ID]);
    },
  );

  it('syncs the id from the REST API form of ResourceUri', async () => {
    const id = '9d1c7e2a-4b3f-4f6e-8a1d-2c3b4a5d6e7f';
    const body = notificationBody({
      ResourceUri: `https://api.partner.microsoft.com/v1.0/engagements/referrals/${id}`,
    });
    await post(signed(body));
    expect(inbox.jobs).toEqual([id]);
  });

  it('commits one job in the store for callbacks naming one referral in two spellings', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ingress-store-'));
    const backend = createSqliteBackend({ path: join(directory, 'connector.db') });
    const storeApp = Fastify();
    try {
      await storeApp.register(
        createIngressRoutes({
          verifier: { lookupCertificate: source.lookup, now: Date.now },
          inbox: backend.store,
          logger: { debug: () => {}, warn: () => {}, error: () => {} },
        }),
      );
      for (const id of ['Ref_42-A', 'ref_42-a', 'REF_42-A']) {
        const parts = signed(
          notificationBody({
            ResourceUri: `https://api.partner.microsoft.com/v1.0/engagements/referrals/${id}`,
          }),
        );
        const response = await storeApp.inject({
          method: 'POST',
          url: PATH,
          headers: callbackHeaders(parts),
          payload: parts.body,
        });
        expect(response.statusCode).toBe(200);
      }

      expect(await backend.store.status()).toMatchObject({ inbox: { total: 3 }, jobs: { pending: 1 } });
      expect(await backend.queue.claim({ workerId: 'w', leaseMs: 1000 })).toMatchObject({
        referralId: 'ref_42-a',
      });
    } finally {
      await storeApp.close();
      await backend.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('records a test event without syncing anything', async () => {
    const body = notificationBody({
      EventName: 'test-created',
      ResourceUri: 'https://api.partnercenter.microsoft.com/webhooks/v1/registration/validationEvents/abc',
      ResourceName: 'test',
    });
    const response = await post(signed(body));
    expect(response.json()).toEqual({ accepted: true, kind: 'test' });
    expect(inbox.rows.map((row) => [row.kind, row.referralId])).toEqual([['test', null]]);
    expect(inbox.jobs).toEqual([]);
  });

  it('records an unknown event without syncing anything', async () => {
    const response = await post(signed(notificationBody({ EventName: 'subscription-updated' })));
    expect(response.json()).toEqual({ accepted: true, kind: 'ignored' });
    expect(inbox.rows.map((row) => [row.eventName, row.kind])).toEqual([['subscription-updated', 'ignored']]);
    expect(inbox.jobs).toEqual([]);
  });

  it('answers 503 with Retry-After, not 200, when the store cannot commit', async () => {
    inbox.setUnavailable(true);
    const response = await post(genuineCallback(world));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('10');
    expect(response.json()).toEqual({ reason: 'store_unavailable' });
    expect(inbox.rows).toEqual([]);
    expect(counters.rejected.store_unavailable).toBe(1);
  });

  it('answers 500, not 503, when recording fails for a reason that is our bug', async () => {
    const app500 = Fastify();
    await app500.register(
      createIngressRoutes({
        verifier: { lookupCertificate: source.lookup, now: Date.now },
        inbox: {
          recordInbox: async () => {
            throw Object.assign(new Error('UNIQUE constraint failed'), { code: 'ERR_SQLITE_ERROR' });
          },
        },
        counters,
        logger: { debug: () => {}, warn: () => {}, error: () => {} },
      }),
    );
    const parts = genuineCallback(world);
    const response = await app500.inject({
      method: 'POST',
      url: PATH,
      headers: callbackHeaders(parts),
      payload: parts.body,
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ reason: 'internal_error' });
    await app500.close();
  });
});

type Case = {
  name: string;
  send: () => Promise<{ statusCode: number; json: () => unknown }>;
  status: number;
  reason: RejectionReason;
};

const genuineHeaders = () => callbackHeaders(genuineCallback(world));

const battery: Case[] = [
  {
    name: 'a body that is not JSON',
    send: () => post(signed('{"EventName": referral')),
    status: 400,
    reason: 'body_not_json',
  },
  {
    name: 'a body that is not UTF-8',
    send: () => post(signed(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))),
    status: 400,
    reason: 'body_not_json',
  },
  { name: 'a JSON array', send: () => post(signed('[]')), status: 422, reason: 'payload_invalid' },
  {
    name: 'a payload without EventName',
    send: () => post(signed('{"ResourceUri":"https://x/referrals/1"}')),
    status: 422,
    reason: 'payload_invalid',
  },
  {
    name: 'an event name with odd characters',
    send: () => post(signed(notificationBody({ EventName: 'referral-updated; drop table' }))),
    status: 422,
    reason: 'payload_invalid',
  },
  {
    name: 'a huge body',
    send: () => post(signed(notificationBody({ Padding: 'x'.repeat(64 * 1024) }))),
    status: 413,
    reason: 'body_too_large',
  },
  {
    name: 'a wrong content type',
    send: () => post({ ...genuineCallback(world), contentType: 'text/plain' }),
    status: 415,
    reason: 'content_type_unsupported',
  },
  {
    name: 'no content type',
    send: () => {
      const { 'content-type': _, ...headers } = genuineHeaders();
      return post(genuineCallback(world), headers);
    },
    status: 415,
    reason: 'content_type_unsupported',
  },
  {
    name: 'no signature',
    send: () => {
      const { authorization: _, ...headers } = genuineHeaders();
      return post(genuineCallback(world), headers);
    },
    status: 401,
    reason: 'signature_missing',
  },
  {
    name: 'a signature that is not base64',
    send: () => post({ ...genuineCallback(world), signature: 'not*base64!' }),
    status: 401,
    reason: 'signature_malformed',
  },
  {
    name: 'no certificate URL',
    send: () => {
      const { 'x-ms-certificate-url': _, ...headers } = genuineHeaders();
      return post(genuineCallback(world), headers);
    },
    status: 400,
    reason: 'certificate_url_missing',
  },
  {
    name: 'no algorithm',
    send: () => {
      const { 'x-ms-signature-algorithm': _, ...headers } = genuineHeaders();
      return post(genuineCallback(world), headers);
    },
    status: 400,
    reason: 'algorithm_missing',
  },
  {
    name: 'a duplicated x-ms-signature header',
    send: () => {
      const parts = { ...genuineCallback(world), mode: 'x-ms-signature' as const };
      return post(parts, { ...callbackHeaders(parts), 'x-ms-signature': [parts.signature, parts.signature] });
    },
    status: 400,
    reason: 'header_duplicated',
  },
  {
    name: 'a duplicated Authorization header',
    send: () => {
      const parts = genuineCallback(world);
      return post(parts, {
        ...callbackHeaders(parts),
        authorization: [`Signature ${parts.signature}`, 'Basic eDp5'],
      });
    },
    status: 400,
    reason: 'header_duplicated',
  },
  {
    name: 'a duplicated certificate URL',
    send: () =>
      post(genuineCallback(world), {
        ...genuineHeaders(),
        'x-ms-certificate-url': [world.urls.leaf, world.urls.foreignLeaf],
      }),
    status: 400,
    reason: 'header_duplicated',
  },
  {
    name: 'two different signatures in Authorization and x-ms-signature',
    send: () =>
      post(genuineCallback(world), {
        ...genuineHeaders(),
        'x-ms-signature': signBody('other', world.leaf.keyPem),
      }),
    status: 400,
    reason: 'signature_ambiguous',
  },
  {
    name: 'the signature of another body',
    send: () =>
      post({
        ...genuineCallback(world),
        signature: signBody(notificationBody({ EventName: 'referral-created' }), world.leaf.keyPem),
      }),
    status: 401,
    reason: 'signature_invalid',
  },
  {
    name: 'a certificate URL that redirects',
    send: () => post(withCertificateUrl(`${world.origin}/cert/redirect.cer`)),
    status: 403,
    reason: 'certificate_redirected',
  },
  {
    name: 'a certificate URL with an IP literal',
    send: () => post(withCertificateUrl(`https://127.0.0.1:${world.port}/cert/leaf.cer`)),
    status: 403,
    reason: 'certificate_url_ip_literal',
  },
  {
    name: 'a certificate URL with an IPv6 literal',
    send: () => post(withCertificateUrl(`https://[::1]:${world.port}/cert/leaf.cer`)),
    status: 403,
    reason: 'certificate_url_ip_literal',
  },
  {
    name: 'a certificate URL with userinfo',
    send: () => post(withCertificateUrl(`https://user:secret@localhost:${world.port}/cert/leaf.cer`)),
    status: 403,
    reason: 'certificate_url_userinfo',
  },
  {
    name: 'a plain-http certificate URL',
    send: () => post(withCertificateUrl(`http://localhost:${world.port}/cert/leaf.cer`)),
    status: 403,
    reason: 'certificate_url_not_https',
  },
  {
    name: 'a certificate URL on an unknown host',
    send: () =>
      post(withCertificateUrl('https://3psostorageacct.blob.core.windows.net.evil.example/cert/x.cer')),
    status: 403,
    reason: 'certificate_host_not_allowed',
  },
  {
    name: 'a certificate URL with a query string',
    send: () => post(withCertificateUrl(`${world.urls.leaf}?1`)),
    status: 403,
    reason: 'certificate_url_query',
  },
  {
    name: 'a certificate URL with a fragment',
    send: () => post(withCertificateUrl(`${world.urls.leaf}#1`)),
    status: 403,
    reason: 'certificate_url_query',
  },
  {
    name: 'a certificate URL outside /cert/',
    send: () => post(withCertificateUrl(`${world.origin}${world.intermediatePath}`)),
    status: 403,
    reason: 'certificate_url_path',
  },
  {
    name: 'a certificate URL on a port the allow-list does not name',
    send: () => post(withCertificateUrl('https://localhost:1/cert/leaf.cer')),
    status: 403,
    reason: 'certificate_url_port',
  },
  {
    name: 'a certificate URL that is not a URL',
    send: () => post(withCertificateUrl('not a url')),
    status: 400,
    reason: 'certificate_url_invalid',
  },
  {
    name: 'an oversized certificate',
    send: () => post(withCertificateUrl(`${world.origin}/cert/huge.cer`)),
    status: 401,
    reason: 'certificate_too_large',
  },
  {
    name: 'a certificate URL serving non-X.509 bytes',
    send: () => post(withCertificateUrl(`${world.origin}/cert/garbage.cer`)),
    status: 401,
    reason: 'certificate_malformed',
  },
  {
    name: 'a certificate URL serving broken DER',
    send: () => post(withCertificateUrl(`${world.origin}/cert/broken-der.cer`)),
    status: 401,
    reason: 'certificate_malformed',
  },
  {
    name: 'a certificate URL that does not exist',
    send: () => post(withCertificateUrl(`${world.origin}/cert/missing.cer`)),
    status: 401,
    reason: 'certificate_not_found',
  },
  {
    name: 'a certificate host failing with 500',
    send: () => post(withCertificateUrl(`${world.origin}/cert/failing.cer`)),
    status: 503,
    reason: 'certificate_fetch_failed',
  },
  {
    name: 'a ResourceUri that is not a referral',
    send: () =>
      post(
        signed(
          notificationBody({ ResourceUri: 'https://api.partnercenter.microsoft.com/v1/customers/4f1d2c3b' }),
        ),
      ),
    status: 422,
    reason: 'resource_uri_invalid',
  },
  {
    name: 'a ResourceUri with an encoded path traversal as the id',
    send: () =>
      post(
        signed(
          notificationBody({
            ResourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/..%2F..%2Fadmin',
          }),
        ),
      ),
    status: 422,
    reason: 'resource_uri_invalid',
  },
  {
    name: 'a ResourceUri with a dot-segment path traversal',
    send: () =>
      post(
        signed(
          notificationBody({
            ResourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/../../admin',
          }),
        ),
      ),
    status: 422,
    reason: 'resource_uri_invalid',
  },
  {
    name: 'a ResourceUri that is not a URI',
    send: () => post(signed(notificationBody({ ResourceUri: 'referrals/3f2a9c1e' }))),
    status: 422,
    reason: 'resource_uri_invalid',
  },
  {
    name: 'an unsupported algorithm (rsa-sha1)',
    send: () => post({ ...genuineCallback(world), algorithm: 'rsa-sha1' }),
    status: 401,
    reason: 'algorithm_unsupported',
  },
  {
    name: 'a bearer token instead of a signature',
    send: () => post(genuineCallback(world), { ...genuineHeaders(), authorization: 'Bearer eyJhbGciOi' }),
    status: 401,
    reason: 'signature_scheme',
  },
  {
    name: 'a well-formed signature of the right length made by another key',
    send: () => post({ ...genuineCallback(world), signature: Buffer.alloc(256, 1).toString('base64') }),
    status: 401,
    reason: 'signature_invalid',
  },
  {
    name: 'an empty body',
    send: () => post(signed('')),
    status: 400,
    reason: 'body_not_json',
  },
  {
    name: 'a JSON null',
    send: () => post(signed('null')),
    status: 422,
    reason: 'payload_invalid',
  },
  {
    name: 'an event name that is a number',
    send: () => post(signed(notificationBody({ EventName: 42 }))),
    status: 422,
    reason: 'payload_invalid',
  },
  {
    name: 'a payload without ResourceUri',
    send: () => post(signed('{"EventName":"referral-created","ResourceName":"referral"}')),
    status: 422,
    reason: 'payload_invalid',
  },
  {
    name: 'the same key twice in two casings',
    send: () =>
      post(
        signed(
          `{"EventName":"referral-created","eventname":"referral-updated","ResourceUri":"https://api.partner.microsoft.com/v1.0/engagements/referrals/3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10"}`,
        ),
      ),
    status: 422,
    reason: 'payload_invalid',
  },
  {
    name: 'a ResourceUri with a non-http scheme',
    send: () =>
      post(
        signed(
          notificationBody({
            ResourceUri: 'ftp://api.partner.microsoft.com/v1.0/engagements/referrals/3f2a',
          }),
        ),
      ),
    status: 422,
    reason: 'resource_uri_invalid',
  },
  {
    name: 'a ResourceUri whose id holds unsafe characters',
    send: () =>
      post(
        signed(
          notificationBody({
            ResourceUri: 'https://api.partner.microsoft.com/v1.0/engagements/referrals/a%20b;c',
          }),
        ),
      ),
    status: 422,
    reason: 'resource_uri_invalid',
  },
];

describe('a malformed or unauthenticated request', () => {
  it('is tried in at least 40 ways', () => {
    expect(battery.length).toBeGreaterThanOrEqual(40);
  });

  it.each(battery)('$name gets $status $reason and reaches nothing', async ({ send, status, reason }) => {
    const response = await send();
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status, body: { reason } });
    expect(inbox.rows).toEqual([]);
    expect(inbox.jobs).toEqual([]);
    expect(counters.rejected[reason]).toBe(1);
    expect(totalRejected(counters)).toBe(1);
  });

  it('is logged with its reason and without the signature', async () => {
    const parts = { ...genuineCallback(world), algorithm: 'rsa-sha512' };
    await post(parts);
    expect(logged).toEqual([expect.stringContaining('"reason":"algorithm_unsupported"')]);
    expect(logged.join('\n')).not.toContain(parts.signature);
    expect(logged.join('\n')).not.toContain('Signature ');
  });

  it('tells Partner Center to retry when the certificate host fails', async () => {
    const response = await post(withCertificateUrl(`${world.origin}/cert/failing.cer`));
    expect(response.headers['retry-after']).toBe('10');
  });
});

describe('a flood of made-up certificate URLs', () => {
  it('gets 503 with Retry-After once the download budget is spent, downloading and queueing nothing', async () => {
    let now = 1_000_000;
    const budgeted = createWorldCertificateSource(world, {
      missesPerWindow: 1,
      missWindowMs: 60_000,
      now: () => now,
    });
    const floodCounters = createIngressCounters();
    const floodApp = Fastify();
    await floodApp.register(
      createIngressRoutes({
        verifier: { lookupCertificate: budgeted.lookup, now: Date.now },
        inbox,
        counters: floodCounters,
        logger: { debug: () => {}, warn: () => {}, error: () => {} },
      }),
    );
    const send = (certificateUrl: string) => {
      const parts = withCertificateUrl(certificateUrl);
      return floodApp.inject({
        method: 'POST',
        url: PATH,
        headers: callbackHeaders(parts),
        payload: parts.body,
      });
    };
    try {
      const first = await send(`${world.origin}/cert/made-up-1.cer`);
      expect(first.json()).toEqual({ reason: 'certificate_not_found' });

      now += 15_000;
      const second = await send(`${world.origin}/cert/made-up-2.cer`);
      expect(second.statusCode).toBe(503);
      expect(second.headers['retry-after']).toBe('45');
      expect(second.json()).toEqual({ reason: 'certificate_download_budget' });
      expect(world.hits('/cert/made-up-2.cer')).toBe(0);
      expect(floodCounters.rejected.certificate_download_budget).toBe(1);
      expect(inbox.rows).toEqual([]);
      expect(inbox.jobs).toEqual([]);
    } finally {
      await floodApp.close();
      await budgeted.close();
    }
  });
});

describe('over real HTTP', () => {
  let origin: string;
  let server: FastifyInstance;

  beforeAll(async () => {
    server = Fastify();
    await server.register(
      createIngressRoutes({
        verifier: { lookupCertificate: source.lookup, now: Date.now },
        inbox: { recordInbox: (entry) => inbox.recordInbox(entry) },
      }),
    );
    origin = await listenOnLoopback(server, { https: false });
  });

  afterAll(() => server.close());

  it('accepts a genuine callback sent with odd-cased header names and values', async () => {
    const parts = { ...genuineCallback(world), mode: 'x-ms-signature' as const };
    const response = await request(`${origin}${PATH}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'Application/JSON; charset=utf-8',
        'X-MS-SIGNATURE': `signature ${parts.signature}`,
        'X-Ms-Certificate-Url': parts.certificateUrl,
        'X-MS-Signature-Algorithm': 'RSA-SHA256',
      },
      body: parts.body,
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ accepted: true, kind: 'sync' });
    expect(inbox.jobs).toEqual([REFERRAL_ID]);
  });

  it('rejects a body larger than the limit announced by Content-Length before reading it', async () => {
    const parts = signed(notificationBody({ Padding: 'x'.repeat(80 * 1024) }));
    const response = await request(`${origin}${PATH}`, {
      method: 'POST',
      headers: callbackHeaders(parts),
      body: parts.body,
    });
    expect(response.statusCode).toBe(413);
    expect(await response.body.json()).toEqual({ reason: 'body_too_large' });
    expect(inbox.rows).toEqual([]);
  });

  it('rejects a duplicated Authorization header that node:http would silently drop', async () => {
    const parts = genuineCallback(world);
    const headers = callbackHeaders(parts);
    const response = await request(`${origin}${PATH}`, {
      method: 'POST',
      headers: [
        'content-type',
        'application/json',
        'authorization',
        'Basic ZXZpbDp4',
        'authorization',
        headers.authorization ?? '',
        'x-ms-certificate-url',
        parts.certificateUrl,
        'x-ms-signature-algorithm',
        parts.algorithm,
      ],
      body: parts.body,
    });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toEqual({ reason: 'header_duplicated' });
  });
});
