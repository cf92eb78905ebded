/**
 * An emulated world and a connector configuration for it, as `emulate --write-config` makes one (trust
 * files on disk, a loopback public URL), with the Partner Center user signed in and the webhook
 * registered through the connector's own commands' code: what `doctor` should find ready.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectorConfig,
  DEV_CREDENTIALS,
  type EmulatedCrm,
  type EmulatorWorld,
  type EmulatorWorldOptions,
  startEmulators,
} from '@referral-connector/emulators';
import { loginWithDeviceCode } from '../auth/device-code-login.ts';
import { withPartnerCenter } from '../cli/with-partner-center.ts';
import type { Config } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { registerWebhook } from '../partner-center/register-webhook.ts';
import type { DoctorLine, DoctorReport } from './doctor-report.ts';
import { runDoctor } from './run-doctor.ts';

/** Where the emulators' connector would listen; nothing needs to listen there for doctor. */
export const PUBLIC_URL = 'http://127.0.0.1:18080';

export type DoctorWorld = {
  world: EmulatorWorld;
  dataDir: string;
  /** The configuration keys of the set-up, as a configuration file would hold them. */
  settings: Record<string, unknown>;
  config(overrides?: Record<string, unknown>): Config;
  /** A file in the world's directory. */
  file(name: string, text: string): string;
  signIn(): Promise<void>;
  /** Registers `<publicUrl>/webhooks/partner-center` for the configured events, as `webhooks register` does. */
  register(): Promise<void>;
  doctor(overrides?: Record<string, unknown>): Promise<DoctorReport>;
  close(): Promise<void>;
};

export async function startDoctorWorld(
  options: EmulatorWorldOptions & { crm?: EmulatedCrm; signIn?: boolean; register?: boolean } = {},
): Promise<DoctorWorld> {
  const { crm, signIn = true, register = true, ...worldOptions } = options;
  const world = await startEmulators({
    seed: 'doctor',
    ...worldOptions,
    entra: {
      deviceCodeAutoApprove: DEV_CREDENTIALS.username,
      deviceCodeIntervalSeconds: 0.05,
      ...worldOptions.entra,
    },
  });
  const directory = mkdtempSync(join(tmpdir(), 'rc-doctor-'));
  const file = (name: string, text: string) => {
    const path = join(directory, name);
    writeFileSync(path, text);
    return path;
  };
  const dataDir = join(directory, 'data');
  const settings = connectorConfig(world, {
    dataDir,
    signingRootsFile: file('signing-root.pem', world.signingRootPem),
    tlsCaFile: file('tls-ca.pem', world.tlsCaPem ?? ''),
    server: { host: '127.0.0.1', port: 18080, publicUrl: PUBLIC_URL },
    ...(crm ? { crm } : {}),
  });
  // A key of its own, so no key file is made (and no warning logged about making one).
  settings['secrets.encryptionKey'] = randomBytes(32).toString('base64');
  const config = (overrides: Record<string, unknown> = {}) =>
    loadConfig({ env: {}, ignoreDefaultFile: true, overrides: { ...settings, ...overrides } });
  const doctorWorld: DoctorWorld = {
    world,
    dataDir,
    settings,
    config,
    file,
    async signIn() {
      const configured = config();
      await withPartnerCenter(configured, async (access) => {
        await loginWithDeviceCode(access.app, configured.partnerCenter.referralsAudience, () => {});
      });
    },
    async register() {
      const configured = config();
      await withPartnerCenter(configured, async (access) => {
        await registerWebhook(
          access.webhooks,
          {
            webhookUrl: `${PUBLIC_URL}/webhooks/partner-center`,
            webhookEvents: [...configured.partnerCenter.webhookEvents],
            signatureInMsSignatureHeader: false,
          },
          { overwriteForeign: true },
        );
      });
    },
    doctor: (overrides = {}) => runDoctor(() => config(overrides)),
    async close() {
      await world.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
  try {
    if (signIn) await doctorWorld.signIn();
    if (register) await doctorWorld.register();
  } catch (error) {
    await doctorWorld.close();
    throw error;
  }
  return doctorWorld;
}

/** The report's lines by name; names repeat nowhere in one report. */
export function linesOf(report: DoctorReport): Record<string, DoctorLine> {
  return Object.fromEntries(report.lines.map((line) => [line.name, line]));
}

export function statusesOf(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.lines.map((line) => [line.name, line.status]));
}
