/**
 * Which referrals the connector syncs at all (`sync.select`): their direction, their status, how
 * recently they were created. One pure predicate that the sync itself, the reconciler and `backfill` all
 * apply, so a partner says "only incoming referrals" once.
 *
 * Direction and creation time never change, so they decide once and for all. Status does change: it
 * decides which referrals get a lead, and a referral that already has one keeps syncing whatever its
 * status becomes, or its lead would never learn that the referral was won or lost.
 */
import { toUtcInstant } from '../core/utc-instant.ts';

export const SELECTABLE_DIRECTIONS = ['incoming', 'outgoing', 'all'] as const;
export type SelectableDirection = (typeof SELECTABLE_DIRECTIONS)[number];

/** The lifecycle statuses (`None` is the enum's zero value, never a referral's state). */
export const SELECTABLE_STATUSES = ['New', 'Active', 'Closed'] as const;
export type SelectableStatus = (typeof SELECTABLE_STATUSES)[number];

export type SelectionPolicy = {
  direction: SelectableDirection;
  statuses: readonly SelectableStatus[];
  /** ISO-8601 date or instant; referrals created before it are left alone. */
  createdAfter?: string | undefined;
};

/** What the connector did before the policy existed: everything. */
export const SELECT_ALL: SelectionPolicy = { direction: 'all', statuses: SELECTABLE_STATUSES };

/** The fields the policy reads; a listed or a fetched referral has them. */
export type SelectableReferral = {
  direction?: string | null;
  status: string;
  createdDateTime?: string | null;
};

/** The rule that left a referral out. */
export type SelectionRule = 'direction' | 'status' | 'created-before';

export type Selection = { selected: true } | { selected: false; rule: SelectionRule };

/**
 * Whether the policy syncs this referral. `linked`: it already has a lead (a stored link), which keeps it
 * syncing through status changes. An unreadable creation time does not exclude a referral: leaving one
 * out on a malformed date would lose it silently, while syncing it costs one lead the partner can see.
 */
export function selectReferral(
  referral: SelectableReferral,
  policy: SelectionPolicy,
  linked: boolean,
): Selection {
  if (policy.direction !== 'all' && referral.direction?.toLowerCase() !== policy.direction) {
    return { selected: false, rule: 'direction' };
  }
  if (!linked && !policy.statuses.includes(referral.status as SelectableStatus)) {
    return { selected: false, rule: 'status' };
  }
  const after = instantOf(policy.createdAfter);
  const created = toUtcInstant(referral.createdDateTime);
  if (after !== null && created !== null && created < after) {
    return { selected: false, rule: 'created-before' };
  }
  return { selected: true };
}

/**
 * The part of the policy Partner Center can filter on itself (`$filter` clause, or null). Only the
 * direction: it is documented as filterable and never changes, so a referral cannot leave the filtered
 * set between two pages (the API pages by offset as far as anyone knows, and a referral leaving the set
 * would make the next page skip one that did not change). Status is documented as filterable too, but
 * it changes, so it is checked here instead; creation time is not documented as filterable at all.
 */
export function serverFilterOf(policy: Pick<SelectionPolicy, 'direction'>): string | null {
  if (policy.direction === 'all') return null;
  return `direction eq '${policy.direction === 'incoming' ? 'Incoming' : 'Outgoing'}'`;
}

/** `2026-01-01` is midnight UTC; any other form as `toUtcInstant` reads it. */
function instantOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  return toUtcInstant(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}
