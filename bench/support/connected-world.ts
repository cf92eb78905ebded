/**
 * A world with a signed-in connector whose webhook is registered: Partner Center's changes reach it
 * through the emulated dispatcher, as in production. Used by the scenarios that follow referrals
 * from Microsoft's change to the lead.
 */
import { join } from 'node:path';
import type { EmulatedCrm, ServiceProtectionLimits } from '@referral-connector/emulators';
import { type BenchWorld, dataverseLimitsConfig, startBenchWorld } from './bench-world.ts';
import { type ConnectorChild, startConnector } from './connector-child.ts';
import type { ScenarioContext } from './scenario-context.ts';

export type ConnectedWorld = {
  bench: BenchWorld;
  connector: ConnectorChild;
  /** Stops the connector (recording its figures) and the world. */
  close(): Promise<void>;
};

export async function startConnectedWorld(
  ctx: ScenarioContext,
  scenario: string,
  options: {
    seed: string;
    config?: Record<string, unknown>;
    dataverseLimits?: Partial<ServiceProtectionLimits>;
    /** The connector runs with settings other than the defaults (not counted in the peak RSS). */
    nonDefault?: boolean;
    /** Which emulated CRM receives the leads; Dynamics 365 unless said. */
    crm?: EmulatedCrm;
    /** Called once the world is up and before the connector registers its webhook. */
    beforeConnector?: (bench: BenchWorld) => void | Promise<void>;
  },
): Promise<ConnectedWorld> {
  const bench = await startBenchWorld({
    seed: options.seed,
    signer: ctx.signer,
    workDir: ctx.workDir,
    ...(options.dataverseLimits ? { dataverseLimits: options.dataverseLimits } : {}),
  });
  try {
    await options.beforeConnector?.(bench);
    // The connector is configured with the limits the emulated org enforces, as an operator would.
    const setup = bench.connectorSetup(
      scenario,
      {
        ...(options.dataverseLimits ? dataverseLimitsConfig(options.dataverseLimits) : {}),
        ...options.config,
      },
      options.crm,
    );
    const connector = await startConnector({
      module: ctx.connectorModule,
      overrides: setup.overrides,
      login: true,
      workers: true,
      registerWebhook: true,
      logFile: setup.logFile,
      ...(ctx.cpuProfileDir ? { cpuProfileDir: join(ctx.cpuProfileDir, scenario) } : {}),
    });
    return {
      bench,
      connector,
      async close() {
        try {
          ctx.recordConnector(scenario, await connector.stop(), { nonDefault: options.nonDefault ?? false });
        } finally {
          await bench.close();
        }
      },
    };
  } catch (error) {
    await bench.close();
    throw error;
  }
}
