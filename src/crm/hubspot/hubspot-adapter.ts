/**
 * HubSpot CRM v3. A referral becomes a lead (`crm.hubspot.object: leads`, the default) or a deal
 * (`deals`), associated with the customer's contact (spec crm.md §C1). Why each choice:
 *
 * - Leads are what a referral is in HubSpot: worked by sellers in the prospecting workspace, qualified or
 *   disqualified through their pipeline. They need Sales Hub Professional or Enterprise, and a lead must
 *   be created associated with an existing contact in the same request (§C6). Deals exist on every tier
 *   and suit partners who track referrals as opportunities (amount, close date, won/lost).
 * - Two writes make a lead: the contact, then the lead. Each is keyed and idempotent, never
 *   check-then-create, so a crash between them (or a retry after a timeout) still ends with one contact
 *   and one lead:
 *   1. the contact is batch-upserted by e-mail (HubSpot keeps e-mails unique), or, without an e-mail, by
 *      the referral id in a unique contact property (§C3);
 *   2. the lead or deal is created with POST, carrying the referral id in a unique property and the
 *      associations. A batch upsert cannot create a lead (its inputs carry no associations, §C6) nor a
 *      deal without overwriting the seller's stage on every update, so it is not used. A second create of
 *      the same referral — a retry, a concurrent sync, another instance — is refused by the unique
 *      property with 409 "Existing ID: N", which names the record to update instead (PATCH N).
 *   A record this process already wrote or read is updated first (PATCH), created only if it is gone.
 * - Phase from the stage (configurable stage ids, as portals add their own). HubSpot never refuses to
 *   change a record in a closed stage, so this adapter never throws LeadClosedError: the referral keeps
 *   owning the mapped fields, as it does for an open Dynamics lead.
 * - Decided records come back through search on `hs_lastmodifieddate` (decision-cursor.ts).
 *
 * What the portal admin creates: a single-line text property with "unique values" on the object
 * (`referral_id`), and one on contacts for customers without an e-mail (`referral_id`); for leads, the
 * Leads object with its pipeline; a private app with the crm.objects.contacts / leads or deals read and
 * write scopes. See README.md in this folder.
 */
import { type LeadDraft, type LeadState, type ReferralKey, toReferralKey } from '../../core/index.ts';
import { RemoteError } from '../../net/remote-error.ts';
import type { CrmAdapter, DecidedLeads, UpsertResult } from '../crm-adapter.ts';
import { existingRecordId, type HubSpotErrorBody } from './classify-hubspot-error.ts';
import {
  type DecisionCursor,
  type DecisionSearchOptions,
  decisionSearch,
  nextDecisionCursor,
  nextSearchPosition,
  parseDecisionCursor,
  type SearchPosition,
  type SearchRecord,
  searchStart,
  stampOf,
} from './decision-cursor.ts';
import type { HubSpotClient } from './hubspot-client.ts';
import type { HubSpotObject } from './hubspot-config.ts';
import { checkHubSpotSetup } from './hubspot-setup-checks.ts';
import {
  type RecordFieldOptions,
  toContactInput,
  toCreateProperties,
  toRecordProperties,
} from './lead-fields.ts';
import { type HubSpotRecord, hasStage, phaseOfStage, stateProperties, toLeadState } from './lead-state.ts';
import { RECORD_KINDS } from './record-kind.ts';
import { createRecordMemo } from './record-memo.ts';

export type HubSpotAdapterOptions = {
  client: HubSpotClient;
  object: HubSpotObject;
  /** Unique property of the lead or deal holding the referral id. */
  referralIdProperty: string;
  /** Unique contact property keying the contact of a referral without an e-mail address. */
  contactReferralIdProperty: string;
  referralUrlProperty?: string | undefined;
  pipeline: string;
  initialStage: string;
  qualifiedStages: readonly string[];
  disqualifiedStages: readonly string[];
  /** The portal's company currency (deals). */
  currency: string;
};

type Contact = { id: string; companyId: string | undefined };
type BatchAnswer = { results?: HubSpotRecord[]; errors?: HubSpotErrorBody[] };

export function createHubSpotAdapter(options: HubSpotAdapterOptions): CrmAdapter {
  const { client, referralIdProperty } = options;
  const kind = RECORD_KINDS[options.object];
  const rules = { qualifiedStages: options.qualifiedStages, disqualifiedStages: options.disqualifiedStages };
  const fields: RecordFieldOptions = {
    kind,
    referralUrlProperty: options.referralUrlProperty,
    currency: options.currency,
  };
  const feed: DecisionSearchOptions = {
    kind,
    referralIdProperty,
    decidedStages: [...options.qualifiedStages, ...options.disqualifiedStages],
  };
  const memo = createRecordMemo();
  const objects = `/crm/v3/objects/${kind.object}`;
  const readQuery = `properties=${stateProperties(kind, referralIdProperty).join(',')}`;
  const byKey = (key: ReferralKey) =>
    `${objects}/${encodeURIComponent(key)}?idProperty=${encodeURIComponent(referralIdProperty)}`;
  const json = (body: unknown) => JSON.stringify(body);

  const upsertContact = async (draft: LeadDraft): Promise<Contact> => {
    const input = toContactInput(draft, options.contactReferralIdProperty);
    const what = `upsert contact of referral ${draft.referralId}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await client.send(
          { method: 'POST', path: '/crm/v3/objects/contacts/batch/upsert', body: json({ inputs: [input] }) },
          what,
          (r) => r.status === 200 || r.status === 207,
        );
        const answer = response.json() as BatchAnswer;
        const [result] = answer.results ?? [];
        if (typeof result?.id !== 'string')
          throw client.classify(response.status, answer.errors?.[0] ?? {}, what);
        const company = result.properties?.associatedcompanyid;
        return {
          id: result.id,
          companyId: typeof company === 'string' && company !== '' ? company : undefined,
        };
      } catch (error) {
        // Two upserts of one new contact can race, and the loser is told it exists (409, or a 207 item):
        // the next one finds it and updates it.
        if (!(error instanceof RemoteError && error.disposition === 'conflict' && attempt === 1)) throw error;
      }
    }
  };

  const stateOf = async (record: HubSpotRecord): Promise<LeadState> => {
    if (hasStage(record, kind)) return toLeadState(record, kind, rules);
    // HubSpot's write answers are documented with the written properties only; the stage is read.
    const response = await client.send(
      { method: 'GET', path: `${objects}/${String(record.id)}?${readQuery}` },
      `read ${kind.label} ${String(record.id)}`,
      (r) => r.status === 200,
    );
    return toLeadState(response.json() as HubSpotRecord, kind, rules);
  };

  const associateContact = async (recordId: string, contact: Contact): Promise<void> => {
    await client.send(
      {
        method: 'PUT',
        path: `/crm/v4/objects/${kind.object}/${recordId}/associations/contacts/${contact.id}`,
        body: json([
          { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: kind.contactAssociationTypeId },
        ]),
      },
      `associate ${kind.label} ${recordId} with contact ${contact.id}`,
      (r) => r.status === 200 || r.status === 201,
    );
  };

  /** PATCH of a record known by id; associates the contact unless this process did so already. */
  const update = async (draft: LeadDraft, recordId: string, contact: Contact): Promise<UpsertResult> => {
    const response = await client.send(
      {
        method: 'PATCH',
        path: `${objects}/${recordId}`,
        body: json({ properties: toRecordProperties(draft, fields) }),
      },
      `update ${kind.label} ${recordId} of referral ${draft.referralId}`,
      (r) => r.status === 200,
    );
    // The referral's contact may have changed (another e-mail address): the record follows it.
    if (memo.get(draft.referralId)?.contactId !== contact.id) await associateContact(recordId, contact);
    memo.remember(draft.referralId, { recordId, contactId: contact.id });
    return { ...(await stateOf(response.json() as HubSpotRecord)), created: false };
  };

  const create = async (draft: LeadDraft, contact: Contact): Promise<UpsertResult> => {
    const associations = [
      { id: contact.id, typeId: kind.contactAssociationTypeId },
      ...(contact.companyId ? [{ id: contact.companyId, typeId: kind.companyAssociationTypeId }] : []),
    ].map((link) => ({
      to: { id: link.id },
      types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: link.typeId }],
    }));
    const properties = toCreateProperties(draft, {
      ...fields,
      referralIdProperty,
      pipeline: options.pipeline,
      initialStage: options.initialStage,
    });
    const response = await client.send(
      { method: 'POST', path: objects, body: json({ properties, associations }) },
      `create ${kind.label} of referral ${draft.referralId}`,
      (r) => r.status === 201 || r.status === 409,
    );
    const body = response.json() as HubSpotRecord & HubSpotErrorBody;
    if (response.status === 201) {
      const recordId = String(body.id);
      memo.remember(draft.referralId, { recordId, contactId: contact.id });
      const state = hasStage(body, kind)
        ? toLeadState(body, kind, rules)
        : {
            leadId: recordId,
            phase: phaseOfStage(options.initialStage, rules),
            crmStatus: options.initialStage,
          };
      return { ...state, created: true };
    }
    // The referral's record exists (an earlier attempt, a concurrent sync): the 409 names it.
    const existing = existingRecordId(body) ?? (await recordIdByKey(draft.referralId));
    if (existing === undefined) {
      throw new RemoteError({
        remote: 'hubspot',
        disposition: 'retry',
        code: 'hubspot_conflict',
        status: 409,
        message: `create ${kind.label} of referral ${draft.referralId} answered 409 without naming the ${kind.label}: ${String(body.message)}`,
      });
    }
    try {
      return await update(draft, existing, contact);
    } catch (error) {
      if (!(error instanceof RemoteError && error.disposition === 'not_found')) throw error;
      throw new RemoteError({
        remote: 'hubspot',
        disposition: 'retry',
        code: 'hubspot_conflict',
        status: error.status,
        message: `${kind.label} ${existing} of referral ${draft.referralId} was deleted while it was updated`,
        cause: error,
      });
    }
  };

  const recordIdByKey = async (key: ReferralKey): Promise<string | undefined> =>
    (await readLead(key))?.leadId;

  const readLead = async (key: ReferralKey): Promise<LeadState | null> => {
    try {
      const response = await client.send(
        { method: 'GET', path: `${byKey(key)}&${readQuery}` },
        `read ${kind.label} of referral ${key}`,
        (r) => r.status === 200,
      );
      const state = toLeadState(response.json() as HubSpotRecord, kind, rules);
      if (memo.get(key)?.recordId !== state.leadId) memo.remember(key, { recordId: state.leadId });
      return state;
    } catch (error) {
      if (error instanceof RemoteError && error.disposition === 'not_found') return null;
      throw error;
    }
  };

  const upsertLead = async (draft: LeadDraft): Promise<UpsertResult> => {
    const contact = await upsertContact(draft);
    const known = memo.get(draft.referralId);
    if (known) {
      try {
        return await update(draft, known.recordId, contact);
      } catch (error) {
        // Deleted in HubSpot since: created again, as an upsert on the key would.
        if (!(error instanceof RemoteError && error.disposition === 'not_found')) throw error;
        memo.forget(draft.referralId);
      }
    }
    return create(draft, contact);
  };

  const decidedLeads = async (cursor: string | null): Promise<DecidedLeads> => {
    const previous: DecisionCursor | undefined = cursor === null ? undefined : parseDecisionCursor(cursor);
    const records: SearchRecord[] = [];
    let position: SearchPosition | null = { from: searchStart(previous), after: 0 };
    while (position) {
      const page = await client.search(kind.object, decisionSearch(feed, position), `decided ${kind.object}`);
      records.push(...page.results);
      const stamps = page.results.map(stampOf).filter((ms): ms is number => ms !== undefined);
      try {
        position = nextSearchPosition(
          position,
          page.nextAfter,
          stamps.length > 0 ? Math.max(...stamps) : undefined,
        );
      } catch (error) {
        throw new RemoteError({
          remote: 'hubspot',
          disposition: 'retry',
          code: 'change_feed_invalid',
          message: `decided ${kind.object}: ${(error as Error).message}`,
        });
      }
    }
    const next = nextDecisionCursor(previous, records, feed);
    const keys = new Set<ReferralKey>();
    for (const record of next.changed)
      keys.add(toReferralKey(String(record.properties?.[referralIdProperty])));
    return {
      referralKeys: [...keys],
      cursor: JSON.stringify(next.cursor),
      fromScratch: previous === undefined,
    };
  };

  return {
    kind: 'hubspot',
    upsertLead,
    readLead,
    decidedLeads,
    checkSetup: () =>
      checkHubSpotSetup({
        client,
        object: options.object,
        referralIdProperty,
        contactReferralIdProperty: options.contactReferralIdProperty,
        referralUrlProperty: options.referralUrlProperty,
        pipeline: options.pipeline,
        stages: {
          initial: options.initialStage,
          qualified: options.qualifiedStages,
          disqualified: options.disqualifiedStages,
        },
      }),
    close: () => client.close(),
  };
}
