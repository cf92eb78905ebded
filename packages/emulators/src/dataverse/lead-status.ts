/**
 * The lead status model (spec A4): statecode Open/Qualified/Disqualified, each with its own statuscode
 * values and a default. Pure rules; callers turn a StatusRuleViolation into the service's error.
 */

export const LEAD_STATES: Readonly<Record<number, string>> = { 0: 'Open', 1: 'Qualified', 2: 'Disqualified' };

export const LEAD_STATUSES: Readonly<Record<number, string>> = {
  1: 'New',
  2: 'Contacted',
  3: 'Qualified',
  4: 'Lost',
  5: 'Cannot Contact',
  6: 'No Longer Interested',
  7: 'Canceled',
};

const STATUSES_BY_STATE: Readonly<Record<number, readonly number[]>> = { 0: [1, 2], 1: [3], 2: [4, 5, 6, 7] };
const STATE_ENUM_NAMES: Readonly<Record<number, string>> = {
  0: 'LeadState.Open',
  1: 'LeadState.Qualified',
  2: 'LeadState.Disqualified',
};

export const OPEN = 0;
export const QUALIFIED = 1;

export type LeadStatus = { statecode: number; statuscode: number };

export type StatusRuleViolation =
  | { kind: 'statecode-on-create' }
  | { kind: 'invalid-pair'; statecode: number; statuscode: number }
  | { kind: 'unknown-state'; statecode: number };

export type StatusDecision = { ok: true; status: LeadStatus } | { ok: false; violation: StatusRuleViolation };

export function defaultStatusOf(statecode: number): number | undefined {
  return STATUSES_BY_STATE[statecode]?.[0];
}

export function stateOfStatus(statuscode: number): number | undefined {
  for (const [state, statuses] of Object.entries(STATUSES_BY_STATE)) {
    if (statuses.includes(statuscode)) return Number(state);
  }
  return undefined;
}

export function isValidPair(statecode: number, statuscode: number): boolean {
  return STATUSES_BY_STATE[statecode]?.includes(statuscode) ?? false;
}

/** A new lead starts Open; statecode is not valid for create, an Open statuscode is. */
export function statusOnCreate(requested: { statecode?: number; statuscode?: number }): StatusDecision {
  if (requested.statecode !== undefined) return { ok: false, violation: { kind: 'statecode-on-create' } };
  const statuscode = requested.statuscode ?? 1;
  if (!isValidPair(OPEN, statuscode)) {
    return { ok: false, violation: { kind: 'invalid-pair', statecode: OPEN, statuscode } };
  }
  return { ok: true, status: { statecode: OPEN, statuscode } };
}

/**
 * statecode alone gets that state's default status; statuscode alone moves to the state it belongs to
 * (our reading of Update-with-status; see README); both must be a valid pair.
 */
export function statusOnUpdate(
  current: LeadStatus,
  requested: { statecode?: number; statuscode?: number },
): StatusDecision {
  const { statecode, statuscode } = requested;
  if (statecode === undefined && statuscode === undefined) {
    return { ok: true, status: { statecode: current.statecode, statuscode: current.statuscode } };
  }
  if (statecode !== undefined && LEAD_STATES[statecode] === undefined) {
    return { ok: false, violation: { kind: 'unknown-state', statecode } };
  }
  if (statecode !== undefined && statuscode === undefined) {
    return { ok: true, status: { statecode, statuscode: defaultStatusOf(statecode) ?? 1 } };
  }
  const status = statuscode as number;
  const state = statecode ?? stateOfStatus(status) ?? current.statecode;
  if (!isValidPair(state, status))
    return { ok: false, violation: { kind: 'invalid-pair', statecode: state, statuscode: status } };
  return { ok: true, status: { statecode: state, statuscode: status } };
}

export function isClosed(status: LeadStatus): boolean {
  return status.statecode !== OPEN;
}

export function invalidPairMessage(statecode: number, statuscode: number, leadid: string): string {
  const state = STATE_ENUM_NAMES[statecode] ?? `${statecode}`;
  return `${statuscode} is not a valid status code for state code ${state} on lead with Id ${leadid}.`;
}
