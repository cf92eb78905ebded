import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { toReferralKey } from '../core/domain.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { createHttpApp, type HttpAppOptions } from './create-http-app.ts';

const backend = createSqliteBackend({ path: join(mkdtempSync(join(tmpdir(), 'rc-http-')), 'db.sqlite') });

// Stands in for the verified ingress: records what reached it.
const reached: string[] = [];
const ingress: FastifyPluginAsync = async (app) => {
  app.post('/webhooks/partner-center', async (request) => {
    reached.push('webhook');
    return { ok: true, ip: request.ip };
  });
};

async function appWith(accepting: boolean, options: Pick<HttpAppOptions, 'trustProxy'> = {}) {
  return createHttpApp({
    logger: createLogger({ level: 'silent' }),
    ingress,
    metrics: createMetrics(),
    queue: backend.queue,
    isAccepting: () => accepting,
    ...options,
  });
}

describe('the connector HTTP server', () => {
  it('answers 503 with Retry-After to webhooks while shutting down, so Partner Center retries', async () => {
    const app = await appWith(false);
    const response = await app.inject({ method: 'POST', url: '/webhooks/partner-center', payload: '{}' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toEqual({ reason: 'shutting_down' });
    expect(reached).toEqual([]);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    await app.close();
  });

  it('is ready and live while accepting, and reports queue depth', async () => {
    const app = await appWith(true);
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    await backend.queue.enqueue(toReferralKey('ref-1'), { reason: 'webhook' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', jobs: { pending: 1 } });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('referral_connector_jobs{state="pending"} 1');
    await app.close();
  });

  it.each([
    ['by default, whoever asks', {}, '127.0.0.1'],
    ['with trustProxy: false', { trustProxy: false }, '127.0.0.1'],
    ['from a proxy not on the trusted list', { trustProxy: ['10.0.0.0/8'] }, '127.0.0.1'],
    ['from a trusted proxy address', { trustProxy: ['127.0.0.1'] }, '198.51.100.9'],
    ['every hop back from a trusted CIDR', { trustProxy: ['127.0.0.0/8', '198.51.100.0/24'] }, '203.0.113.7'],
    ['every hop back with trustProxy: true', { trustProxy: true }, '203.0.113.7'],
  ])('believes X-Forwarded-For %s', async (_case, options: Pick<HttpAppOptions, 'trustProxy'>, ip) => {
    const app = await appWith(true, options);
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/partner-center',
      payload: {},
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.7, 198.51.100.9' },
    });
    expect(response.json()).toMatchObject({ ip });
    await app.close();
  });

  it('renders an unknown route with a stable code', async () => {
    const app = await appWith(true);
    const missing = await app.inject({ url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 'not_found' });
    await app.close();
  });

  it("builds a request's logger only when the request logs, and it still carries the request id", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    // Every pino logger, fastify's per-plugin ones included, builds children through the prototype.
    let children = 0;
    const prototype = Object.getPrototypeOf(logger) as { child: (...args: unknown[]) => unknown };
    const child = prototype.child;
    prototype.child = function (this: unknown, ...args: unknown[]) {
      children += 1;
      return child.apply(this, args);
    };
    onTestFinished(() => {
      prototype.child = child;
    });
    const app = await createHttpApp({
      logger,
      ingress: async (instance) => {
        instance.post('/webhooks/partner-center', async (request) => {
          if (request.headers['x-log'] === 'yes') request.log.warn({ password: 'hunter2' }, 'logged');
          return { ok: true };
        });
      },
      metrics: createMetrics(),
      queue: backend.queue,
      isAccepting: () => true,
    });

    await app.ready();
    const atStart = children;
    const quiet = await app.inject({ method: 'POST', url: '/webhooks/partner-center', payload: {} });
    expect(quiet.statusCode).toBe(200);
    expect(children - atStart).toBe(0);
    const logging = await app.inject({
      method: 'POST',
      url: '/webhooks/partner-center',
      payload: {},
      headers: { 'x-log': 'yes' },
    });
    expect(logging.statusCode).toBe(200);
    expect(children - atStart).toBe(1);
    const logged = JSON.parse(lines.at(-1) ?? '{}');
    expect(logged).toMatchObject({ msg: 'logged', reqId: expect.any(String), password: '[redacted]' });
    await app.close();
  });
});
