import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.ts';
import type { Config } from '../config/config-schema.ts';
import { registerWebhook } from '../partner-center/register-webhook.ts';
import type { PartnerCenterAccess } from '../wiring/partner-center-access.ts';
import { type ConfigFlags, configFromFlags, withConfigFlags } from './cli-config.ts';
import { withPartnerCenter } from './with-partner-center.ts';

type RegisterFlags = ConfigFlags & { url?: string; force?: boolean };

/** Both create the registration or point it at this connector; `update` is the name for the second case. */
const REGISTER_DESCRIPTIONS = {
  register: "have Partner Center send the referral events to this connector's webhook URL",
  update: 'the same as register: point the existing registration at this connector',
} as const;

export function registerWebhooksCommand(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description("where Partner Center sends this tenant's referral events: show, register, test");

  withConfigFlags(
    webhooks
      .command('show')
      .description("show the registered URL and events; warns when the URL is not this connector's"),
  ).action(async (flags: ConfigFlags) => {
    await withPartnerCenterFlags(flags, async (partnerCenter, config) => {
      const registration = await partnerCenter.webhooks.get();
      if (!registration) {
        process.stdout.write('no webhook registration for this tenant\n');
        return;
      }
      process.stdout.write(`${JSON.stringify(registration, null, 2)}\n`);
      const ours = callbackUrl(config);
      if (ours && registration.webhookUrl !== ours) {
        process.stderr.write(
          `warning: the events go to ${registration.webhookUrl}, not to this connector (${ours})\n`,
        );
      }
    });
  });

  for (const name of ['register', 'update'] as const) {
    withConfigFlags(webhooks.command(name).description(REGISTER_DESCRIPTIONS[name]))
      .option('--url <url>', 'callback URL (default: <server.publicUrl>/webhooks/partner-center)')
      .option('--force', 'take the events over from another URL (another integration stops receiving them)')
      .action(async (flags: RegisterFlags) => {
        await withPartnerCenterFlags(flags, async (partnerCenter, config) => {
          const url = flags.url ?? callbackUrl(config);
          if (!url) {
            throw new ConfigError(
              [{ path: 'server.publicUrl', problem: 'is required to register the webhook (or pass --url)' }],
              'webhooks',
            );
          }
          const result = await registerWebhook(
            partnerCenter.webhooks,
            {
              webhookUrl: url,
              webhookEvents: [...config.partnerCenter.webhookEvents],
              signatureInMsSignatureHeader: config.partnerCenter.signatureInHeader === 'x-ms-signature',
            },
            { overwriteForeign: flags.force === true },
          );
          if (result.outcome === 'foreign_url') {
            process.stderr.write(
              `refused: the events are registered to ${result.previous.webhookUrl}. Partner Center sends each event to ` +
                'one URL only, so registering here stops that integration from receiving them. Re-run with --force to take them over.\n',
            );
            process.exitCode = 3;
            return;
          }
          process.stdout.write(`${result.outcome}: ${JSON.stringify(result.registration)}\n`);
        });
      });
  }

  withConfigFlags(
    webhooks.command('test').description('ask Partner Center to send a test event and show the result'),
  )
    .option('--wait <seconds>', 'seconds to wait for the result', '60')
    .action(async (flags: ConfigFlags & { wait: string }) => {
      await withPartnerCenterFlags(flags, async (partnerCenter) => {
        const correlationId = await partnerCenter.webhooks.sendTestEvent();
        process.stdout.write(`test event requested, correlation id ${correlationId}\n`);
        const deadline = Date.now() + Number(flags.wait) * 1000;
        for (;;) {
          const result = await partnerCenter.webhooks.testEventResult(correlationId);
          if (
            result.results.length > 0 ||
            result.status.toLowerCase() === 'completed' ||
            Date.now() > deadline
          ) {
            process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
            return;
          }
          await sleep(2000);
        }
      });
    });
}

function callbackUrl(config: Config): string | undefined {
  return config.server.publicUrl
    ? `${config.server.publicUrl.replace(/\/$/, '')}/webhooks/partner-center`
    : undefined;
}

async function withPartnerCenterFlags(
  flags: ConfigFlags,
  run: (partnerCenter: PartnerCenterAccess, config: Config) => Promise<void>,
): Promise<void> {
  const config = configFromFlags(flags);
  await withPartnerCenter(config, (partnerCenter) => run(partnerCenter, config));
}
