/**
 * An emulated tenant full of referrals that exist before the connector does, and a data directory as
 * `auth login` leaves it: a YAML configuration pointing at the emulators and the Partner Center user
 * signed in (device code, approved at once). Nothing is synced and no webhook is registered, as on a
 * partner's first day. `backfill` runs against it as a child process (`node src/main.ts backfill …`),
 * the way an operator runs it, so a test can interrupt or kill it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  connectorConfig,
  DEV_CREDENTIALS,
  type EmulatorWorld,
  type EmulatorWorldOptions,
  startEmulators,
} from '@referral-connector/emulators';
import { stringify } from 'yaml';
import { loginWithDeviceCode } from '../../src/auth/device-code-login.ts';
import type { Config } from '../../src/config/config-schema.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { openBackend } from '../../src/wiring/open-backend.ts';
import { createPartnerCenterAccess } from '../../src/wiring/partner-center-access.ts';
import { createRemoteClients } from '../../src/wiring/remote-clients.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type BackfillWorld = {
  world: EmulatorWorld;
  configFile: string;
  config: Config;
  databaseFile: string;
  close(): Promise<void>;
};

export async function startBackfillWorld(options: {
  dataDir: string;
  emulators: EmulatorWorldOptions;
  /** Connector keys beyond the world's own, as flags would give them (`sync.select.direction`). */
  settings?: Record<string, unknown>;
}): Promise<BackfillWorld> {
  const world = await startEmulators({
    ...options.emulators,
    entra: {
      deviceCodeAutoApprove: DEV_CREDENTIALS.username,
      deviceCodeIntervalSeconds: 0.05,
      ...options.emulators.entra,
    },
  });
  try {
    const tlsCaFile = join(options.dataDir, 'emulators-tls-ca.pem');
    const signingRootsFile = join(options.dataDir, 'emulators-signing-root.pem');
    writeFileSync(tlsCaFile, world.tlsCaPem ?? '');
    writeFileSync(signingRootsFile, world.signingRootPem);
    const settings = {
      ...connectorConfig(world, { dataDir: options.dataDir, tlsCaFile, signingRootsFile }),
      ...options.settings,
    };
    const configFile = join(options.dataDir, 'referral-connector.yaml');
    writeFileSync(configFile, stringify(nest(settings)));
    const config = loadConfig({ file: configFile, env: {}, ignoreDefaultFile: true });

    // `auth login`: the sign-in lands in the store, as the command leaves it.
    const clients = createRemoteClients(config);
    const backend = await openBackend(config);
    try {
      const access = createPartnerCenterAccess(config, {
        secrets: backend.store,
        clients,
        logger: createLogger({ level: 'silent' }),
      });
      await loginWithDeviceCode(access.app, config.partnerCenter.referralsAudience, () => {});
    } finally {
      await clients.closeAll();
      await backend.close();
    }
    return {
      world,
      configFile,
      config,
      databaseFile: join(options.dataDir, 'referral-connector.db'),
      close: () => world.close(),
    };
  } catch (error) {
    await world.close();
    throw error;
  }
}

export type CommandRun = {
  child: ChildProcess;
  /** Resolves when the process has exited, with what it printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
};

/** `referral-connector <args> --config <file>` as a child process; nothing of the test's environment configures it. */
export function runCommand(configFile: string, args: readonly string[]): CommandRun {
  const child = spawn(process.execPath, ['src/main.ts', ...args, '--config', configFile], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited };
}

/** `{ 'a.b': 1 }` → `{ a: { b: 1 } }`, for the YAML file. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = path.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1) as string] = value;
  }
  return tree;
}
