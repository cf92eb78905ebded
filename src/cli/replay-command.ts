import type { Command } from 'commander';
import { toReferralKey } from '../core/domain.ts';
import type { ReplaySelector } from '../store/ports.ts';
import { openExistingBackend } from '../wiring/open-backend.ts';
import { type ConfigFlags, configFromFlags, withConfigFlags } from './cli-config.ts';

type ReplayFlags = ConfigFlags & { referral?: string; code?: string; all?: boolean };

/**
 * Puts dead-lettered syncs back in the queue with fresh attempts. A running `serve` on the same data
 * directory picks them up within a couple of seconds.
 */
export function registerReplayCommand(program: Command): void {
  withConfigFlags(
    program.command('replay').description('retry dead-lettered syncs: one referral, one reason, or all'),
  )
    .option('--referral <id>', "this referral's dead-lettered sync")
    .option('--code <reason>', 'every dead letter with this reason code (see `status`)')
    .option('--all', 'every dead letter')
    .action(async (flags: ReplayFlags) => {
      const selectors = [flags.referral, flags.code, flags.all].filter((x) => x !== undefined);
      if (selectors.length !== 1)
        throw new TypeError('replay needs exactly one of --referral ID, --code REASON, --all');
      // By key: the referral's id in any case names its dead letter.
      const selector: ReplaySelector = flags.referral
        ? { referralId: toReferralKey(flags.referral) }
        : flags.code
          ? { code: flags.code }
          : { all: true };
      const config = configFromFlags(flags);
      const backend = await openExistingBackend(config);
      try {
        const count = await backend.queue.replay(selector);
        process.stdout.write(`${count} dead-lettered sync${count === 1 ? '' : 's'} queued again\n`);
      } finally {
        await backend.close();
      }
    });
}
