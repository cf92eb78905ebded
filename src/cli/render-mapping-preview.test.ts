import { describe, expect, it } from 'vitest';
import type { MappingPreview } from '../sync/preview-referral-sync.ts';
import { renderMappingPreview } from './render-mapping-preview.ts';

const base: MappingPreview = {
  referral: { id: 'ref-1', status: 'New', substatus: 'Pending' },
  lead: [
    { field: 'topic', value: 'Northwind (US)' },
    { field: 'contact.jobTitle', value: null },
    { field: 'extra.new_dealsize', value: 250000 },
  ],
  warnings: [],
};

describe('mapping preview as text', () => {
  it('lists the lead fields, marks what differs from the lead, and says nothing was written', () => {
    const text = renderMappingPreview({
      ...base,
      crm: {
        kind: 'dynamics',
        lead: { id: 'lead-1', phase: 'open', crmStatus: '1' },
        fields: [
          { field: 'subject', value: 'Northwind (US)', current: 'Northwind', changed: true },
          { field: 'new_dealsize', value: 250000, current: 250000, changed: false },
        ],
        writesLead: true,
      },
      writeBack: { enabled: true, operations: [] },
      warnings: [{ code: 'country_unrecognised', field: 'address.country', detail: '"Atlantis" is not …' }],
    });

    expect(text).toContain('  extra.new_dealsize  250000');
    expect(text).toContain('  contact.jobTitle    —');
    expect(text).toContain('lead lead-1 (open, CRM status 1)');
    expect(text).toContain('  ~ subject       "Northwind" → "Northwind (US)"');
    expect(text).toContain('  = new_dealsize  250000');
    expect(text).toContain('1 of 2 fields differ from the lead');
    expect(text).toContain('  nothing to change');
    expect(text).toContain('  country_unrecognised (address.country): "Atlantis" is not …');
    expect(text.trimEnd().endsWith('Nothing was written.')).toBe(true);
  });

  it('shows every field as new when there is no lead, and says when the sync would leave the lead alone', () => {
    const fields = [{ field: 'subject', value: 'Northwind (US)', current: null, changed: true }];
    expect(
      renderMappingPreview({ ...base, crm: { kind: 'salesforce', lead: null, fields, writesLead: true } }),
    ).toContain('  + subject  "Northwind (US)"');
    const kept = renderMappingPreview({
      ...base,
      crm: { kind: 'salesforce', lead: { id: 'x', phase: 'open', crmStatus: '' }, fields, writesLead: false },
    });
    expect(kept).toContain('The sync would not write the lead');
  });

  it('shows the lead fields alone offline', () => {
    const text = renderMappingPreview(base);
    expect(text).not.toContain('CRM fields');
    expect(text).not.toContain('Write-back');
    expect(text).toContain('Warnings: none');
  });
});
