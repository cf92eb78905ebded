import type { Command } from 'commander';
import type { BackendDescription } from '../store/ports.ts';
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
        const described = await backend.describe();
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ ...status, recentDeadLetters: dead, backend: described })}\n`,
          );
          return;
        }
        const { jobs } = status;
        const lines = [
          ...formatBackend(described, Date.now()),
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

/** Where the data lives; on PostgreSQL, each instance working it and the passes it leads. */
function formatBackend(backend: BackendDescription, now: number): string[] {
  if (backend.kind === 'sqlite') return [`store      SQLite ${backend.path}`];
  return [
    `store      PostgreSQL ${backend.server}, schema ${backend.schema}, ${backend.instances.length} instance${backend.instances.length === 1 ? '' : 's'}`,
    ...backend.instances.map((instance) => {
      const leads = instance.leading.length > 0 ? `, leads ${instance.leading.join(', ')}` : '';
      const beat = Math.max(0, Math.round((now - instance.heartbeatAt.getTime()) / 1000));
      return `  ${instance.host} pid ${instance.pid}, heartbeat ${beat} s ago${leads}`;
    }),
  ];
}
