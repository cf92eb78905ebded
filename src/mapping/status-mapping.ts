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

/** A row of overrides: for some referral status pairs, the target. */
export type StatusMappingRow = { readonly [K in StatusPairKey]?: StatusTarget };

export type StatusMapping = {
  table: StatusMappingTable;
  /**
   * Rows by the CRM's own status value (`LeadState.crmStatus`: a Dataverse statuscode such as "7", a
   * Salesforce Lead Status such as "Working - Contacted"), laid over the row of the lead's phase.
   */
  crmStatus: Readonly<Record<string, StatusMappingRow>>;
  /** `statusReason` by the CRM's own status, written instead of the lead's own reason. */
  reasons: Readonly<Record<string, string>>;
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
  crmStatus: {},
  reasons: {},
  writeStatusReason: true,
  replaceExternalReferenceId: true,
};

const statusTargetSchema = z.enum([...STATUS_PAIR_KEYS, 'keep']);
const phaseOverridesSchema = z.partialRecord(z.enum(STATUS_PAIR_KEYS), statusTargetSchema);

/** The config shape for overriding the defaults; unknown phases or pairs are rejected by name. */
export const statusMappingOverridesSchema = z.strictObject({
  table: z.partialRecord(z.enum(LEAD_PHASES), phaseOverridesSchema).optional(),
  crmStatus: z.record(z.string().min(1), phaseOverridesSchema).optional(),
  reasons: z.record(z.string().min(1), z.string().trim().min(1)).optional(),
  writeStatusReason: z.boolean().optional(),
  replaceExternalReferenceId: z.boolean().optional(),
});
export type StatusMappingOverrides = z.input<typeof statusMappingOverridesSchema>;

/** A row that could never apply; `phase` for a row of the table, `crmStatus` for a CRM status's row. */
export type StatusMappingProblem = {
  code: 'illegal_transition' | 'closed_is_final';
  phase?: LeadPhase;
  crmStatus?: string;
  from: StatusPairKey;
  to: StatusPairKey;
};

/** Rows that could never be applied: a move §2.4 forbids, or any move out of a Closed referral. */
export function findStatusMappingProblems(
  table: StatusMappingTable,
  crmStatus: StatusMapping['crmStatus'] = {},
): StatusMappingProblem[] {
  return [
    ...LEAD_PHASES.flatMap((phase) => rowProblems(table[phase], { phase })),
    ...Object.entries(crmStatus).flatMap(([status, row]) => rowProblems(row, { crmStatus: status })),
  ];
}

function rowProblems(
  row: StatusMappingRow,
  where: { phase: LeadPhase } | { crmStatus: string },
): StatusMappingProblem[] {
  return STATUS_PAIR_KEYS.flatMap((from): StatusMappingProblem[] => {
    const to = row[from];
    if (to === undefined || to === 'keep' || to === from) return [];
    const code = transitionProblem(from, to);
    return code ? [{ code, ...where, from, to }] : [];
  });
}

function transitionProblem(from: StatusPairKey, to: StatusPairKey): StatusMappingProblem['code'] | undefined {
  if (parseStatusPairKey(from).status === 'Closed') return 'closed_is_final';
  if (!isLegalTransition(parseStatusPairKey(from), parseStatusPairKey(to))) return 'illegal_transition';
  return undefined;
}

/** Why a problem row can never apply, in Partner Center's terms. */
export function describeStatusMappingProblem(problem: StatusMappingProblem): string {
  const move = `${problem.from} → ${problem.to}`;
  return problem.code === 'closed_is_final'
    ? `${move}: a Closed referral is final, Partner Center allows no move out of it`
    : `${move}: Partner Center does not allow a referral to move from ${parseStatusPairKey(problem.from).status} to ${parseStatusPairKey(problem.to).status}`;
}

export class StatusMappingInvalidError extends Error {
  readonly code = 'status_mapping_invalid';
  readonly problems: readonly StatusMappingProblem[];

  constructor(problems: readonly StatusMappingProblem[]) {
    const rows = problems
      .map((p) => `${p.phase ?? `CRM status ${p.crmStatus}`}: ${p.from} → ${p.to} (${p.code})`)
      .join('; ');
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
  const crmStatus = { ...defaultStatusMapping.crmStatus, ...parsed.crmStatus };
  const problems = findStatusMappingProblems(table, crmStatus);
  if (problems.length > 0) throw new StatusMappingInvalidError(problems);
  return {
    table,
    crmStatus,
    reasons: { ...defaultStatusMapping.reasons, ...parsed.reasons },
    writeStatusReason: parsed.writeStatusReason ?? defaultStatusMapping.writeStatusReason,
    replaceExternalReferenceId:
      parsed.replaceExternalReferenceId ?? defaultStatusMapping.replaceExternalReferenceId,
  };
}
