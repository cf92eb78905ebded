/**
 * `backfill --dry-run`: lists and decides exactly as a backfill would, and writes nothing anywhere (no
 * job, no cursor, no CRM or Partner Center write). Asking the CRM whether leads exist is optional: it
 * costs one CRM read per referral without a link, counted in the plan.
 */
import type { LeadState, ReferralKey } from '../core/index.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { JobQueue, Store } from '../store/ports.ts';
import type { BackfillSelection } from './backfill-selection.ts';
import { type BackfillDecisionKind, DECISION_KINDS } from './decide-backfill.ts';
import { type ScannedReferral, scanReferrals } from './scan-referrals.ts';

export type BackfillPlan = {
  listed: number;
  counts: Record<BackfillDecisionKind, number>;
  /** Skips by who left the referral out and why, e.g. `policy: direction`, `--status`. */
  skippedBy: Record<string, number>;
  /** Referrals already dead-lettered, by code. */
  deadByCode: Record<string, number>;
  /** The first few of each decision, in listing order. */
  samples: Record<BackfillDecisionKind, ScannedReferral[]>;
  /** CRM reads made to tell `create` from an unlinked lead; null when the CRM was not asked. */
  crmReads: number | null;
};

export async function planBackfill(
  selection: BackfillSelection,
  deps: {
    referrals: Pick<ReferralsClient, 'list'>;
    store: Pick<Store, 'getLink'>;
    queue: Pick<JobQueue, 'deadLetters'>;
    /** The CRM's `readLead`, when the dry run is to ask it. */
    readLead?: (key: ReferralKey) => Promise<LeadState | null>;
    samplesPerDecision?: number;
  },
): Promise<BackfillPlan> {
  const samplesPerDecision = deps.samplesPerDecision ?? 5;
  const deadLetterCodes = new Map(
    (await deps.queue.deadLetters()).map((letter) => [letter.referralId, letter.error.code] as const),
  );
  const readLead = deps.readLead;
  let crmReads = 0;
  const plan: BackfillPlan = {
    listed: 0,
    counts: Object.fromEntries(DECISION_KINDS.map((kind) => [kind, 0])) as BackfillPlan['counts'],
    skippedBy: {},
    deadByCode: {},
    samples: Object.fromEntries(
      DECISION_KINDS.map((kind) => [kind, []]),
    ) as unknown as BackfillPlan['samples'],
    crmReads: readLead ? 0 : null,
  };
  for await (const page of scanReferrals(selection, {
    referrals: deps.referrals,
    store: deps.store,
    deadLetterCodes,
    ...(readLead
      ? {
          leadExists: async (key: ReferralKey) => {
            crmReads += 1;
            return (await readLead(key)) !== null;
          },
        }
      : {}),
  })) {
    for (const entry of page) {
      const { decision } = entry;
      plan.listed += 1;
      plan.counts[decision.kind] += 1;
      if (plan.samples[decision.kind].length < samplesPerDecision) plan.samples[decision.kind].push(entry);
      if (decision.kind === 'skip') {
        const why = skipLabel(decision.by, decision.rule);
        plan.skippedBy[why] = (plan.skippedBy[why] ?? 0) + 1;
      }
      if (decision.kind === 'dead-lettered') {
        plan.deadByCode[decision.code] = (plan.deadByCode[decision.code] ?? 0) + 1;
      }
    }
  }
  if (readLead) plan.crmReads = crmReads;
  return plan;
}

/** `policy: direction` (sync.select) or the flag of this run that left the referral out. */
export function skipLabel(by: 'policy' | 'flags', rule: string): string {
  if (by === 'policy') return `sync.select (${rule})`;
  return rule === 'direction' ? '--direction' : rule === 'status' ? '--status' : '--since';
}
