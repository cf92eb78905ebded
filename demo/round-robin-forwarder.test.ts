import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { type RoundRobinForwarder, startRoundRobinForwarder } from './round-robin-forwarder.ts';

type Seen = { method: string; url: string; headers: Record<string, unknown>; body: string };

const servers: Server[] = [];
let forwarder: RoundRobinForwarder | undefined;
afterEach(async () => {
  await forwarder?.close();
  forwarder = undefined;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An instance that records what reached it and answers with its name (or as `answer` says). */
async function upstream(
  name: string,
  answer?: (seen: Seen, response: import('node:http').ServerResponse) => void,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(entry);
      if (answer) return answer(entry, response);
      response.writeHead(200, { 'content-type': 'text/plain', 'x-instance': name });
      response.end(name);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${forwarder?.url}${path}`, { method: 'POST', body, headers });

describe('round-robin forwarder', () => {
  it('hands requests to the instances in turn, with the exact body and headers, and returns their answer', async () => {
    const [a, b, c] = [await upstream('a'), await upstream('b'), await upstream('c')];
    forwarder = await startRoundRobinForwarder({ upstreams: [a.url, b.url, c.url] });
    const body = '{"EventName":"referral-created","ResourceUri":"x"}';
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await post('/webhooks/partner-center?x=1', body, {
        authorization: 'Signature abc',
        'content-type': 'application/json',
      });
      expect(response.status).toBe(200);
      answers.push(`${response.headers.get('x-instance')}:${await response.text()}`);
    }

    expect(answers).toEqual(['a:a', 'b:b', 'c:c', 'a:a', 'b:b', 'c:c']);
    for (const instance of [a, b, c]) {
      expect(instance.seen).toHaveLength(2);
      expect(instance.seen[0]).toMatchObject({
        method: 'POST',
        url: '/webhooks/partner-center?x=1',
        body,
        headers: { authorization: 'Signature abc', 'content-type': 'application/json' },
      });
    }
    expect(forwarder.answered()).toEqual([2, 2, 2]);
  });

  it('passes an instance’s own refusal through unchanged', async () => {
    const busy = await upstream('busy', (_seen, response) => {
      response.writeHead(503, { 'retry-after': '1' });
      response.end('store unavailable');
    });
    forwarder = await startRoundRobinForwarder({ upstreams: [busy.url] });

    const response = await post('/webhooks/partner-center', '{}');

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.text()).toBe('store unavailable');
  });

  it('skips an instance that refuses connections and lets the next one answer', async () => {
    const live = await upstream('live');
    const dead = `http://127.0.0.1:${await freePort()}`;
    forwarder = await startRoundRobinForwarder({ upstreams: [dead, live.url] });

    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post('/webhooks/partner-center', `${i}`)).status);

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(live.seen.map((seen) => seen.body)).toEqual(['0', '1', '2', '3']);
    expect(forwarder.answered()).toEqual([0, 4]);
  });

  it('answers 503 when no instance accepts the connection', async () => {
    forwarder = await startRoundRobinForwarder({
      upstreams: [`http://127.0.0.1:${await freePort()}`, `http://127.0.0.1:${await freePort()}`],
    });

    const response = await post('/webhooks/partner-center', '{}');

    expect(response.status).toBe(503);
    expect(forwarder.unanswered()).toEqual({ noUpstream: 1, upstreamFailed: 0 });
  });

  it('answers 502 and sends the request nowhere else when an instance dies after receiving it', async () => {
    const dying = await upstream('dying', (_seen, response) => response.socket?.destroy());
    const other = await upstream('other');
    forwarder = await startRoundRobinForwarder({ upstreams: [dying.url, other.url] });

    const response = await post('/webhooks/partner-center', '{}');

    expect(response.status).toBe(502);
    expect(dying.seen).toHaveLength(1);
    expect(other.seen).toHaveLength(0);
    expect(forwarder.unanswered()).toEqual({ noUpstream: 0, upstreamFailed: 1 });
  });

  it('follows instances that come back on new addresses', async () => {
    const first = await upstream('first');
    forwarder = await startRoundRobinForwarder({ upstreams: [first.url] });
    const second = await upstream('second');

    forwarder.setUpstreams([second.url]);
    const response = await post('/webhooks/partner-center', '{}');

    expect(await response.text()).toBe('second');
  });
});
