import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { loginWithDeviceCode, loginWithPasswordLegacy } from '../auth/device-code-login.ts';
import { type ConfigFlags, configFromFlags, withConfigFlags } from './cli-config.ts';
import { withPartnerCenter } from './with-partner-center.ts';

export function registerAuthCommand(program: Command): void {
  const auth = program.command('auth').description('sign in the Partner Center user the connector acts as');
  withConfigFlags(
    auth
      .command('login')
      .description('sign in with a device code; the refresh token is kept in the store, never printed'),
  )
    .option(
      '--password-legacy',
      'sign in with the password grant instead; it cannot do MFA, which Partner Center requires since April 2026',
    )
    .option(
      '--username <upn>',
      "with --password-legacy: the user's name; the password comes from PARTNER_CENTER_PASSWORD or is asked for",
    )
    .action(async (flags: ConfigFlags & { passwordLegacy?: boolean; username?: string }) => {
      const config = configFromFlags(flags);
      await withPartnerCenter(config, async (partnerCenter) => {
        const audience = config.partnerCenter.referralsAudience;
        let user: { username: string };
        if (flags.passwordLegacy) {
          process.stderr.write(
            'warning: the password grant cannot do MFA; Partner Center rejects App+User calls without MFA since 1 April 2026.\n',
          );
          if (!flags.username) throw new TypeError('--password-legacy needs --username');
          const password = process.env.PARTNER_CENTER_PASSWORD ?? (await ask('password: '));
          user = await loginWithPasswordLegacy(partnerCenter.app, audience, {
            username: flags.username,
            password,
          });
        } else {
          user = await loginWithDeviceCode(partnerCenter.app, audience, (message) =>
            process.stderr.write(`${message}\n`),
          );
        }
        process.stdout.write(`signed in as ${user.username}; the connector can now read referrals\n`);
      });
    });
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
