import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EMULATED_CRMS, parseFaultSpec } from '@referral-connector/emulators';
import type { Command } from 'commander';
import { parseSetFlags } from '../src/cli/cli-config.ts';
import { createLogger } from '../src/observability/logger.ts';
import type { DemoSummary } from './demo-summary.ts';
import { runDemo } from './run-demo.ts';
import { startDemo } from './start-demo.ts';

type DemoFlags = {
  referrals: string;
  data?: string;
  exit?: boolean;
  json?: boolean;
  faults: string;
  seed: string;
  timeout: string;
  crm: string;
  set?: string[];
};

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'run emulated Partner Center, Entra ID and Dataverse with a real connector, and sync referrals',
    )
    .option('--referrals <n>', 'how many referrals the emulated Microsoft creates', '25')
    .option('--data <dir>', 'data directory (default: a new temporary one)')
    .option('--exit', 'exit after the summary instead of going on serving')
    .option('--json', 'print the summary as one JSON line')
    .option(
      '--faults <spec>',
      'fault knobs, e.g. dataverse.5xx=0.1,dataverse.429=0.05,dispatcher.duplicate=0.2',
      '',
    )
    .option('--seed <seed>', 'seed for generated referrals and fault decisions', 'demo')
    .option('--crm <kind>', `which emulated CRM receives the leads: ${EMULATED_CRMS.join(', ')}`, 'dynamics')
    .option(
      '--set <key=value>',
      'override one connector configuration key, e.g. --set sync.concurrency=8 (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--timeout <seconds>', 'seconds to wait for every referral to sync before giving up', '120')
    .action(async (flags: DemoFlags) => {
      const count = Number(flags.referrals);
      if (!Number.isInteger(count) || count < 1) throw new TypeError('--referrals needs a whole number ≥ 1');
      const faults = parseFaultSpec(flags.faults);
      const crm = EMULATED_CRMS.find((kind) => kind === flags.crm);
      if (!crm) throw new TypeError(`--crm takes one of ${EMULATED_CRMS.join(', ')}, not "${flags.crm}"`);
      const dataDir = flags.data
        ? resolve(flags.data)
        : mkdtempSync(join(tmpdir(), 'referral-connector-demo-'));
      mkdirSync(dataDir, { recursive: true });
      const logger = createLogger({ level: 'error' });
      const say = (line: string) => {
        if (!flags.json) process.stderr.write(`${line}\n`);
      };

      say(`data directory ${dataDir}`);
      const demo = await startDemo({
        dataDir,
        logger,
        seed: flags.seed,
        faults,
        crm,
        // Partner Center retries over minutes and our queue backs off up to 15 min; the demo compresses
        // both so that injected faults heal within seconds.
        dispatcherRetryDelaysMs: [200, 400, 800, 1600, 3200],
        // The reconciler passes every 2 s instead of 5 min, so an event the dispatcher drops is found quickly.
        overrides: {
          'sync.backoffBaseMs': 100,
          'sync.backoffCapMs': 2000,
          'sync.maxAttempts': 20,
          'sync.reconcileIntervalSeconds': 2,
          ...parseSetFlags(flags.set),
        },
      });
      say(
        `emulators at ${demo.world.urls.control.replace(/\/control$/, '')}, connector at ${demo.connectorUrl}`,
      );
      say(`webhook registered; Microsoft creates ${count} referrals…`);
      let lastLine = '';
      const run = await runDemo(demo, {
        referrals: count,
        timeoutMs: Number(flags.timeout) * 1000,
        onProgress: ({ leads, writtenBack, referrals }) => {
          const line = `  ${leads}/${referrals} leads, ${writtenBack}/${referrals} written back`;
          if (line !== lastLine && !flags.json && process.stderr.isTTY) process.stderr.write(`\r${line}`);
          lastLine = line;
        },
      });
      if (!flags.json && process.stderr.isTTY) process.stderr.write('\n');

      const summary = {
        ...run.summary,
        crm,
        converged: run.converged,
        elapsedMs: run.elapsedMs,
        // Opens the operator console signed in (the demo's own console token).
        admin: demo.adminLink,
      };
      if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else process.stdout.write(formatSummary(summary));

      if (flags.exit) {
        await demo.close();
        process.exit(run.converged && summary.duplicateLeads === 0 ? 0 : 1);
      }
      say(`still serving (Ctrl-C to stop); the console, signed in: ${demo.adminLink}`);
      say(`  webhook ${demo.connectorUrl}/webhooks/partner-center,`);
      say(`  metrics ${demo.connectorUrl}/metrics, emulator control ${demo.world.urls.control}`);
      const stop = async () => {
        await demo.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}

function formatSummary(summary: DemoSummary & { converged: boolean; elapsedMs: number }): string {
  const calls = Object.entries(summary.apiCalls)
    .map(([remote, n]) => `${remote} ${n}`)
    .join(', ');
  return [
    '',
    `referrals        ${summary.referrals}`,
    `leads            ${summary.leads}`,
    `duplicate leads  ${summary.duplicateLeads}`,
    `written back     ${summary.writtenBack}`,
    `lost             ${summary.lost}`,
    `dead-lettered    ${summary.deadLettered}`,
    `API calls        ${calls}`,
    `event → lead     p50 ${summary.latencyMs.p50 ?? '–'} ms, p95 ${summary.latencyMs.p95 ?? '–'} ms`,
    `elapsed          ${(summary.elapsedMs / 1000).toFixed(1)} s${summary.converged ? '' : ' (did not converge before the timeout)'}`,
    '',
  ].join('\n');
}
