/**
 * What a sync would do for one listed referral (pure): the decision `backfill` counts, prints in a dry
 * run, and acts on otherwise. Only `create` and `update` enqueue a sync.
 */
import type { Link } from '../store/ports.ts';
import type { SelectionRule } from '../sync/selection-policy.ts';
import { type BackfillSelection, selectForBackfill } from './backfill-selection.ts';

export type BackfillDecision =
  /** The selection leaves it out (the policy, or a flag of this run). */
  | { kind: 'skip'; rule: SelectionRule; by: 'policy' | 'flags' }
  /** Already synced at this version (its eTag). */
  | { kind: 'nothing' }
  /** An earlier sync gave up on it; `replay` retries it, a backfill does not. */
  | { kind: 'dead-lettered'; code: string }
  /**
   * `changed`: linked, and the referral changed since the last sync. `lead-without-link`: no link, but
   * the CRM already has its lead (known only when a dry run asks the CRM): the sync updates that lead.
   */
  | { kind: 'update'; why: 'changed' | 'lead-without-link' }
  /** No link (and, when the CRM was asked, no lead there either): the sync creates the lead. */
  | { kind: 'create' };

export type BackfillDecisionKind = BackfillDecision['kind'];
export const DECISION_KINDS: readonly BackfillDecisionKind[] = [
  'create',
  'update',
  'nothing',
  'dead-lettered',
  'skip',
];

/** The listed referral as the decision reads it. */
export type DecidableReferral = {
  eTag: string;
  status: string;
  direction?: string | null;
  createdDateTime?: string | null;
};

export type DecisionInputs = {
  link: Link | null;
  /** The referral's dead letter, if it has one. */
  deadLetterCode: string | null;
  /** Whether the CRM holds a lead for it; undefined when the CRM was not asked. */
  leadInCrm?: boolean | undefined;
};

export function decideBackfill(
  referral: DecidableReferral,
  inputs: DecisionInputs,
  selection: BackfillSelection,
): BackfillDecision {
  const selected = selectForBackfill(referral, selection, inputs.link !== null);
  if (!selected.selected) return { kind: 'skip', rule: selected.rule, by: selected.by };
  // The sync records the eTag it left the referral at (after its write-back): listed at that eTag, the
  // referral has not changed since.
  if (inputs.link?.lastReferralETag === referral.eTag) return { kind: 'nothing' };
  if (inputs.deadLetterCode !== null) return { kind: 'dead-lettered', code: inputs.deadLetterCode };
  if (inputs.link) return { kind: 'update', why: 'changed' };
  if (inputs.leadInCrm === true) return { kind: 'update', why: 'lead-without-link' };
  return { kind: 'create' };
}

export function needsSync(decision: BackfillDecision): boolean {
  return decision.kind === 'create' || decision.kind === 'update';
}
