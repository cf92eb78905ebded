/**
 * One sync of one referral: orchestration only, every decision is a pure function elsewhere.
 *   1. read the referral (latest state: events are hints, not data)
 *   2. map it to a lead (pure) and skip the CRM write when the mapped fields did not change
 *   3. upsert the lead on the referral key (idempotent), or read its state when nothing changed
 *   4. map the lead back to referral changes (pure) and write them with If-Match; on 412 re-read, re-apply
 *   5. remember the link and the steps on the referral's timeline
 */
import { toReferralKey } from '../core/index.ts';
import type { CrmAdapter } from '../crm/crm-adapter.ts';
import { leadHash, mapLeadToReferralChanges, mapReferralToLead, toJsonPatch } from '../mapping/index.ts';
import { RemoteError } from '../net/remote-error.ts';
import type { Referral } from '../partner-center/referral-schema.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { Store, TimelineEntry } from '../store/ports.ts';

export type SyncDependencies = {
  referrals: ReferralsClient;
  crm: CrmAdapter;
  store: Store;
  writeBack: boolean;
  now?: () => number;
  /** Attempts at the write-back when the referral keeps changing under us (412). */
  maxWriteBackAttempts?: number;
};

export type SyncResult = {
  referralId: string;
  leadId: string;
  lead: 'created' | 'updated' | 'unchanged' | 'closed';
  referral: 'updated' | 'unchanged' | 'not-written';
  /** When the lead write finished (ms since epoch), for event → lead latency. */
  leadWrittenAt: number;
};

export async function syncReferral(referralId: string, deps: SyncDependencies): Promise<SyncResult> {
  const now = deps.now ?? Date.now;
  const timeline: TimelineEntry[] = [];
  const step = (name: string, outcome: string, detail?: Record<string, unknown>) =>
    timeline.push({ at: new Date(now()).toISOString(), step: name, outcome, ...(detail ? { detail } : {}) });

  try {
    let referral = await deps.referrals.get(referralId);
    step('fetch-referral', 'ok', {
      status: referral.status,
      substatus: referral.substatus,
      eTag: referral.eTag,
    });

    const key = toReferralKey(referral.id);
    const { draft, warnings } = mapReferralToLead(referral, { referralUrl: deps.referrals.urlOf });
    if (warnings.length > 0) step('map-lead', 'warnings', { warnings: warnings.map((w) => w.code) });
    const hash = leadHash(draft);
    const link = await deps.store.getLink(referral.id);

    // Our own write-back comes back as a referral-updated event: same eTag as we left it, nothing to do.
    if (link && link.lastReferralETag === referral.eTag && link.lastLeadHash === hash) {
      step('sync', 'unchanged', { eTag: referral.eTag });
      return {
        referralId: referral.id,
        leadId: link.leadId,
        lead: 'unchanged',
        referral: 'unchanged',
        leadWrittenAt: now(),
      };
    }
    let lead: SyncResult['lead'];
    let state = link?.lastLeadHash === hash ? await deps.crm.readLead(key) : null;
    if (state) {
      lead = 'unchanged';
      step('upsert-lead', 'unchanged', { leadId: state.leadId, phase: state.phase });
    } else {
      try {
        const written = await deps.crm.upsertLead(draft);
        state = written;
        lead = written.created ? 'created' : 'updated';
        step('upsert-lead', lead, { leadId: written.leadId, phase: written.phase });
      } catch (error) {
        // A qualified or disqualified lead is read-only in the CRM: its state still flows back.
        if (!(error instanceof RemoteError && error.code === 'lead_closed')) throw error;
        state = await deps.crm.readLead(key);
        if (!state) throw error;
        lead = 'closed';
        step('upsert-lead', 'lead-closed', { leadId: state.leadId, phase: state.phase });
      }
    }
    const leadWrittenAt = now();

    let referralOutcome: SyncResult['referral'] = 'not-written';
    if (deps.writeBack) {
      const written = await writeBack(referral, state, deps, step);
      referral = written.referral;
      referralOutcome = written.changed ? 'updated' : 'unchanged';
    }

    // The link and the timeline land together: a crash leaves both or neither.
    await deps.store.saveLink(
      {
        referralId: referral.id,
        leadId: state.leadId,
        lastReferralETag: referral.eTag,
        lastReferralUpdatedAt: referral.updatedDateTime,
        // A closed lead kept its old fields: remember the old hash so a reopened lead gets the new ones.
        lastLeadHash: lead === 'closed' ? (link?.lastLeadHash ?? null) : hash,
        lastWriteBackHash: link?.lastWriteBackHash ?? null,
        syncedAt: new Date(now()).toISOString(),
      },
      timeline.splice(0),
    );
    return { referralId: referral.id, leadId: state.leadId, lead, referral: referralOutcome, leadWrittenAt };
  } catch (error) {
    step('sync', 'failed', {
      code:
        error instanceof RemoteError ? error.code : ((error as { code?: string }).code ?? 'internal_error'),
    });
    throw error;
  } finally {
    // Whatever the saved link did not take (a failure, an unchanged echo) is recorded on its own; a
    // timeline that cannot be written must not replace the sync's own result or error.
    await deps.store.appendTimeline(referralId, timeline.splice(0)).catch(() => undefined);
  }
}

async function writeBack(
  initial: Referral,
  state: NonNullable<Awaited<ReturnType<CrmAdapter['readLead']>>>,
  deps: SyncDependencies,
  step: (name: string, outcome: string, detail?: Record<string, unknown>) => void,
): Promise<{ referral: Referral; changed: boolean }> {
  const attempts = deps.maxWriteBackAttempts ?? 3;
  let referral = initial;
  for (let attempt = 1; ; attempt++) {
    const changes = mapLeadToReferralChanges(referral, state);
    const operations = changes ? toJsonPatch(changes) : [];
    if (operations.length === 0) {
      // Also after a 412: the re-read referral needs nothing (someone else wrote it, or it closed).
      step('write-back', 'unchanged');
      return { referral, changed: false };
    }
    try {
      const updated = await deps.referrals.patch(referral.id, operations, referral.eTag);
      step('write-back', 'ok', { paths: operations.map((op) => op.path), eTag: updated.eTag });
      return { referral: updated, changed: true };
    } catch (error) {
      if (!(error instanceof RemoteError && error.disposition === 'conflict') || attempt >= attempts)
        throw error;
      step('write-back', 'conflict', { attempt });
      referral = await deps.referrals.get(referral.id);
    }
  }
}
