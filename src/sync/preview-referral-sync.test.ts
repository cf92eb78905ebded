import { describe, expect, it } from 'vitest';
import type { LeadDraft, LeadState } from '../core/index.ts';
import type { CrmAdapter, LeadFieldsReading } from '../crm/crm-adapter.ts';
import { compileMapping, leadHash } from '../mapping/index.ts';
import { referralUrl, sampleReferral, withStatus } from '../mapping/test-support.ts';
import { previewReferralSync } from './preview-referral-sync.ts';

const mapping = compileMapping({ extra: { new_dealsize: { path: 'details.dealValue' } } });

/** A CRM holding at most one lead, whose fields are what `held` says; it refuses every write. */
function crmHolding(
  state: LeadState | null,
  held: Record<string, unknown> | null,
  readable = true,
): CrmAdapter {
  const readLeadFields = async (draft: LeadDraft): Promise<LeadFieldsReading> => {
    const fields = { subject: draft.topic, new_dealsize: draft.extra?.new_dealsize ?? null };
    return {
      leadId: state?.leadId ?? null,
      fields,
      current: held,
      warnings: [{ code: 'field_truncated', field: 'topic', detail: 'shortened from 400 to 300 characters' }],
    };
  };
  return {
    kind: 'test-crm',
    upsertLead: () => Promise.reject(new Error('a preview must not write')),
    readLead: async () => state,
    ...(readable ? { readLeadFields } : {}),
    close: async () => {},
  };
}

const lead = (fields: Partial<LeadState> = {}): LeadState => ({
  leadId: 'lead-1',
  phase: 'open',
  crmStatus: '1',
  ...fields,
});

describe('previewing a sync', () => {
  it('shows what differs from the lead and what the referral would get', async () => {
    const referral = withStatus(sampleReferral(), 'New/Pending');
    const preview = await previewReferralSync(referral, {
      mapping,
      referralUrl,
      crm: crmHolding(lead({ phase: 'qualified' }), { subject: referral.name, new_dealsize: 1000 }),
      writeBack: true,
      lastLeadHash: null,
    });

    expect(preview.crm?.fields).toEqual([
      { field: 'subject', value: referral.name, current: referral.name, changed: false },
      { field: 'new_dealsize', value: 250000, current: 1000, changed: true },
    ]);
    expect(preview.crm?.lead).toEqual({ id: 'lead-1', phase: 'qualified', crmStatus: '1' });
    expect(preview.writeBack).toEqual({
      enabled: true,
      operations: [
        { op: 'replace', path: '/externalReferenceId', value: 'lead-1' },
        { op: 'replace', path: '/status', value: 'Active' },
        { op: 'replace', path: '/substatus', value: 'Accepted' },
      ],
    });
    expect(preview.warnings.map((w) => w.code)).toEqual(['field_truncated']);
  });

  it('says the sync would not write a lead whose mapped fields the last sync wrote, though a seller changed it', async () => {
    const referral = sampleReferral();
    const { draft } = mapping.toLead(referral, { referralUrl });
    const preview = await previewReferralSync(referral, {
      mapping,
      referralUrl,
      crm: crmHolding(lead(), { subject: 'Edited by a seller', new_dealsize: 250000 }),
      writeBack: true,
      lastLeadHash: leadHash(draft),
    });

    expect(preview.crm?.fields.find((row) => row.field === 'subject')?.changed).toBe(true);
    expect(preview.crm?.writesLead).toBe(false);
  });

  it('reads empty text in the CRM as no value', async () => {
    const preview = await previewReferralSync(
      { ...sampleReferral(), details: null },
      {
        mapping,
        referralUrl,
        crm: crmHolding(lead(), { subject: 'Northwind Traders - Azure migration', new_dealsize: '' }),
        writeBack: true,
        lastLeadHash: null,
      },
    );
    expect(preview.crm?.fields.find((row) => row.field === 'new_dealsize')).toMatchObject({ changed: false });
  });

  it('shows the mapped lead fields only when the CRM cannot read its fields, and no write-back when it is off', async () => {
    const preview = await previewReferralSync(sampleReferral(), {
      mapping,
      referralUrl,
      crm: crmHolding(null, null, false),
      writeBack: false,
      lastLeadHash: null,
    });

    expect(preview.crm).toMatchObject({ fieldsUnreadable: true, fields: [], lead: null, writesLead: true });
    expect(preview.lead).toContainEqual({ field: 'extra.new_dealsize', value: 250000 });
    expect(preview.writeBack).toEqual({ enabled: false });
  });
});
