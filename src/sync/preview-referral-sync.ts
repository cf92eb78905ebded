/**
 * What a sync of one referral would write, without writing anything (`mapping preview`): the lead fields
 * the mapping makes of the referral, the CRM fields an upsert would send beside what the lead holds in
 * them, whether the sync would write the lead at all, what it would write back to the referral, and the
 * warnings. Every call it makes is a read.
 */
import { type LeadDraft, type LeadState, toReferralKey } from '../core/index.ts';
import type { CrmAdapter } from '../crm/crm-adapter.ts';
import {
  DRAFT_FIELD_NAMES,
  type LeadMapping,
  leadHash,
  type MappingWarning,
  mapLeadToReferralChanges,
  toJsonPatch,
} from '../mapping/index.ts';
import type { Referral } from '../partner-center/referral-schema.ts';
import type { JsonPatchOperation } from '../partner-center/referrals-client.ts';

export type CrmFieldPreview = { field: string; value: unknown; current: unknown; changed: boolean };

export type MappingPreview = {
  referral: { id: string; status: string; substatus: string };
  /** The CRM-neutral lead fields, dotted (`contact.email`); a CRM field of the partner's own as `extra.<name>`. */
  lead: { field: string; value: unknown }[];
  /** The mapping's warnings, then what fitting the draft to the CRM changed. */
  warnings: MappingWarning[];
  /** Absent offline (`--file`). */
  crm?: {
    kind: string;
    /** The adapter cannot read a lead's fields: only the neutral fields are shown. */
    fieldsUnreadable?: true;
    lead: { id: string; phase: LeadState['phase']; crmStatus: string } | null;
    fields: CrmFieldPreview[];
    /**
     * Whether the sync would write the lead: not when its mapped fields are what the last sync wrote,
     * whatever the lead holds now (a seller's edits stay until the referral changes).
     */
    writesLead: boolean;
  };
  /** What the sync would write back to the referral; absent offline. */
  writeBack?: { enabled: false } | { enabled: true; operations: JsonPatchOperation[] };
};

/** The referral as the mapping sees it; no CRM, no network (`--file`). */
export function previewMapping(
  referral: Referral,
  mapping: LeadMapping,
  referralUrl: (referralId: string) => string,
): MappingPreview {
  return mapForPreview(referral, mapping, referralUrl).preview;
}

function mapForPreview(
  referral: Referral,
  mapping: LeadMapping,
  referralUrl: (referralId: string) => string,
): { preview: MappingPreview; draft: LeadDraft } {
  const { draft, warnings } = mapping.toLead(referral, { referralUrl });
  return {
    draft,
    preview: {
      referral: { id: referral.id, status: referral.status, substatus: referral.substatus },
      lead: leadFields(draft),
      warnings,
    },
  };
}

export type PreviewDependencies = {
  mapping: LeadMapping;
  referralUrl: (referralId: string) => string;
  crm: CrmAdapter;
  writeBack: boolean;
  /** The hash of the fields the last sync wrote (the link's), null when never synced. */
  lastLeadHash: string | null;
};

export async function previewReferralSync(
  referral: Referral,
  deps: PreviewDependencies,
): Promise<MappingPreview> {
  const { preview: offline, draft } = mapForPreview(referral, deps.mapping, deps.referralUrl);
  const key = toReferralKey(referral.id);
  const [state, reading] = await Promise.all([
    deps.crm.readLead(key),
    deps.crm.readLeadFields ? deps.crm.readLeadFields(draft) : Promise.resolve(undefined),
  ]);
  const writesLead = state === null || deps.lastLeadHash !== leadHash(draft);
  const crm: NonNullable<MappingPreview['crm']> = {
    kind: deps.crm.kind,
    lead: state ? { id: state.leadId, phase: state.phase, crmStatus: state.crmStatus } : null,
    fields: reading
      ? Object.entries(reading.fields).map(([field, value]) => {
          const current = reading.current ? normalise(reading.current[field]) : null;
          return { field, value, current, changed: !sameValue(value, current) };
        })
      : [],
    writesLead,
    ...(reading ? {} : { fieldsUnreadable: true as const }),
  };
  // A lead about to be created has no id yet: the write-back shows where it would go.
  const lead: LeadState = state ?? { leadId: '(the new lead’s id)', phase: 'open', crmStatus: '' };
  const changes = mapLeadToReferralChanges(referral, lead, deps.mapping.status);
  return {
    ...offline,
    warnings: [...offline.warnings, ...(reading?.warnings ?? [])],
    crm,
    writeBack: deps.writeBack
      ? { enabled: true, operations: changes ? toJsonPatch(changes) : [] }
      : { enabled: false },
  };
}

function leadFields(draft: LeadDraft): { field: string; value: unknown }[] {
  const nested = draft as unknown as Record<string, unknown>;
  const at = (field: string) =>
    field.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown>)?.[part], nested);
  return [
    ...DRAFT_FIELD_NAMES.map((field) => ({ field, value: at(field) ?? null })),
    ...Object.entries(draft.extra ?? {}).map(([name, value]) => ({ field: `extra.${name}`, value })),
  ];
}

/** Empty text and an absent value are the same to a CRM field. */
function normalise(value: unknown): unknown {
  return value === undefined || value === '' ? null : value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}
