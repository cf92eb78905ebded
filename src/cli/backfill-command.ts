import type { Command } from 'commander';
import { exitCodeOf, formatPlan, formatRunSummary } from '../backfill/backfill-report.ts';
import { type BackfillFlags, parseBackfillFlags } from '../backfill/backfill-selection.ts';
import { planBackfill } from '../backfill/plan-backfill.ts';
import { createProgressReporter } from '../backfill/progress-reporter.ts';
import { runBackfill } from '../backfill/run-backfill.ts';
import { createLogger } from '../observability/logger.ts';
import { startSyncWorkers } from '../wiring/start-sync-workers.ts';
import { openSyncParts } from '../wiring/sync-parts.ts';
import { type ConfigFlags, configFromFlags, withConfigFlags } from './cli-config.ts';

type Flags = ConfigFlags & BackfillFlags & { dryRun?: boolean; checkCrm?: boolean };

/**
 * Syncs the referrals that exist already (a partner adopting the connector has hundreds open): see
 * src/backfill/run-backfill.ts. Progress goes to stderr, the summary to stdout.
 */
export function registerBackfillCommand(program: Command): void {
  withConfigFlags(
    program
      .command('backfill')
      .description('sync the referrals Partner Center holds already, at the CRM’s pace; resumable'),
  )
    .option('--since <date>', 'only referrals created at or after this date (2026-01-31) or ISO-8601 instant')
    .option('--status <list>', 'only referrals in these statuses, e.g. New,Active (of New, Active, Closed)')
    .option('--direction <which>', 'only incoming, outgoing or all referrals (default: all)')
    .option('--limit <n>', 'only the first N referrals selected, oldest first')
    .option('--dry-run', 'decide what each sync would do and print the counts; write nothing anywhere')
    .option(
      '--check-crm',
      'with --dry-run: ask the CRM whether a lead exists (one read per unlinked referral)',
    )
    .action(async (flags: Flags) => {
      const filters = parseBackfillFlags(flags);
      if (flags.checkCrm && !flags.dryRun) throw new TypeError('--check-crm goes with --dry-run');
      const config = configFromFlags(flags);
      const selection = { policy: config.sync.select, filters };
      const logger = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level });
      const parts = await openSyncParts(config, { logger, readOnly: flags.dryRun === true });
      try {
        if (flags.dryRun) {
          const crm = flags.checkCrm ? parts.crm() : undefined;
          const plan = await planBackfill(selection, {
            referrals: parts.referrals,
            store: parts.backend.store,
            queue: parts.backend.queue,
            ...(crm ? { readLead: (key) => crm.readLead(key) } : {}),
          });
          process.stdout.write(formatPlan(plan));
          return;
        }
        const interrupt = new AbortController();
        const onSignal = () => {
          // A second Ctrl-C does not wait for running syncs: their leases bring them back later.
          if (interrupt.signal.aborted) process.exit(130);
          process.stderr.write(
            '\nstopping: no more syncs enqueued, running ones finish (Ctrl-C again to quit now)\n',
          );
          interrupt.abort();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        const progress = createProgressReporter({
          write: (text) => process.stderr.write(text),
          tty: process.stderr.isTTY === true,
        });
        const started = Date.now();
        try {
          const result = await runBackfill(selection, {
            referrals: parts.referrals,
            store: parts.backend.store,
            queue: parts.backend.queue,
            startWorkers: () =>
              startSyncWorkers(
                config,
                { backend: parts.backend, referrals: parts.referrals, crm: parts.crm() },
                { logger, kind: 'backfill' },
              ),
            logger,
            signal: interrupt.signal,
            onProgress: (snapshot) => progress.update(snapshot),
          });
          progress.done({
            listing: false,
            listed: result.listed,
            toSync: result.syncs.tracked,
            settled: result.syncs.synced + result.syncs.deadLettered + result.syncs.leftOut,
            deadLettered: result.syncs.deadLettered,
          });
          process.stdout.write(formatRunSummary(result, Date.now() - started));
          process.exitCode = exitCodeOf(result);
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      } finally {
        await parts.close();
      }
    });
}
