/**
 * The load balancer in front of several connector instances. Partner Center delivers every event of a
 * tenant to one registered URL; behind it, this forwards each request, raw body and headers unchanged, to
 * the next instance in turn and returns that instance's answer, so the signature the instance checks is
 * over the exact bytes Partner Center signed.
 *
 * Like a load balancer with health checks, it skips an instance that refuses the connection (killed,
 * restarting) and tries the next; when none accepts, it answers 503, and when an instance dies after the
 * request was sent, 502 — as a real balancer does for a POST, which it never sends twice. Partner Center
 * retries both.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

export type RoundRobinForwarder = {
  /** `http://127.0.0.1:<port>`: register `<url>/webhooks/partner-center`. */
  readonly url: string;
  /** The instances' base URLs, in turn order; may change while serving (an instance on a new port). */
  setUpstreams(urls: readonly string[]): void;
  /** Requests each upstream answered, by upstream index. */
  answered(): number[];
  /** Requests no upstream answered: 503 (none accepted the connection) and 502 (one died mid-request). */
  unanswered(): { noUpstream: number; upstreamFailed: number };
  close(): Promise<void>;
};

// Hop-by-hop headers end at the balancer; the length is set again for the forwarded body.
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
  'upgrade',
]);

export async function startRoundRobinForwarder(
  options: { upstreams?: readonly string[]; port?: number } = {},
): Promise<RoundRobinForwarder> {
  let upstreams = [...(options.upstreams ?? [])];
  let answered = upstreams.map(() => 0);
  const unanswered = { noUpstream: 0, upstreamFailed: 0 };
  let next = 0;
  const agent = new Agent({ connections: 64 });

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      void forward(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers, body).then((answer) => {
        outgoing.writeHead(answer.status, answer.headers);
        outgoing.end(answer.body);
      });
    });
  });

  async function forward(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer | string }> {
    const targets = upstreams;
    const start = next++;
    for (let offset = 0; offset < targets.length; offset++) {
      const index = (start + offset) % targets.length;
      const target = targets[index] as string;
      try {
        const response = await request(`${target}${path}`, {
          method: method as 'POST',
          headers: forwardedHeaders(headers),
          ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
          dispatcher: agent,
        });
        const answer = Buffer.from(await response.body.arrayBuffer());
        if (targets === upstreams) answered[index] = (answered[index] ?? 0) + 1;
        return { status: response.statusCode, headers: forwardedHeaders(response.headers), body: answer };
      } catch (error) {
        // Refused: nothing reached that instance, so the next may take the request.
        if (connectionRefused(error)) continue;
        unanswered.upstreamFailed += 1;
        return { status: 502, headers: { 'content-type': 'text/plain' }, body: 'upstream failed\n' };
      }
    }
    unanswered.noUpstream += 1;
    return { status: 503, headers: { 'content-type': 'text/plain' }, body: 'no instance available\n' };
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setUpstreams(urls) {
      upstreams = [...urls];
      answered = upstreams.map((_, index) => answered[index] ?? 0);
    },
    answered: () => [...answered],
    unanswered: () => ({ ...unanswered }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}

function forwardedHeaders(
  headers: IncomingHttpHeaders | Record<string, unknown>,
): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name.toLowerCase())) continue;
    kept[name] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return kept;
}

function connectionRefused(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as NodeJS.ErrnoException).code === 'ECONNREFUSED') return true;
  }
  return false;
}
