import { describe, expect, it } from 'vitest';
import { leadDraft } from '../../../test/contract/crm-adapter.contract.ts';
import { toContactInput, toCreateProperties, toRecordProperties } from './lead-fields.ts';
import { RECORD_KINDS } from './record-kind.ts';

const leads = { kind: RECORD_KINDS.leads, currency: 'USD' };
const deals = { kind: RECORD_KINDS.deals, currency: 'USD' };

describe('LeadDraft → HubSpot contact', () => {
  it('upserts the contact by its e-mail address with the referral’s values', () => {
    const draft = leadDraft({ address: { ...leadDraft().address, line2: 'Suite 4' } });
    expect(toContactInput(draft, 'referral_id')).toEqual({
      idProperty: 'email',
      id: 'alex.rivera@northwind.example',
      properties: {
        email: 'alex.rivera@northwind.example',
        firstname: 'Alex',
        lastname: 'Rivera',
        phone: '+15550100',
        jobtitle: 'CTO',
        company: 'Northwind Traders',
        address: '1 Sample Street, Suite 4',
        city: 'Springfield',
        state: 'IL',
        zip: '62701',
        country: 'US',
      },
    });
  });

  it('keys a contact without an e-mail address by the referral id in the unique contact property', () => {
    const draft = leadDraft({ contact: { ...leadDraft().contact, email: null } });
    const input = toContactInput(draft, 'referral_key');
    expect(input).toMatchObject({ idProperty: 'referral_key', id: draft.referralId });
    expect(input.properties).toMatchObject({ referral_key: draft.referralId, lastname: 'Rivera' });
    expect(input.properties).not.toHaveProperty('email');
  });

  it('never clears a value of the shared contact when the referral lacks it', () => {
    const draft = leadDraft({
      companyName: null,
      contact: { firstName: null, lastName: 'Rivera', email: 'a@b.example', phone: null, jobTitle: null },
    });
    const { properties } = toContactInput(draft, 'referral_id');
    expect(Object.values(properties)).not.toContain('');
    expect(properties).not.toHaveProperty('firstname');
    expect(properties).not.toHaveProperty('company');
  });
});

describe('LeadDraft → HubSpot lead or deal', () => {
  it('names the lead after the topic and writes the referral link when configured, never stage or key', () => {
    const draft = leadDraft();
    const properties = toRecordProperties(draft, { ...leads, referralUrlProperty: 'referral_url' });
    expect(properties).toEqual({ hs_lead_name: draft.topic, referral_url: draft.referralUrl });
  });

  it('writes the portal’s own properties on the record as text, a null as a clear, and none empty on create', () => {
    const draft = { ...leadDraft(), extra: { deal_size: 250000, strategic: true, segment: null } };
    expect(toRecordProperties(draft, leads)).toMatchObject({
      deal_size: '250000',
      strategic: 'true',
      segment: '',
    });
    const created = toCreateProperties(draft, {
      ...leads,
      referralIdProperty: 'referral_id',
      pipeline: 'lead-pipeline-id',
      initialStage: 'new-stage-id',
    });
    expect(created).toMatchObject({ deal_size: '250000', strategic: 'true' });
    expect(created).not.toHaveProperty('segment');
  });

  it('writes a deal’s amount without exponent, its close date at noon UTC, and clears what the referral lacks', () => {
    expect(toRecordProperties(leadDraft({ estimatedAmount: 1234.5 }), deals)).toMatchObject({
      dealname: 'Northwind Traders - Azure migration',
      amount: '1234.50',
      closedate: '2026-09-30T12:00:00.000Z',
    });
    expect(toRecordProperties(leadDraft({ estimatedAmount: 0.0000001 }), deals).amount).toBe('0');
    expect(
      toRecordProperties(
        leadDraft({ estimatedAmount: null, estimatedCloseDate: null, description: null }),
        deals,
      ),
    ).toMatchObject({ amount: '', closedate: '', description: '' });
  });

  it("leaves out an amount in a currency other than the portal's, and writes one without a currency", () => {
    expect(toRecordProperties(leadDraft({ currencyCode: 'EUR' }), deals)).not.toHaveProperty('amount');
    expect(toRecordProperties(leadDraft({ currencyCode: null, estimatedAmount: 10 }), deals).amount).toBe(
      '10',
    );
  });

  it('creates with the key, the pipeline and the first stage, and nothing to clear', () => {
    const draft = leadDraft({ description: null });
    const properties = toCreateProperties(draft, {
      ...deals,
      referralIdProperty: 'referral_id',
      pipeline: 'default',
      initialStage: 'appointmentscheduled',
    });
    expect(properties).toMatchObject({
      referral_id: draft.referralId,
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
    });
    expect(properties).not.toHaveProperty('description');
  });
});
