import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { parseFaultSpec } from '../control/parse-fault-spec.ts';
import { DEV_CREDENTIALS, DEV_SALESFORCE } from '../credentials.ts';
import { parseDataverseLimits } from '../dataverse/parse-dataverse-limits.ts';
import { startEmulators } from '../world.ts';
import { writeConnectorConfig } from './connector-config-file.ts';

type EmulateFlags = {
  port: string;
  seed: string;
  http?: boolean;
  faults: string;
  writeConfig?: string;
  connectorPort: string;
  approveDeviceCodes?: boolean | string;
  dataverseLimits: string;
};

/**
 * `emulate`: every emulator on one port. When ready it prints exactly one JSON line on stdout: base
 * URLs, the well-known development credentials, and the files holding the PEMs a connector must trust
 * (the TLS CA and the webhook-signing root); with `--write-config`, also the connector configuration
 * written for it.
 */
export function registerEmulateCommand(program: Command, options: { isDefault?: boolean } = {}): void {
  program
    .command('emulate', { isDefault: options.isDefault ?? false })
    .description(
      'start the Entra ID, Partner Center and Dataverse emulators and print their URLs as one JSON line',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', '0')
    .option('--seed <seed>', 'seed for generated data and fault decisions', 'referral-connector')
    .option('--http', 'serve plain http instead of https')
    .option('--faults <spec>', 'fault knobs, e.g. dataverse.5xx=0.1,dispatcher.duplicate=0.2', '')
    .option(
      '--write-config <file>',
      'write a connector configuration for these emulators to FILE, with its trust files and data directory beside it',
    )
    .option(
      '--connector-port <port>',
      'with --write-config: the port the connector listens on, and its webhook URL',
      '8080',
    )
    .option(
      '--approve-device-codes [username]',
      `approve every device code sign-in at once, as USERNAME (default: ${DEV_CREDENTIALS.username}), so \`auth login\` needs no browser`,
    )
    .option(
      '--dataverse-limits <limits>',
      "Dataverse's service-protection limits: default (the real ones), off, or N/WINDOW (e.g. 600/1m)",
      'default',
    )
    .action(async (flags: EmulateFlags) => {
      const faults = parseFaultSpec(flags.faults);
      const limits = parseDataverseLimits(flags.dataverseLimits);
      const connectorPort = Number(flags.connectorPort);
      if (!Number.isInteger(connectorPort) || connectorPort < 1 || connectorPort > 65535)
        throw new TypeError('--connector-port needs a port number from 1 to 65535');
      const approveAs =
        flags.approveDeviceCodes === true ? DEV_CREDENTIALS.username : flags.approveDeviceCodes || undefined;
      const world = await startEmulators({
        port: Number(flags.port),
        seed: flags.seed,
        https: !flags.http,
        faults,
        dataverse: { limits },
        ...(approveAs
          ? // Approved at once; a one-second poll interval makes the sign-in take a second, not five.
            { entra: { deviceCodeAutoApprove: approveAs, deviceCodeIntervalSeconds: 1 } }
          : {}),
      });

      let trust: { tlsCaFile?: string; signingRootFile: string };
      let configFile: string | undefined;
      let temporaryDir: string | undefined;
      if (flags.writeConfig) {
        const written = writeConnectorConfig(world, flags.writeConfig, { connectorPort });
        configFile = written.configFile;
        trust = {
          ...(written.tlsCaFile ? { tlsCaFile: written.tlsCaFile } : {}),
          signingRootFile: written.signingRootFile,
        };
      } else {
        temporaryDir = mkdtempSync(join(tmpdir(), 'referral-connector-emulators-'));
        trust = { signingRootFile: join(temporaryDir, 'signing-root.pem') };
        writeFileSync(trust.signingRootFile, world.signingRootPem);
        if (world.tlsCaPem) {
          trust.tlsCaFile = join(temporaryDir, 'tls-ca.pem');
          writeFileSync(trust.tlsCaFile, world.tlsCaPem);
        }
      }
      // The connected app's well-known JWT key, beside the trust files, for a JWT-bearer configuration.
      const salesforceJwtKeyFile = join(dirname(trust.signingRootFile), 'salesforce-jwt-key.pem');
      writeFileSync(salesforceJwtKeyFile, DEV_SALESFORCE.jwtPrivateKeyPem);
      process.stdout.write(
        `${JSON.stringify({
          ...world.urls,
          credentials: {
            tenant: world.credentials.tenant,
            clientId: world.credentials.clientId,
            clientSecret: world.credentials.clientSecret,
            username: world.credentials.username,
            password: world.credentials.password,
            hubspot: { accessToken: world.hubspot.accessToken },
            salesforce: {
              clientId: DEV_SALESFORCE.clientId,
              clientSecret: DEV_SALESFORCE.clientSecret,
              username: DEV_SALESFORCE.username,
              jwtKeyFile: salesforceJwtKeyFile,
            },
          },
          trust: {
            ...(trust.tlsCaFile ? { tlsCaFile: trust.tlsCaFile } : {}),
            signingRootFile: trust.signingRootFile,
          },
          ...(configFile ? { connectorConfig: configFile } : {}),
        })}\n`,
      );
      const stop = async () => {
        await world.close();
        // The written configuration and its trust files stay: the user asked for them by name.
        if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
