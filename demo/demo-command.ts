import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EMULATED_CRMS, type EmulatedCrm, parseFaultSpec } from '@referral-connector/emulators';
import type { Command } from 'commander';
import { parseSetFlags } from '../src/cli/cli-config.ts';
import { createLogger, type Logger } from '../src/observability/logger.ts';
import { isPostgresUrl } from '../src/store/postgres/connection-config.ts';
import type { DemoSummary } from './demo-summary.ts';
import { splitInstanceFaults } from './instance-faults.ts';
import { startInstanceKills } from './instance-kills.ts';
import { type DemoRun, runDemo } from './run-demo.ts';
import { startDemo } from './start-demo.ts';
import { startFleetDemo } from './start-fleet-demo.ts';

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
  store?: string;
  instances: string;
  keepStore?: boolean;
};

/** What both ways of running the demo share. */
type DemoSetup = {
  count: number;
  dataDir: string;
  logger: Logger;
  seed: string;
  faults: ReturnType<typeof parseFaultSpec>;
  crm: EmulatedCrm;
  overrides: Record<string, unknown>;
  dispatcherRetryDelaysMs: readonly number[];
  say(line: string): void;
  onProgress: Parameters<typeof runDemo>[1]['onProgress'];
};

/** A finished run, what it adds to the summary, and what is left serving until the demo stops. */
type Ran = {
  run: DemoRun;
  extra: Record<string, unknown>;
  admin: string;
  serving: string[];
  ok: boolean;
  close(): Promise<void>;
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
      'fault knobs, e.g. dataverse.5xx=0.1,dataverse.429=0.05,dispatcher.duplicate=0.2; ' +
        'instance.kill=K SIGKILLs an instance K times (each restarted a second later; needs --store)',
      '',
    )
    .option('--seed <seed>', 'seed for generated referrals and fault decisions', 'demo')
    .option('--crm <kind>', `which emulated CRM receives the leads: ${EMULATED_CRMS.join(', ')}`, 'dynamics')
    .option(
      '--set <key=value>',
      'override one connector configuration key, e.g. --set sync.concurrency=8 (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--store <url>',
      'run on PostgreSQL (postgres://user@host:5432/db) in a schema made for this run, dropped at the end; ' +
        'the connectors are then processes of their own (default: SQLite in the data directory, in this process)',
    )
    .option('--instances <n>', 'connector processes on --store, behind a round-robin load balancer', '1')
    .option('--keep-store', 'leave the demo’s schema in the database at the end')
    .option('--timeout <seconds>', 'seconds to wait for every referral to sync before giving up', '120')
    .action(async (flags: DemoFlags) => {
      const count = Number(flags.referrals);
      if (!Number.isInteger(count) || count < 1) throw new TypeError('--referrals needs a whole number ≥ 1');
      const instances = Number(flags.instances);
      if (!Number.isInteger(instances) || instances < 1)
        throw new TypeError('--instances needs a whole number ≥ 1');
      const { instance: instanceFaults, remotes } = splitInstanceFaults(flags.faults);
      const faults = parseFaultSpec(remotes);
      if (flags.store !== undefined && !isPostgresUrl(flags.store))
        throw new TypeError('--store takes a postgres:// URL');
      if (flags.store === undefined && (instances > 1 || instanceFaults.kills > 0))
        throw new TypeError(
          '--instances above 1 and instance.kill need --store postgres://…: on SQLite the demo runs one connector in its own process',
        );
      const crm = EMULATED_CRMS.find((kind) => kind === flags.crm);
      if (!crm) throw new TypeError(`--crm takes one of ${EMULATED_CRMS.join(', ')}, not "${flags.crm}"`);
      const dataDir = flags.data
        ? resolve(flags.data)
        : mkdtempSync(join(tmpdir(), 'referral-connector-demo-'));
      mkdirSync(dataDir, { recursive: true });
      const say = (line: string) => {
        if (!flags.json) process.stderr.write(`${line}\n`);
      };
      let lastLine = '';
      const setup: DemoSetup = {
        count,
        dataDir,
        logger: createLogger({ level: 'error' }),
        seed: flags.seed,
        faults,
        crm,
        // Partner Center retries over minutes and our queue backs off up to 15 min; the demo compresses
        // both so that injected faults heal within seconds. The reconciler passes every 2 s instead of
        // 5 min, so an event the dispatcher drops is found quickly.
        dispatcherRetryDelaysMs: [200, 400, 800, 1600, 3200],
        overrides: {
          'sync.backoffBaseMs': 100,
          'sync.backoffCapMs': 2000,
          'sync.maxAttempts': 20,
          'sync.reconcileIntervalSeconds': 2,
          ...parseSetFlags(flags.set),
        },
        say,
        onProgress: ({ leads, writtenBack, referrals }) => {
          const line = `  ${leads}/${referrals} leads, ${writtenBack}/${referrals} written back`;
          if (line !== lastLine && !flags.json && process.stderr.isTTY) process.stderr.write(`\r${line}`);
          lastLine = line;
        },
      };

      say(`data directory ${dataDir}`);
      const timeoutMs = Number(flags.timeout) * 1000;
      const ran =
        flags.store === undefined
          ? await runInProcess(setup, timeoutMs)
          : await runOnFleet(setup, timeoutMs, {
              storeUrl: flags.store,
              instances,
              kills: instanceFaults.kills,
              keepStore: flags.keepStore ?? false,
            });
      if (!flags.json && process.stderr.isTTY) process.stderr.write('\n');

      const summary = {
        ...ran.run.summary,
        crm,
        ...ran.extra,
        converged: ran.run.converged,
        elapsedMs: ran.run.elapsedMs,
        // Opens the operator console signed in (the demo's own console token).
        admin: ran.admin,
      };
      if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else process.stdout.write(formatSummary(summary));

      const ok = ran.ok && ran.run.converged && summary.duplicateLeads === 0;
      if (flags.exit) {
        await ran.close();
        process.exit(ok ? 0 : 1);
      }
      say(`still serving (Ctrl-C to stop); the console, signed in: ${ran.admin}`);
      for (const line of ran.serving) say(`  ${line}`);
      const stop = async () => {
        await ran.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}

/** SQLite and one connector in this process (the default). */
async function runInProcess(setup: DemoSetup, timeoutMs: number): Promise<Ran> {
  const demo = await startDemo({
    dataDir: setup.dataDir,
    logger: setup.logger,
    seed: setup.seed,
    faults: setup.faults,
    crm: setup.crm,
    dispatcherRetryDelaysMs: setup.dispatcherRetryDelaysMs,
    overrides: setup.overrides,
  });
  setup.say(
    `emulators at ${demo.world.urls.control.replace(/\/control$/, '')}, connector at ${demo.connectorUrl}`,
  );
  setup.say(`webhook registered; Microsoft creates ${setup.count} referrals…`);
  const run = await runDemo(demo, {
    referrals: setup.count,
    timeoutMs,
    ...(setup.onProgress ? { onProgress: setup.onProgress } : {}),
  });
  return {
    run,
    extra: { store: 'sqlite', instances: 1 },
    admin: demo.adminLink,
    serving: [
      `webhook ${demo.connectorUrl}/webhooks/partner-center,`,
      `metrics ${demo.connectorUrl}/metrics, emulator control ${demo.world.urls.control}`,
    ],
    ok: true,
    close: () => demo.close(),
  };
}

/** PostgreSQL and N connector processes behind a round-robin forwarder. */
async function runOnFleet(
  setup: DemoSetup,
  timeoutMs: number,
  options: { storeUrl: string; instances: number; kills: number; keepStore: boolean },
): Promise<Ran> {
  setup.say(
    `starting ${options.instances} connector process${options.instances === 1 ? '' : 'es'} on PostgreSQL…`,
  );
  const demo = await startFleetDemo({
    storeUrl: options.storeUrl,
    instances: options.instances,
    dataDir: setup.dataDir,
    logger: setup.logger,
    seed: setup.seed,
    faults: setup.faults,
    crm: setup.crm,
    dispatcherRetryDelaysMs: setup.dispatcherRetryDelaysMs,
    overrides: setup.overrides,
    keepStore: options.keepStore,
  });
  const ports = demo.fleet.instances.map((instance) => instance.port).join(', ');
  setup.say(
    `emulators at ${demo.world.urls.control.replace(/\/control$/, '')}; schema ${demo.schema}; ` +
      `instances on ports ${ports} behind ${demo.forwarder.url}`,
  );
  setup.say(`webhook registered at the load balancer; Microsoft creates ${setup.count} referrals…`);
  let leads = 0;
  const kills = startInstanceKills(demo.fleet, {
    kills: options.kills,
    referrals: setup.count,
    leads: () => leads,
    onKill: setup.say,
  });
  const run = await runDemo(demo, {
    referrals: setup.count,
    timeoutMs,
    busy: kills.busy,
    onProgress: (progress) => {
      leads = progress.leads;
      setup.onProgress?.(progress);
    },
  });
  await kills.stop();
  if (kills.failure) setup.say(`an instance did not start again: ${kills.failure.message}`);
  return {
    run,
    extra: {
      store: 'postgres',
      instances: options.instances,
      instanceKills: kills.done,
      webhooksByInstance: demo.forwarder.answered(),
      ...(options.keepStore ? { schema: demo.schema } : {}),
    },
    admin: demo.adminLink,
    serving: [
      `webhook ${demo.forwarder.url}/webhooks/partner-center (round-robin over ports ${ports}),`,
      `logs ${setup.dataDir}/instance-N.log, emulator control ${demo.world.urls.control}`,
      options.keepStore ? `schema ${demo.schema} is kept` : `schema ${demo.schema} is dropped at the end`,
    ],
    ok: kills.failure === undefined,
    close: () => demo.close(),
  };
}

function formatSummary(
  summary: DemoSummary & { converged: boolean; elapsedMs: number; store?: unknown; instances?: unknown },
): string {
  const calls = Object.entries(summary.apiCalls)
    .map(([remote, n]) => `${remote} ${n}`)
    .join(', ');
  return [
    '',
    `store            ${summary.store}, ${summary.instances} instance${summary.instances === 1 ? '' : 's'}`,
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
