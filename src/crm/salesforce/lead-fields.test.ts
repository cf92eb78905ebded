import { describe, expect, it } from 'vitest';
import { leadDraft } from '../../../test/contract/crm-adapter.contract.ts';
import { NOT_PROVIDED, toLeadFields } from './lead-fields.ts';

const options = {
  referralUrlField: 'Referral_URL__c',
  leadSource: 'Partner Referral',
  countryPicklists: false,
};

describe('LeadDraft → Salesforce Lead fields', () => {
  it('writes the standard fields, the link and the lead source, never the key or Status', () => {
    const draft = leadDraft();
    const { fields } = toLeadFields(draft, options);
    expect(fields).toMatchObject({
      LastName: 'Rivera',
      FirstName: 'Alex',
      Company: 'Northwind Traders',
      Email: 'alex.rivera@northwind.example',
      Street: '1 Sample Street',
      City: 'Springfield',
      State: 'IL',
      Country: 'US',
      LeadSource: 'Partner Referral',
      Referral_URL__c: draft.referralUrl,
    });
    expect(fields).not.toHaveProperty('Status');
    expect(fields).not.toHaveProperty('Referral_Id__c');
  });

  it('writes the org’s own fields verbatim after its own, a null as a clear', () => {
    const draft = { ...leadDraft(), extra: { Deal_Size__c: 250000, Strategic__c: true, Segment__c: null } };
    expect(toLeadFields(draft, options).fields).toMatchObject({
      Deal_Size__c: 250000,
      Strategic__c: true,
      Segment__c: null,
    });
  });

  it("fills the required LastName and Company with Salesforce's own placeholder when the referral has none", () => {
    const draft = leadDraft({ companyName: null, contact: { ...leadDraft().contact, lastName: null } });
    expect(toLeadFields(draft, options).fields).toMatchObject({
      LastName: NOT_PROVIDED,
      Company: NOT_PROVIDED,
    });
  });

  it('writes the ISO code to CountryCode when the org has country picklists', () => {
    const { fields } = toLeadFields(leadDraft(), { ...options, countryPicklists: true });
    expect(fields).toMatchObject({ CountryCode: 'US' });
    expect(fields).not.toHaveProperty('Country');
  });

  it('joins the address lines into Street and shortens what does not fit, with a warning', () => {
    const draft = leadDraft({
      address: { ...leadDraft().address, line2: 'Suite 4' },
      contact: { ...leadDraft().contact, firstName: 'F'.repeat(60) },
    });
    const { fields, warnings } = toLeadFields(draft, options);
    expect(fields.Street).toBe('1 Sample Street\nSuite 4');
    expect(fields.FirstName).toHaveLength(40);
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'field_truncated', field: 'contact.firstName' }),
    ]);
  });
});
