import { createServer } from 'node:net';
import { createTlsMaterial, listenOnLoopback, type TlsMaterial } from '@referral-connector/emulators';
import fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient, TransportError } from './http-client.ts';

/** A loopback server with the behaviours the client must cope with; it reports what it saw. */
function buildServer(tls?: TlsMaterial) {
  const app = fastify({ logger: false, ...(tls ? { https: { key: tls.keyPem, cert: tls.certPem } } : {}) });
  const held = new Set<() => void>();
  const seen = { inFlight: 0, maxInFlight: 0 };
  const hold = () =>
    new Promise<void>((resolve) => {
      held.add(resolve);
    });

  app.get('/echo', async (request) => ({
    clientRequestId: request.headers['client-request-id'] ?? null,
    userAgent: request.headers['user-agent'] ?? null,
  }));
  app.get('/status/:code', async (request, reply) => {
    const { code } = request.params as { code: string };
    return reply
      .code(Number(code))
      .header('retry-after', '3')
      .send({ error: { code: 'x' } });
  });
  app.get('/bytes/:n', async (request, reply) => {
    const { n } = request.params as { n: string };
    return reply.type('application/octet-stream').send(Buffer.alloc(Number(n), 0x61));
  });
  app.get('/never-answers', async () => {
    await hold();
    return { late: true };
  });
  app.get('/stalls-mid-body', (_request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
    reply.raw.write('partial');
    void hold().then(() => reply.raw.end('x'.repeat(93)));
  });
  app.get('/slow', async () => {
    seen.inFlight += 1;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen.inFlight -= 1;
    return { ok: true };
  });
  return {
    app,
    seen,
    async close() {
      for (const release of held) release();
      await app.close();
    },
  };
}

let plain: ReturnType<typeof buildServer>;
let plainUrl: string;
let secure: ReturnType<typeof buildServer>;
let secureUrl: string;
let tls: TlsMaterial;
const clients: HttpClient[] = [];
const client = (options: Partial<Parameters<typeof createHttpClient>[0]> = {}) => {
  const created = createHttpClient({ remote: 'testremote', ...options });
  clients.push(created);
  return created;
};

beforeAll(async () => {
  tls = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  plain = buildServer();
  plainUrl = await listenOnLoopback(plain.app, { https: false });
  secure = buildServer(tls);
  secureUrl = await listenOnLoopback(secure.app, { https: true });
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await plain?.close();
  await secure?.close();
});

async function transportFailure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TransportError)) throw new Error(`expected a TransportError, got ${String(error)}`);
  return error;
}

describe('http client', () => {
  it('returns every HTTP status as data, with lower-case headers', async () => {
    const response = await client().send({ method: 'GET', url: `${plainUrl}/status/503` });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.json()).toEqual({ error: { code: 'x' } });
  });

  it('sends a client-request-id on every call and returns it', async () => {
    const http = client({ userAgent: 'connector-tests/1' });
    const first = await http.send({ method: 'GET', url: `${plainUrl}/echo` });
    const second = await http.send({ method: 'GET', url: `${plainUrl}/echo` });

    expect(first.json()).toEqual({ clientRequestId: first.requestId, userAgent: 'connector-tests/1' });
    expect(first.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.requestId).not.toBe(first.requestId);
  });

  it("keeps the caller's own client-request-id", async () => {
    const response = await client().send({
      method: 'GET',
      url: `${plainUrl}/echo`,
      headers: { 'client-request-id': 'caller-chosen-id' },
    });
    expect(response.requestId).toBe('caller-chosen-id');
    expect(response.json()).toMatchObject({ clientRequestId: 'caller-chosen-id' });
  });

  it('fails with timeout when no answer comes in time', async () => {
    const started = Date.now();
    const failure = await transportFailure(
      client({ timeoutMs: 5_000 }).send({ method: 'GET', url: `${plainUrl}/never-answers`, timeoutMs: 150 }),
    );
    expect(failure).toMatchObject({ code: 'timeout', remote: 'testremote' });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('fails with timeout when the body stops arriving', async () => {
    const failure = await transportFailure(
      client({ timeoutMs: 150 }).send({ method: 'GET', url: `${plainUrl}/stalls-mid-body` }),
    );
    expect(failure.code).toBe('timeout');
  });

  it('fails with connection when nothing listens', async () => {
    const port = await closedPort();
    const failure = await transportFailure(
      client().send({ method: 'GET', url: `http://127.0.0.1:${port}/` }),
    );
    expect(failure.code).toBe('connection');
    expect(failure.message).toContain('ECONNREFUSED');
  });

  it('fails with response_too_large past maxBodyBytes, and reads a body of exactly that size', async () => {
    const http = client();
    const failure = await transportFailure(
      http.send({ method: 'GET', url: `${plainUrl}/bytes/70000`, maxBodyBytes: 65_536 }),
    );
    expect(failure.code).toBe('response_too_large');

    const exact = await http.send({ method: 'GET', url: `${plainUrl}/bytes/65536`, maxBodyBytes: 65_536 });
    expect(exact.body.length).toBe(65_536);
    // The connection pool still works after a body was abandoned.
    expect((await http.send({ method: 'GET', url: `${plainUrl}/echo` })).status).toBe(200);
  });

  it('trusts an extra CA given as PEM', async () => {
    const response = await client({ extraCaPem: tls.caPem }).send({
      method: 'GET',
      url: `${secureUrl}/echo`,
    });
    expect(response.status).toBe(200);
  });

  it('refuses a server whose CA is not trusted, saying it is a trust problem', async () => {
    const failure = await transportFailure(client().send({ method: 'GET', url: `${secureUrl}/echo?q=1` }));
    expect(failure.code).toBe('tls');
    // Worded for a person: the URL (never its query), the verification code, and where trust is configured.
    expect(failure.message).toContain(`${secureUrl}/echo: localhost's certificate is signed by a CA`);
    expect(failure.message).toContain('(UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
    expect(failure.fix).toContain('`tls.extraCaFile`');
  });

  it('never has more requests in flight than its concurrency budget', async () => {
    const http = client({ budget: { concurrency: 2 } });
    plain.seen.maxInFlight = 0;
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => http.send({ method: 'GET', url: `${plainUrl}/slow` })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(plain.seen.maxInFlight).toBe(2);
  });
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
