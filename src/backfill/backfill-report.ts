/**
 * What `backfill` prints (pure): the dry run's plan, and a finished run's summary and exit code.
 */
import type { BackfillDecisionKind } from './decide-backfill.ts';
import { type BackfillPlan, skipLabel } from './plan-backfill.ts';
import { formatDuration } from './progress-reporter.ts';
import type { BackfillRunResult } from './run-backfill.ts';
import type { ScannedReferral } from './scan-referrals.ts';

const number = new Intl.NumberFormat('en-US');
const n = (value: number) => number.format(value);

const MEANING: Record<BackfillDecisionKind, string> = {
  create: 'no lead yet: the sync creates one',
  update: 'the referral changed since its last sync: the sync updates its lead',
  nothing: 'already synced at this version',
  'dead-lettered': 'an earlier sync gave up (see `status`; `replay` retries)',
  skip: 'left out by the selection',
};
const ORDER: readonly BackfillDecisionKind[] = ['create', 'update', 'nothing', 'dead-lettered', 'skip'];

export function formatPlan(plan: BackfillPlan): string {
  const lines = [`Dry run: ${n(plan.listed)} referrals listed; nothing was written anywhere.`, ''];
  for (const kind of ORDER) {
    lines.push(`  ${kind.padEnd(14)}${n(plan.counts[kind]).padStart(8)}  ${MEANING[kind]}`);
  }
  const skips = Object.entries(plan.skippedBy);
  if (skips.length > 0)
    lines.push(`  skipped by: ${skips.map(([why, count]) => `${why} ${n(count)}`).join(', ')}`);
  const dead = Object.entries(plan.deadByCode);
  if (dead.length > 0)
    lines.push(`  dead letters: ${dead.map(([code, count]) => `${code} ${n(count)}`).join(', ')}`);
  lines.push(
    plan.crmReads === null
      ? '  (the CRM was not asked: `create` means no link in the store; --check-crm asks the CRM, one read each)'
      : `  (the CRM was asked whether a lead exists: ${n(plan.crmReads)} reads)`,
  );
  for (const kind of ORDER) {
    const samples = plan.samples[kind];
    if (samples.length === 0) continue;
    lines.push('', `First ${kind}:`);
    for (const entry of samples) lines.push(`  ${describeReferral(entry)}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeReferral({ referral, decision }: ScannedReferral): string {
  const why =
    decision.kind === 'skip'
      ? `  [${skipLabel(decision.by, decision.rule)}]`
      : decision.kind === 'dead-lettered'
        ? `  [${decision.code}]`
        : decision.kind === 'update' && decision.why === 'lead-without-link'
          ? '  [lead in the CRM, no link]'
          : '';
  const created = referral.createdDateTime?.slice(0, 10) ?? '?';
  return [
    referral.id,
    `${referral.status}/${referral.substatus}`,
    referral.direction ?? '?',
    `created ${created}`,
    referral.name ?? '',
  ]
    .join('  ')
    .concat(why)
    .trimEnd();
}

export function formatRunSummary(result: BackfillRunResult, elapsedMs: number): string {
  const { syncs, counts } = result;
  const head = {
    complete: 'Backfill complete',
    interrupted: 'Backfill interrupted: no more syncs enqueued; run it again to continue',
    failed: `Backfill failed (${result.error?.code ?? 'error'}): ${result.error?.message ?? ''}`,
  }[result.outcome];
  const lines = [`${head}.`];
  if (result.resumed) {
    lines.push(
      `  continued the backfill started ${result.resumed.startedAt} (it had listed ${n(result.resumed.listed)} referrals and enqueued ${n(result.resumed.enqueued)} syncs)`,
    );
  }
  lines.push(
    `  listed ${n(result.listed)} referrals: ${ORDER.map((kind) => `${kind} ${n(counts[kind])}`).join(', ')}`,
    `  syncs enqueued ${n(syncs.tracked)}: synced ${n(syncs.synced)}, dead-lettered ${n(syncs.deadLettered)}, still queued ${n(syncs.outstanding)}` +
      (syncs.leftOut > 0 ? `, left out by the syncing process's sync.select ${n(syncs.leftOut)}` : ''),
  );
  const dead = { ...result.alreadyDeadByCode };
  for (const [code, count] of Object.entries(syncs.deadByCode)) dead[code] = (dead[code] ?? 0) + count;
  const deadEntries = Object.entries(dead);
  if (deadEntries.length > 0) {
    lines.push(
      `  dead-lettered by reason: ${deadEntries.map(([code, count]) => `${code} ${n(count)}`).join(', ')} (\`status\` lists them, \`replay\` retries)`,
    );
  }
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? ` (${(syncs.synced / seconds).toFixed(1)} syncs/s)` : '';
  const doneBy =
    syncs.tracked === 0
      ? ''
      : `, syncs done by ${result.ranOwnWorkers ? 'this process' : 'the serve working this store'}`;
  lines.push(`  took ${formatDuration(seconds)}${rate}${doneBy}`);
  if (result.outcome !== 'complete' && syncs.outstanding > 0) {
    lines.push(
      `  the ${n(syncs.outstanding)} still queued stay queued: a serve, or the next backfill, syncs them`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * 0 only when every selected referral ended synced or dead-lettered with its reason; 130 when
 * interrupted (the shell's code for Ctrl-C); 1 otherwise.
 */
export function exitCodeOf(result: BackfillRunResult): number {
  if (result.outcome === 'interrupted') return 130;
  if (result.outcome === 'failed') return 1;
  return result.syncs.outstanding === 0 && result.syncs.leftOut === 0 ? 0 : 1;
}
