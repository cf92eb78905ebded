/**
 * Scenario 1 — ingress at saturation. Signed webhooks (distinct referral ids, verified signature,
 * inbox row + job committed before the 200) against the connector with its workers off, and the same
 * requests against a bare `node:http` server, in the same run. Both servers and the load generator
 * are separate processes.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBenchWorld } from '../support/bench-world.ts';
import { startConnector } from '../support/connector-child.ts';
import { runLoad, startBareServer } from '../support/load-child.ts';
import type { LoadPlan, LoadResult } from '../support/load-protocol.ts';
import type { ScenarioContext } from '../support/scenario-context.ts';
import { median, round } from '../support/stats.ts';

export const INGRESS_CONNECTIONS = 32;

export type IngressRun = {
  bare: LoadResult;
  connector: LoadResult;
  ratio: number;
  connectorReadyMs: number;
};

export type IngressFigures = {
  ratioToBare: number | null;
  p99Ms: number | null;
  p50Ms: number | null;
  perSecond: number | null;
  barePerSecond: number | null;
  connections: number;
  /** Connector answers other than 200 over all runs (should be none). */
  rejected: number;
  runs: IngressRun[];
};

export async function runIngress(ctx: ScenarioContext): Promise<IngressFigures> {
  const distinct = ctx.quick ? 1_000 : 3_000;
  const timing = ctx.quick ? { warmupMs: 500, durationMs: 2_000 } : { warmupMs: 2_000, durationMs: 8_000 };
  const requestsFile = join(ctx.workDir, 'ingress-requests.json');
  const requests = Array.from({ length: distinct }, () =>
    ctx.signer.signReferralEvent(randomUUID(), 'referral-updated'),
  );
  writeFileSync(requestsFile, JSON.stringify(requests));

  const bench = await startBenchWorld({ seed: 'bench-ingress', signer: ctx.signer, workDir: ctx.workDir });
  const runs: IngressRun[] = [];
  try {
    for (let run = 1; run <= ctx.runs; run++) {
      const plan = (url: string): LoadPlan => ({
        url,
        requestsFile,
        connections: INGRESS_CONNECTIONS,
        mode: { kind: 'saturate', ...timing },
      });
      const bare = await startBareServer();
      const bareResult = await runLoad(plan(`${bare.url}/webhooks/partner-center`)).result;
      await bare.stop();

      const setup = bench.connectorSetup(`ingress-${run}`);
      const connector = await startConnector({
        module: ctx.connectorModule,
        overrides: setup.overrides,
        login: false,
        workers: false,
        registerWebhook: false,
        logFile: setup.logFile,
        ...(ctx.cpuProfileDir ? { cpuProfileDir: join(ctx.cpuProfileDir, 'ingress') } : {}),
      });
      const connectorResult = await runLoad(plan(`${connector.url}/webhooks/partner-center`)).result;
      ctx.recordConnector('ingress', await connector.stop());

      const ratio = connectorResult.perSecond / bareResult.perSecond;
      runs.push({ bare: bareResult, connector: connectorResult, ratio, connectorReadyMs: connector.readyMs });
      ctx.log(
        `ingress run ${run}: connector ${connectorResult.perSecond.toFixed(0)}/s ` +
          `(p99 ${connectorResult.latencyMs.p99?.toFixed(1)} ms, statuses ${JSON.stringify(connectorResult.statuses)}), ` +
          `bare ${bareResult.perSecond.toFixed(0)}/s, ratio ${ratio.toFixed(2)}`,
      );
    }
  } finally {
    await bench.close();
  }
  return {
    ratioToBare: round(median(runs.map((r) => r.ratio)), 3),
    p99Ms: round(median(runs.map((r) => r.connector.latencyMs.p99))),
    p50Ms: round(median(runs.map((r) => r.connector.latencyMs.p50))),
    perSecond: round(median(runs.map((r) => r.connector.perSecond)), 0),
    barePerSecond: round(median(runs.map((r) => r.bare.perSecond)), 0),
    connections: INGRESS_CONNECTIONS,
    rejected: runs.reduce((sum, r) => sum + r.connector.completed - r.connector.ok, 0),
    runs,
  };
}
