/**
 * Referral lifecycle as Partner Center enforces it (spec partner-center.md §2.4, [doc]). Data first, so
 * docs, config validation and the mapping all read the same table.
 */

export const REFERRAL_STATUSES = ['None', 'New', 'Active', 'Closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** `Error` is seen in one third-party filter only (unconfirmed), so it is deliberately not accepted. */
export const REFERRAL_SUBSTATUSES = [
  'None',
  'Pending',
  'Received',
  'Accepted',
  'Won',
  'Lost',
  'Declined',
  'Expired',
] as const;
export type ReferralSubstatus = (typeof REFERRAL_SUBSTATUSES)[number];

export type StatusPair = { status: ReferralStatus; substatus: ReferralSubstatus };

/**
 * Which substatus each status allows. `None` is the enum's zero value, not a lifecycle state: no
 * substatus makes it valid, so nothing may move from or to it.
 */
export const ALLOWED_SUBSTATUSES: Readonly<Record<ReferralStatus, readonly ReferralSubstatus[]>> = {
  None: [],
  New: ['Pending', 'Received'],
  Active: ['Accepted'],
  Closed: ['Won', 'Lost', 'Declined', 'Expired'],
};

/** Which status each status may move to. Closed is terminal (only Closed → Closed). */
export const ALLOWED_NEXT_STATUSES: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  None: [],
  New: ['New', 'Active', 'Closed'],
  Active: ['Active', 'Closed'],
  Closed: ['Closed'],
};

/** The valid pairs written as Partner Center shows them, e.g. `Active/Accepted`; used as table keys. */
export const STATUS_PAIR_KEYS = [
  'New/Pending',
  'New/Received',
  'Active/Accepted',
  'Closed/Won',
  'Closed/Lost',
  'Closed/Declined',
  'Closed/Expired',
] as const;
export type StatusPairKey = (typeof STATUS_PAIR_KEYS)[number];

export function isValidStatusPair(pair: StatusPair): boolean {
  return ALLOWED_SUBSTATUSES[pair.status].includes(pair.substatus);
}

/** Both ends must be valid pairs and the status move allowed by §2.4; staying put is legal. */
export function isLegalTransition(from: StatusPair, to: StatusPair): boolean {
  return (
    isValidStatusPair(from) && isValidStatusPair(to) && ALLOWED_NEXT_STATUSES[from.status].includes(to.status)
  );
}

export function isClosedStatus(status: ReferralStatus): boolean {
  return status === 'Closed';
}

/** The table key of a pair, or undefined when the pair is not valid. */
export function statusPairKey(pair: StatusPair): StatusPairKey | undefined {
  const key = `${pair.status}/${pair.substatus}`;
  return STATUS_PAIR_KEYS.find((candidate) => candidate === key);
}

export function parseStatusPairKey(key: StatusPairKey): StatusPair {
  const [status, substatus] = key.split('/') as [ReferralStatus, ReferralSubstatus];
  return { status, substatus };
}

export function sameStatusPair(a: StatusPair, b: StatusPair): boolean {
  return a.status === b.status && a.substatus === b.substatus;
}
