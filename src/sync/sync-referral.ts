/**
 * One sync of one referral: orchestration only, every decision is a pure function elsewhere.
 *   1. read the referral (latest state: events are hints, not data)
 *   2. map it to a lead (pure) and skip the CRM write when the mapped fields did not change
 *   3. upsert the lead on the referral key (idempotent), or read its state when nothing changed
 *   4. map the lead back to referral changes (pure) and write them with If-Match; on 412 re-read the referral
 *      and go again from 2, so a change made meanwhile reaches the lead too (bounded attempts)
 *   5. remember the link and the steps on the referral's timeline
 */
import { type LeadDraft, type LeadState, type ReferralKey, toReferralKey } from '../core/index.ts';
import { type CrmAdapter, LeadClosedError } from '../crm/crm-adapter.ts';
import {
  defaultLeadMapping,
  type LeadMapping,
  leadHash,
  mapLeadToReferralChanges,
  toJsonPatch,
} from '../mapping/index.ts';
import { RemoteError } from '../net/remote-error.ts';
import type { Referral } from '../partner-center/referral-schema.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { Store, TimelineEntry } from '../store/ports.ts';
import { SELECT_ALL, type SelectionPolicy, selectReferral } from './selection-policy.ts';
import { WriteBackConflictError } from './write-back-conflict.ts';

export type SyncDependencies = {
  referrals: ReferralsClient;
  crm: CrmAdapter;
  store: Store;
  writeBack: boolean;
  /** The referral ⇄ lead mapping (`compileMapping(config.mapping)`); the default when absent. */
  mapping?: LeadMapping;
  /** Which referrals to sync at all (`sync.select`); every referral when absent. */
  select?: SelectionPolicy;
  now?: () => number;
  /** Attempts at the map → lead → write-back round when the referral keeps changing under us (412). */
  maxWriteBackAttempts?: number;
};

export type SyncResult = {
  referralId: string;
  /** Null when the selection policy skipped a referral that has no lead. */
  leadId: string | null;
  /** `skipped`: the selection policy leaves the referral out; nothing was written anywhere. */
  lead: 'created' | 'updated' | 'unchanged' | 'closed' | 'skipped';
  referral: 'updated' | 'unchanged' | 'not-written';
  /** When the lead write finished (ms since epoch), for event → lead latency. */
  leadWrittenAt: number;
};

export type SyncOptions = {
  /** The CRM's change feed says the lead changed: read it even when the referral did not change. */
  leadChanged?: boolean;
};

export async function syncReferral(
  referralId: string,
  deps: SyncDependencies,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const now = deps.now ?? Date.now;
  const attempts = deps.maxWriteBackAttempts ?? 3;
  const timeline: TimelineEntry[] = [];
  const timelineKey = toReferralKey(referralId);
  const step = (name: string, outcome: string, detail?: Record<string, unknown>) =>
    timeline.push({ at: new Date(now()).toISOString(), step: name, outcome, ...(detail ? { detail } : {}) });

  try {
    let referral = await deps.referrals.get(referralId);
    step('fetch-referral', 'ok', {
      status: referral.status,
      substatus: referral.substatus,
      eTag: referral.eTag,
    });
    // Links and timeline are kept by key, as jobs are: one referral, one row, whatever its id's spelling.
    const key = toReferralKey(referral.id);
    const link = await deps.store.getLink(key);
    // Applied here rather than when the event arrives: Partner Center must get its 200 either way, and
    // only the fetched referral says what the policy needs (the event carries no data).
    const selection = selectReferral(referral, deps.select ?? SELECT_ALL, link !== null);
    if (!selection.selected) {
      step('sync', 'skipped-by-policy', { rule: selection.rule });
      return {
        referralId: referral.id,
        leadId: link?.leadId ?? null,
        lead: 'skipped',
        referral: 'not-written',
        leadWrittenAt: now(),
      };
    }
    /** The hash of the fields the lead now carries, as far as this sync knows. */
    let leadHashInCrm = link?.lastLeadHash ?? null;
    /** The lead as this sync last wrote or read it, for the fields of `hash`. */
    let current: WrittenLead | undefined;

    const finish = async (
      lead: WrittenLead,
      referralOutcome: SyncResult['referral'],
    ): Promise<SyncResult> => {
      // The link and the timeline land together: a crash leaves both or neither.
      await deps.store.saveLink(
        {
          referralId: key,
          leadId: lead.state.leadId,
          lastReferralETag: referral.eTag,
          lastReferralUpdatedAt: referral.updatedDateTime,
          // A closed lead kept its old fields: remember the old hash so a reopened lead gets the new ones.
          lastLeadHash: leadHashInCrm,
          syncedAt: new Date(now()).toISOString(),
        },
        timeline.splice(0),
      );
      return {
        referralId: referral.id,
        leadId: lead.state.leadId,
        lead: lead.lead,
        referral: referralOutcome,
        leadWrittenAt: lead.writtenAt,
      };
    };

    for (let attempt = 1; ; attempt++) {
      const { draft, warnings } = (deps.mapping ?? defaultLeadMapping()).toLead(referral, {
        referralUrl: deps.referrals.urlOf,
      });
      if (warnings.length > 0) step('map-lead', 'warnings', { warnings: warnings.map((w) => w.code) });
      const hash = leadHash(draft);

      // Our own write-back comes back as a referral-updated event: same eTag as we left it, nothing to do.
      const echo = link && link.lastReferralETag === referral.eTag && link.lastLeadHash === hash;
      if (!current && echo && !options.leadChanged) {
        step('sync', 'unchanged', { eTag: referral.eTag });
        return {
          referralId: referral.id,
          leadId: link.leadId,
          lead: 'unchanged',
          referral: 'unchanged',
          leadWrittenAt: now(),
        };
      }
      // After a conflict that left the mapped fields alone, the lead this sync just wrote still holds.
      if (current?.hash !== hash) {
        const put = await putLead(draft, leadHashInCrm === hash, key, deps, step);
        if (put.outcome !== 'closed') leadHashInCrm = hash;
        current = {
          state: put.state,
          hash,
          // Written again after a conflict: the sync reports what it did first (created stays created).
          lead: current && current.lead !== 'unchanged' ? current.lead : put.outcome,
          writtenAt: now(),
        };
      }
      if (!deps.writeBack) return await finish(current, 'not-written');

      const written = await writeBack(referral, current.state, deps, step);
      if (written.kind === 'written') {
        referral = written.referral;
        return await finish(current, written.changed ? 'updated' : 'unchanged');
      }
      // 412: the referral changed under us. Its new state may change the lead too, so the whole sync runs
      // again on it; saving only the write-back would mark that change as synced while the lead lacks it.
      step('write-back', 'conflict', { attempt });
      if (attempt >= attempts) throw new WriteBackConflictError(referral.id, attempt, written.error);
      referral = await deps.referrals.get(referral.id);
    }
  } catch (error) {
    step('sync', 'failed', {
      code:
        error instanceof RemoteError ? error.code : ((error as { code?: string }).code ?? 'internal_error'),
    });
    throw error;
  } finally {
    // Whatever the saved link did not take (a failure, an unchanged echo) is recorded on its own; a
    // timeline that cannot be written must not replace the sync's own result or error.
    await deps.store.appendTimeline(timelineKey, timeline.splice(0)).catch(() => undefined);
  }
}

type WrittenLead = { state: LeadState; hash: string; lead: SyncResult['lead']; writtenAt: number };
type Step = (name: string, outcome: string, detail?: Record<string, unknown>) => void;

/** Upserts the lead, or only reads its state when the CRM already has these fields. */
async function putLead(
  draft: LeadDraft,
  alreadyInCrm: boolean,
  key: ReferralKey,
  deps: SyncDependencies,
  step: Step,
): Promise<{ state: LeadState; outcome: SyncResult['lead'] }> {
  const existing = alreadyInCrm ? await deps.crm.readLead(key) : null;
  if (existing) {
    step('upsert-lead', 'unchanged', { leadId: existing.leadId, phase: existing.phase });
    return { state: existing, outcome: 'unchanged' };
  }
  try {
    const written = await deps.crm.upsertLead(draft);
    const outcome = written.created ? 'created' : 'updated';
    step('upsert-lead', outcome, { leadId: written.leadId, phase: written.phase });
    return { state: written, outcome };
  } catch (error) {
    // A qualified or disqualified lead is read-only in the CRM: its state still flows back.
    if (!(error instanceof LeadClosedError)) throw error;
    const state = await deps.crm.readLead(key);
    if (!state) throw error;
    step('upsert-lead', 'lead-closed', { leadId: state.leadId, phase: state.phase });
    return { state, outcome: 'closed' };
  }
}

type WriteBackResult =
  | { kind: 'written'; referral: Referral; changed: boolean }
  | { kind: 'conflict'; error: RemoteError };

async function writeBack(
  referral: Referral,
  state: LeadState,
  deps: SyncDependencies,
  step: Step,
): Promise<WriteBackResult> {
  const changes = mapLeadToReferralChanges(referral, state, (deps.mapping ?? defaultLeadMapping()).status);
  const operations = changes ? toJsonPatch(changes) : [];
  if (operations.length === 0) {
    // Also after a 412: the re-read referral needs nothing (someone else wrote it, or it closed).
    step('write-back', 'unchanged');
    return { kind: 'written', referral, changed: false };
  }
  try {
    const updated = await deps.referrals.patch(referral.id, operations, referral.eTag);
    step('write-back', 'ok', { paths: operations.map((op) => op.path), eTag: updated.eTag });
    return { kind: 'written', referral: updated, changed: true };
  } catch (error) {
    if (error instanceof RemoteError && error.disposition === 'conflict') return { kind: 'conflict', error };
    throw error;
  }
}
