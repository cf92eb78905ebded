import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parseFaultSpec } from '../control/parse-fault-spec.ts';
import { startEmulators } from '../world.ts';

/**
 * `referral-connector emulate`: every emulator on one port. When ready it prints exactly one JSON line
 * on stdout: base URLs, the well-known development credentials, and the files holding the PEMs a
 * connector must trust (the TLS CA and the webhook-signing root).
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
    .action(async (options: { port: string; seed: string; http?: boolean; faults: string }) => {
      const world = await startEmulators({
        port: Number(options.port),
        seed: options.seed,
        https: !options.http,
        faults: parseFaultSpec(options.faults),
      });
      const dir = mkdtempSync(join(tmpdir(), 'referral-connector-emulators-'));
      const signingRoot = join(dir, 'signing-root.pem');
      writeFileSync(signingRoot, world.signingRootPem);
      let tlsCa: string | undefined;
      if (world.tlsCaPem) {
        tlsCa = join(dir, 'tls-ca.pem');
        writeFileSync(tlsCa, world.tlsCaPem);
      }
      process.stdout.write(
        `${JSON.stringify({
          ...world.urls,
          credentials: {
            tenant: world.credentials.tenant,
            clientId: world.credentials.clientId,
            clientSecret: world.credentials.clientSecret,
            username: world.credentials.username,
            password: world.credentials.password,
          },
          trust: { ...(tlsCa ? { tlsCaFile: tlsCa } : {}), signingRootFile: signingRoot },
        })}\n`,
      );
      const stop = async () => {
        await world.close();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
