/**
 * Which referrals one `backfill` run takes: the configured selection policy (`sync.select`, the same one
 * the sync and the reconciler apply) narrowed by the command's flags. The flags only narrow: they can
 * leave out what the policy selects, never bring in what it leaves out, since the sync would skip it.
 */
import { toUtcInstant } from '../core/utc-instant.ts';
import {
  SELECT_ALL,
  SELECTABLE_DIRECTIONS,
  SELECTABLE_STATUSES,
  type SelectableDirection,
  type SelectableReferral,
  type SelectableStatus,
  type SelectionPolicy,
  type SelectionRule,
  selectReferral,
  serverFilterOf,
} from '../sync/selection-policy.ts';

export type BackfillFilters = {
  /** Created at or after (ISO-8601 date or instant). */
  since?: string;
  statuses?: readonly SelectableStatus[];
  direction?: SelectableDirection;
  /** Only the first N selected referrals, oldest first. */
  limit?: number;
};

export type BackfillSelection = { policy: SelectionPolicy; filters: BackfillFilters };

export type BackfillSelectionResult =
  | { selected: true }
  | { selected: false; rule: SelectionRule; by: 'policy' | 'flags' };

/**
 * Whether the run takes this referral. The policy keeps a linked referral through status changes (so
 * its lead follows it); the flags do not, because `--status New` asks for exactly those.
 */
export function selectForBackfill(
  referral: SelectableReferral,
  selection: BackfillSelection,
  linked: boolean,
): BackfillSelectionResult {
  const byPolicy = selectReferral(referral, selection.policy, linked);
  if (!byPolicy.selected) return { ...byPolicy, by: 'policy' };
  const byFlags = selectReferral(referral, flagsPolicy(selection.filters), false);
  if (!byFlags.selected) return { ...byFlags, by: 'flags' };
  return { selected: true };
}

/**
 * The `$filter` for the listing: the direction both the policy and the flags allow. `{ empty: true }`
 * when they contradict each other (policy incoming, flag outgoing): nothing can be selected.
 */
export function backfillServerFilter(
  selection: BackfillSelection,
): { empty: true } | { empty: false; filter: string | null } {
  const policy = selection.policy.direction;
  const flag = selection.filters.direction ?? 'all';
  if (policy !== 'all' && flag !== 'all' && policy !== flag) return { empty: true };
  return { empty: false, filter: serverFilterOf({ direction: policy === 'all' ? flag : policy }) };
}

/** A stable text naming the selection, so a rerun knows whether it continues the same backfill. */
export function selectionKey(selection: BackfillSelection): string {
  const { policy, filters } = selection;
  return JSON.stringify({
    policy: {
      direction: policy.direction,
      statuses: [...policy.statuses].sort(),
      createdAfter: policy.createdAfter ?? null,
    },
    flags: {
      since: filters.since ?? null,
      statuses: filters.statuses ? [...filters.statuses].sort() : null,
      direction: filters.direction ?? null,
      limit: filters.limit ?? null,
    },
  });
}

export type BackfillFlags = {
  since?: string | undefined;
  status?: string | undefined;
  direction?: string | undefined;
  limit?: string | undefined;
};

/** Reads the command's flags; a bad one is a `TypeError` naming the flag and what it takes. */
export function parseBackfillFlags(flags: BackfillFlags): BackfillFilters {
  const filters: BackfillFilters = {};
  if (flags.since !== undefined) {
    const since = flags.since.trim();
    const readable = /^\d{4}-\d{2}-\d{2}$/.test(since)
      ? toUtcInstant(`${since}T00:00:00Z`)
      : toUtcInstant(since);
    if (readable === null) {
      throw new TypeError(`--since takes a date (2026-01-31) or an ISO-8601 instant, got "${flags.since}"`);
    }
    filters.since = since;
  }
  if (flags.status !== undefined) {
    const statuses = flags.status.split(',').map((part) => part.trim());
    const canonical = statuses.map((status) =>
      SELECTABLE_STATUSES.find((known) => known.toLowerCase() === status.toLowerCase()),
    );
    if (statuses.length === 0 || canonical.some((status) => status === undefined)) {
      throw new TypeError(
        `--status takes a comma-separated list of ${SELECTABLE_STATUSES.join(', ')}, got "${flags.status}"`,
      );
    }
    filters.statuses = [...new Set(canonical as SelectableStatus[])];
  }
  if (flags.direction !== undefined) {
    const direction = flags.direction.trim().toLowerCase();
    if (!(SELECTABLE_DIRECTIONS as readonly string[]).includes(direction)) {
      throw new TypeError(`--direction takes ${SELECTABLE_DIRECTIONS.join(', ')}, got "${flags.direction}"`);
    }
    filters.direction = direction as SelectableDirection;
  }
  if (flags.limit !== undefined) {
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new TypeError(`--limit takes a whole number of referrals, 1 or more, got "${flags.limit}"`);
    }
    filters.limit = limit;
  }
  return filters;
}

function flagsPolicy(filters: BackfillFilters): SelectionPolicy {
  return {
    direction: filters.direction ?? SELECT_ALL.direction,
    statuses: filters.statuses ?? SELECT_ALL.statuses,
    createdAfter: filters.since,
  };
}
