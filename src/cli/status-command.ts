import type { Command } from 'commander';
import { openExistingBackend } from '../wiring/open-backend.ts';
import { type ConfigFlags, configFromFlags, withConfigFlags } from './cli-config.ts';

export function registerStatusCommand(program: Command): void {
  withConfigFlags(
    program.command('status').description('show the queue, the last sync and the failures by reason'),
  )
    .option('--json', 'print one JSON object')
    .action(async (flags: ConfigFlags & { json?: boolean }) => {
      const config = configFromFlags(flags);
      const backend = await openExistingBackend(config);
      try {
        const status = await backend.store.status();
        const dead = await backend.queue.deadLetters({ limit: 10 });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...status, recentDeadLetters: dead })}\n`);
          return;
        }
        const { jobs } = status;
        const lines = [
          `inbox      ${status.inbox.total} callbacks, last ${status.inbox.lastReceivedAt ?? 'never'}`,
          `links      ${status.links.total} referrals linked to leads, last sync ${status.links.lastSyncedAt ?? 'never'}`,
          `queue      ${jobs.pending} pending (${jobs.due} due, ${jobs.scheduled} scheduled), ${jobs.running} running`,
          `failures   ${jobs.dead} dead-lettered${formatCodes(jobs.deadByCode)}`,
          ...dead.map((d) => `  ${d.referralId}  ${d.error.code}  ${d.error.message.slice(0, 100)}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await backend.close();
      }
    });
}

function formatCodes(byCode: Record<string, number>): string {
  const entries = Object.entries(byCode);
  return entries.length === 0 ? '' : ` (${entries.map(([code, n]) => `${code}: ${n}`).join(', ')})`;
}
