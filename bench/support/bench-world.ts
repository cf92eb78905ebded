/**
 * The emulated remotes for one benchmark run, plus the connector configuration pointing at them: the
 * emulators' URLs, the development credentials and the trust anchors (the emulators' and the bench
 * signer's), exactly as `start-demo.ts` configures the demo.
 */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceProtectionLimits } from '@referral-connector/emulators';
import {
  connectorConfig,
  DEV_CREDENTIALS,
  type EmulatedCrm,
  type EmulatorWorld,
  startEmulators,
} from '@referral-connector/emulators';
import type { BenchSigner } from './bench-signer.ts';

/**
 * Dataverse allows one application user 6,000 requests per 5 minutes (20 a second): a 200-a-second
 * stream needs ten times that. Scenarios other than the backlog lift the request and execution-time
 * limits (not the 52 concurrent requests), on the emulator and in the connector's own request budget
 * alike, so that they measure the connector, not the quota. The window is short because both sides
 * keep one entry per request in it.
 */
export const LIFTED_DATAVERSE_LIMITS: Partial<ServiceProtectionLimits> = {
  requestsPerWindow: 1_000_000,
  executionTimeMs: 1_000_000_000,
  windowMs: 1_000,
};

/** The connector's configuration matching a Dataverse emulator's limits. */
export function dataverseLimitsConfig(limits: Partial<ServiceProtectionLimits>): Record<string, unknown> {
  return {
    ...(limits.requestsPerWindow
      ? { 'crm.dynamics.limits.requestsPerWindow': limits.requestsPerWindow }
      : {}),
    ...(limits.executionTimeMs
      ? { 'crm.dynamics.limits.executionSecondsPerWindow': limits.executionTimeMs / 1000 }
      : {}),
    ...(limits.windowMs ? { 'crm.dynamics.limits.windowSeconds': limits.windowMs / 1000 } : {}),
    ...(limits.concurrentRequests ? { 'crm.dynamics.limits.concurrency': limits.concurrentRequests } : {}),
  };
}

export type BenchWorld = {
  world: EmulatorWorld;
  /** A fresh data directory with the trust files written, and the configuration for it. */
  connectorSetup(
    name: string,
    extra?: Record<string, unknown>,
    crm?: EmulatedCrm,
  ): { dataDir: string; overrides: Record<string, unknown>; logFile: string };
  close(): Promise<void>;
};

export type BenchWorldOptions = {
  seed: string;
  signer: BenchSigner;
  /** Parent of the data directories of this run's connectors. */
  workDir: string;
  dataverseLimits?: Partial<ServiceProtectionLimits>;
  /** Deliveries Partner Center's dispatcher keeps in flight (the emulator's default: 8). */
  dispatcherConcurrency?: number;
};

export async function startBenchWorld(options: BenchWorldOptions): Promise<BenchWorld> {
  const world = await startEmulators({
    seed: options.seed,
    entra: { deviceCodeAutoApprove: DEV_CREDENTIALS.username, deviceCodeIntervalSeconds: 0.05 },
    // Failed deliveries are not part of any scenario; retry quickly if one happens anyway.
    webhooks: {
      retryDelaysMs: [100, 200, 500, 1_000],
      ...(options.dispatcherConcurrency ? { concurrency: options.dispatcherConcurrency } : {}),
    },
    ...(options.dataverseLimits ? { dataverse: { limits: options.dataverseLimits } } : {}),
  });
  mkdirSync(options.workDir, { recursive: true });

  return {
    world,
    connectorSetup(name, extra = {}, crm = 'dynamics') {
      const dataDir = mkdtempSync(join(options.workDir, `${name}-`));
      const tlsCaFile = join(dataDir, 'trusted-tls-ca.pem');
      const signingRootsFile = join(dataDir, 'trusted-signing-roots.pem');
      writeFileSync(tlsCaFile, `${world.tlsCaPem ?? ''}\n${options.signer.tlsCaPem}`);
      writeFileSync(signingRootsFile, `${world.signingRootPem}\n${options.signer.rootPem}`);
      return {
        dataDir,
        logFile: join(dataDir, 'connector.log'),
        overrides: {
          ...connectorConfig(world, { dataDir, tlsCaFile, signingRootsFile, crm }),
          // The signer serves its chain from a port of its own, which the allow-lists must name too.
          'partnerCenter.certificateHosts': [world.certificateHost, options.signer.certificateHost],
          'partnerCenter.issuerCertificateHosts': [world.certificateHost, options.signer.certificateHost],
          ...extra,
        },
      };
    },
    close: () => world.close(),
  };
}
