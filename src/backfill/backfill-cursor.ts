/**
 * Where a backfill stands, kept in the store (`Store.putCursor`) as it goes: which selection it runs,
 * how far its listing got (the last referral enqueued or known synced, in creation order), and whether
 * it finished. A run that finds an unfinished cursor of the same selection continues that backfill.
 *
 * A rerun lists from the start again all the same: it must see every selected referral to know that all
 * of them are synced, and listing costs one request per 100 referrals where a sync costs several. What
 * the interrupted run already synced is then "nothing" to do; what it had enqueued folds into the job
 * still pending (the queue coalesces per referral), and the lead is upserted on the referral key, so no
 * referral gets a second lead. The cursor makes the rerun report where the interrupted one stopped.
 */

/** The cursor name in the store. */
export const BACKFILL_CURSOR = 'cursor/backfill';

export type BackfillCursor = {
  /** `selectionKey` of the run's selection. */
  selection: string;
  /** ISO-8601: when this backfill (not this run of it) started. */
  startedAt: string;
  /** Referrals listed and handled (enqueued, or decided) so far. */
  listed: number;
  /** Syncs enqueued so far, all runs of this backfill together. */
  enqueued: number;
  /** The last referral handled, in listing order. */
  last: { id: string; createdDateTime: string | null } | null;
  listingDone: boolean;
  /** ISO-8601 once every selected referral was synced or dead-lettered; null while unfinished. */
  finishedAt: string | null;
};

export function serializeBackfillCursor(cursor: BackfillCursor): string {
  return JSON.stringify(cursor);
}

/** The stored cursor, or null when there is none or it cannot be read (a new backfill starts then). */
export function parseBackfillCursor(value: string | null): BackfillCursor | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as Partial<BackfillCursor>;
    if (
      typeof parsed.selection !== 'string' ||
      typeof parsed.startedAt !== 'string' ||
      typeof parsed.listed !== 'number' ||
      typeof parsed.enqueued !== 'number' ||
      typeof parsed.listingDone !== 'boolean' ||
      !(parsed.finishedAt === null || typeof parsed.finishedAt === 'string') ||
      !(parsed.last === null || (typeof parsed.last === 'object' && typeof parsed.last.id === 'string'))
    ) {
      return null;
    }
    return parsed as BackfillCursor;
  } catch {
    return null;
  }
}

/** The unfinished backfill of this selection that a run continues, if there is one. */
export function resumableCursor(stored: BackfillCursor | null, selection: string): BackfillCursor | null {
  return stored && stored.selection === selection && stored.finishedAt === null ? stored : null;
}
