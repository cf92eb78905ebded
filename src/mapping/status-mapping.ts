import { z } from 'zod';
import { LEAD_PHASES, type LeadPhase } from '../core/lead.ts';
import {
  isLegalTransition,
  parseStatusPairKey,
  STATUS_PAIR_KEYS,
  type StatusPairKey,
} from '../core/referral-status.ts';

/** Where a referral in a given status should go; `keep` leaves status, substatus and reason alone. */
export type StatusTarget = StatusPairKey | 'keep';

/** For every lead phase × every valid referral status pair: the target. Complete on purpose. */
export type StatusMappingTable = {
  readonly [P in LeadPhase]: { readonly [K in StatusPairKey]: StatusTarget };
};

export type StatusMapping = {
  table: StatusMappingTable;
  /** Send the lead's reason (e.g. why it was disqualified) as `statusReason` when closing the referral. */
  writeStatusReason: boolean;
  /**
   * Replace an `externalReferenceId` that holds another value (another CRM record, another integration).
   * With two integrations on one tenant this can ping-pong; turn it off to only fill an empty one.
   */
  replaceExternalReferenceId: boolean;
};

const KEEP_CLOSED = {
  'Closed/Won': 'keep',
  'Closed/Lost': 'keep',
  'Closed/Declined': 'keep',
  'Closed/Expired': 'keep',
} as const;

/**
 * Accepting a referral is the seller's decision, so an open lead never moves it; qualifying the lead is
 * that decision. Disqualifying declines a referral not yet accepted and loses an accepted one. A Closed
 * referral is final (and Partner Center only allows Closed → Closed anyway).
 */
export const defaultStatusTable: StatusMappingTable = {
  open: { 'New/Pending': 'keep', 'New/Received': 'keep', 'Active/Accepted': 'keep', ...KEEP_CLOSED },
  qualified: {
    'New/Pending': 'Active/Accepted',
    'New/Received': 'Active/Accepted',
    'Active/Accepted': 'keep',
    ...KEEP_CLOSED,
  },
  disqualified: {
    'New/Pending': 'Closed/Declined',
    'New/Received': 'Closed/Declined',
    'Active/Accepted': 'Closed/Lost',
    ...KEEP_CLOSED,
  },
};

export const defaultStatusMapping: StatusMapping = {
  table: defaultStatusTable,
  writeStatusReason: true,
  replaceExternalReferenceId: true,
};

const statusTargetSchema = z.enum([...STATUS_PAIR_KEYS, 'keep']);
const phaseOverridesSchema = z.partialRecord(z.enum(STATUS_PAIR_KEYS), statusTargetSchema);

/** The config shape for overriding the defaults; unknown phases or pairs are rejected by name. */
export const statusMappingOverridesSchema = z.strictObject({
  table: z.partialRecord(z.enum(LEAD_PHASES), phaseOverridesSchema).optional(),
  writeStatusReason: z.boolean().optional(),
  replaceExternalReferenceId: z.boolean().optional(),
});
export type StatusMappingOverrides = z.input<typeof statusMappingOverridesSchema>;

export type StatusMappingProblem = {
  code: 'illegal_transition' | 'closed_is_final';
  phase: LeadPhase;
  from: StatusPairKey;
  to: StatusPairKey;
};

/** Rows that could never be applied: a move §2.4 forbids, or any move out of a Closed referral. */
export function findStatusMappingProblems(table: StatusMappingTable): StatusMappingProblem[] {
  return LEAD_PHASES.flatMap((phase) =>
    STATUS_PAIR_KEYS.flatMap((from): StatusMappingProblem[] => {
      const to = table[phase][from];
      if (to === 'keep' || to === from) return [];
      if (parseStatusPairKey(from).status === 'Closed') return [{ code: 'closed_is_final', phase, from, to }];
      if (!isLegalTransition(parseStatusPairKey(from), parseStatusPairKey(to))) {
        return [{ code: 'illegal_transition', phase, from, to }];
      }
      return [];
    }),
  );
}

export class StatusMappingInvalidError extends Error {
  readonly code = 'status_mapping_invalid';
  readonly problems: readonly StatusMappingProblem[];

  constructor(problems: readonly StatusMappingProblem[]) {
    const rows = problems.map((p) => `${p.phase}: ${p.from} → ${p.to} (${p.code})`).join('; ');
    super(`the lead → referral status mapping has rows that can never apply: ${rows}`);
    this.name = 'StatusMappingInvalidError';
    this.problems = problems;
  }
}

/** Defaults overlaid with validated overrides; throws `StatusMappingInvalidError` for unusable rows. */
export function resolveStatusMapping(overrides: StatusMappingOverrides = {}): StatusMapping {
  const parsed = statusMappingOverridesSchema.parse(overrides);
  const table = {
    open: { ...defaultStatusTable.open, ...parsed.table?.open },
    qualified: { ...defaultStatusTable.qualified, ...parsed.table?.qualified },
    disqualified: { ...defaultStatusTable.disqualified, ...parsed.table?.disqualified },
  };
  const problems = findStatusMappingProblems(table);
  if (problems.length > 0) throw new StatusMappingInvalidError(problems);
  return {
    table,
    writeStatusReason: parsed.writeStatusReason ?? defaultStatusMapping.writeStatusReason,
    replaceExternalReferenceId:
      parsed.replaceExternalReferenceId ?? defaultStatusMapping.replaceExternalReferenceId,
  };
}
