/**
 * The load generator, in a process of its own: POSTs pre-signed webhook requests over keep-alive
 * connections, either for a fixed time after a warm-up (saturation: every connection always has a
 * request in flight) or each request once. Latency is measured per request from send to last body byte.
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import type { SignedRequest } from './support/bench-signer.ts';
import type { FromLoad, LoadPlan, LoadResult, ToLoad } from './support/load-protocol.ts';
import { percentile } from './support/stats.ts';

const send = (message: FromLoad, then: () => void = () => {}) => process.send?.(message, then);

async function run(plan: LoadPlan): Promise<LoadResult> {
  const requests = JSON.parse(readFileSync(plan.requestsFile, 'utf8')) as SignedRequest[];
  const bodies = requests.map((r) => Buffer.from(r.body, 'utf8'));
  send({ type: 'loaded' });
  const target = new URL(plan.url);
  const pool = new Pool(target.origin, { connections: plan.connections, pipelining: 1 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  let measuring = plan.mode.kind === 'once';
  let stopped = false;
  let measureStart = performance.now();
  let firstSentAt = 0;
  let lastDoneAt = 0;

  async function connection(): Promise<void> {
    while (!stopped) {
      const index = next++;
      if (plan.mode.kind === 'once' && index >= requests.length) return;
      const request = requests[index % requests.length];
      const body = bodies[index % bodies.length];
      if (!request || !body) return;
      const started = performance.now();
      if (firstSentAt === 0) firstSentAt = Date.now();
      let status: string;
      try {
        const response = await pool.request({
          path: target.pathname,
          method: 'POST',
          headers: request.headers,
          body,
        });
        await response.body.dump();
        status = String(response.statusCode);
      } catch {
        errors += 1;
        status = 'error';
      }
      lastDoneAt = Date.now();
      if (measuring && started >= measureStart) {
        latencies.push(performance.now() - started);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }
  }

  const connections = Array.from({ length: plan.connections }, () => connection());
  if (plan.mode.kind === 'saturate') {
    const { warmupMs, durationMs } = plan.mode;
    await new Promise((resolve) => setTimeout(resolve, warmupMs));
    measureStart = performance.now();
    measuring = true;
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    measuring = false;
    stopped = true;
  }
  await Promise.all(connections);
  const elapsedMs = plan.mode.kind === 'saturate' ? plan.mode.durationMs : performance.now() - measureStart;
  await pool.close();
  const completed = latencies.length;
  return {
    completed,
    ok: statuses['200'] ?? 0,
    statuses,
    errors,
    elapsedMs,
    perSecond: (completed / elapsedMs) * 1000,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    },
    firstSentAt,
    lastDoneAt,
  };
}

process.once('message', (raw) => {
  const message = raw as ToLoad;
  if (message.type !== 'run') return;
  run(message.plan).then(
    (result) => send({ type: 'result', result }, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
});
