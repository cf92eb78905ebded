/**
 * Lists the referrals a backfill looks at and decides, for each, what a sync would do. Pages come from
 * the Referrals API oldest first (`$orderby=createdDateTime asc`, documented); `$filter` carries only the
 * direction (see `serverFilterOf`), the rest of the selection is checked here. Creation order is stable
 * under paging: new referrals land at the end, and a referral that changes keeps its place.
 */
import { type ReferralKey, toReferralKey } from '../core/domain.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { Link, Store } from '../store/ports.ts';
import { type BackfillSelection, backfillServerFilter } from './backfill-selection.ts';
import { type BackfillDecision, decideBackfill } from './decide-backfill.ts';

/** What a backfill keeps of a listed referral: enough to decide, report and resume. */
export type ListedReferral = {
  id: string;
  key: ReferralKey;
  eTag: string;
  status: string;
  substatus: string;
  direction: string | null;
  createdDateTime: string | null;
  name: string | null;
};

export type ScannedReferral = { referral: ListedReferral; link: Link | null; decision: BackfillDecision };

export type ScanDependencies = {
  referrals: Pick<ReferralsClient, 'list'>;
  store: Pick<Store, 'getLink'>;
  /** Dead letters by referral: their code. */
  deadLetterCodes: ReadonlyMap<ReferralKey, string>;
  /**
   * Asks the CRM whether it holds a lead for a referral without a link (a dry run's `--check-crm`): one
   * CRM read each, made for one page at a time.
   */
  leadExists?: (key: ReferralKey) => Promise<boolean>;
};

/** Listing page size; the API's documented examples and our client stay at or below 100. */
const PAGE_SIZE = 100;

export async function* scanReferrals(
  selection: BackfillSelection,
  deps: ScanDependencies,
): AsyncGenerator<ScannedReferral[]> {
  const server = backfillServerFilter(selection);
  if (server.empty) return;
  const limit = selection.filters.limit ?? Number.POSITIVE_INFINITY;
  let selected = 0;
  // Offset paging over live data can list a referral twice (one created meanwhile with an earlier
  // creation time would shift the pages); it is decided once.
  const seen = new Set<ReferralKey>();
  for await (const page of deps.referrals.list({
    ...(server.filter ? { filter: server.filter } : {}),
    orderBy: 'createdDateTime asc',
    top: PAGE_SIZE,
  })) {
    const scanned: ScannedReferral[] = [];
    for (const fetched of page) {
      const key = toReferralKey(fetched.id);
      if (seen.has(key)) continue;
      seen.add(key);
      const referral: ListedReferral = {
        id: fetched.id,
        key,
        eTag: fetched.eTag,
        status: fetched.status,
        substatus: fetched.substatus,
        direction: fetched.direction,
        createdDateTime: fetched.createdDateTime,
        name: fetched.name,
      };
      const link = await deps.store.getLink(key);
      const decision = decideBackfill(
        referral,
        { link, deadLetterCode: deps.deadLetterCodes.get(key) ?? null },
        selection,
      );
      scanned.push({ referral, link, decision });
      if (decision.kind !== 'skip') selected += 1;
      if (selected >= limit) break;
    }
    yield deps.leadExists ? await withCrmAnswers(scanned, selection, deps) : scanned;
    if (selected >= limit) return;
  }
}

/** Decides again, knowing whether the CRM has a lead, for the referrals that would create one. */
async function withCrmAnswers(
  scanned: ScannedReferral[],
  selection: BackfillSelection,
  deps: ScanDependencies,
): Promise<ScannedReferral[]> {
  const leadExists = deps.leadExists;
  if (!leadExists) return scanned;
  return Promise.all(
    scanned.map(async (entry) => {
      if (entry.decision.kind !== 'create') return entry;
      const leadInCrm = await leadExists(entry.referral.key);
      return {
        ...entry,
        decision: decideBackfill(
          entry.referral,
          { link: entry.link, deadLetterCode: null, leadInCrm },
          selection,
        ),
      };
    }),
  );
}
