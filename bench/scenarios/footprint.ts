/**
 * Scenario 5 — footprint: start-up to ready (fork → listening with workers started, on a data dir that
 * is already signed in, as after `auth login`), and RSS after 3 s idle. Peak RSS during scenarios 1–4
 * is the runner's high-water mark over their connector processes (`maxRSS`). The TypeScript sources
 * (type stripping, as run inside this repository) are measured too when the compiled build is primary.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { startBenchWorld } from '../support/bench-world.ts';
import { connectorModule } from '../support/connector-build.ts';
import { startConnector } from '../support/connector-child.ts';
import type { ScenarioContext } from '../support/scenario-context.ts';
import { MB, median, round } from '../support/stats.ts';

export const IDLE_WAIT_MS = 3_000;

export type FootprintRun = { readyMs: number; idleRssMb: number; idleHeapUsedMb: number; readyz: number };

export type StartupFigures = { readyMs: number | null; idleRssMb: number | null; runs: FootprintRun[] };

export type FootprintFigures = StartupFigures & {
  /** The same from the TypeScript sources through Node's type stripping. */
  fromSource: StartupFigures | null;
};

export async function runFootprint(ctx: ScenarioContext, measureSource: boolean): Promise<FootprintFigures> {
  const bench = await startBenchWorld({ seed: 'bench-footprint', signer: ctx.signer, workDir: ctx.workDir });
  try {
    const setup = bench.connectorSetup('footprint');
    const base = { overrides: setup.overrides, registerWebhook: false, logFile: setup.logFile };
    const first = await startConnector({ ...base, module: ctx.connectorModule, login: true, workers: true });
    await first.stop();

    const measure = async (module: string, label: string): Promise<StartupFigures> => {
      const runs: FootprintRun[] = [];
      for (let run = 1; run <= ctx.runs; run++) {
        const connector = await startConnector({ ...base, module, login: false, workers: true });
        const readyz = (await request(`${connector.url}/readyz`)).statusCode;
        await sleep(IDLE_WAIT_MS);
        const idle = await connector.stats();
        await connector.stop();
        runs.push({
          readyMs: round(connector.readyMs, 0) ?? 0,
          idleRssMb: round(idle.rssBytes / MB) ?? 0,
          idleHeapUsedMb: round(idle.heapUsedBytes / MB) ?? 0,
          readyz,
        });
        ctx.log(
          `footprint ${label} run ${run}: ready in ${connector.readyMs.toFixed(0)} ms (readyz ${readyz}), ` +
            `idle RSS ${(idle.rssBytes / MB).toFixed(1)} MB`,
        );
      }
      return {
        readyMs: round(median(runs.map((r) => r.readyMs)), 0),
        idleRssMb: round(median(runs.map((r) => r.idleRssMb))),
        runs,
      };
    };

    const primary = await measure(ctx.connectorModule, 'primary');
    const source = measureSource ? await measure(connectorModule('source', undefined), 'from source') : null;
    return { ...primary, fromSource: source };
  } finally {
    await bench.close();
  }
}
