import { describe, expect, it } from 'vitest';
import { toLeadColumns } from './lead-columns.ts';
import { leadDraft } from './test-support.ts';

describe('toLeadColumns', () => {
  it('maps the draft to the documented lead columns, as an external referral', () => {
    const { columns, warnings } = toLeadColumns(leadDraft(), {
      referralUrlColumn: 'new_referralurl',
      currencyId: 'usd-id',
    });

    expect(columns).toEqual({
      subject: 'Northwind Traders - Azure migration',
      firstname: 'Alex',
      lastname: 'Rivera',
      companyname: 'Northwind Traders',
      emailaddress1: 'alex.rivera@northwind.example',
      telephone1: '+15550100',
      jobtitle: 'CTO',
      address1_line1: '1 Sample Street',
      address1_line2: null,
      address1_city: 'Springfield',
      address1_stateorprovince: 'IL',
      address1_postalcode: '62701',
      address1_country: 'US',
      description: 'Customer wants to move two datacenters to Azure this fiscal year.',
      estimatedclosedate: '2026-09-30',
      leadsourcecode: 3,
      estimatedamount: 250000,
      'transactioncurrencyid@odata.bind': '/transactioncurrencies(usd-id)',
      new_referralurl: 'https://partner.microsoft.com/referrals/3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10',
    });
    expect(warnings).toEqual([]);
  });

  it('writes the organization’s own columns verbatim after its own, a null as a clear', () => {
    const draft = { ...leadDraft(), extra: { new_dealsize: 250000, new_segment: null, leadsourcecode: 8 } };
    const { columns } = toLeadColumns(draft, { referralUrlColumn: 'new_referralurl' });

    expect(columns).toMatchObject({ new_dealsize: 250000, new_segment: null, leadsourcecode: 8 });
  });

  it('never repeats the referral id (the alternate key) in the body', () => {
    const { columns } = toLeadColumns(leadDraft(), { referralUrlColumn: 'new_referralurl' });
    expect(Object.values(columns)).not.toContain(leadDraft().referralId);
    expect(columns).not.toHaveProperty('new_referralid');
  });

  it('writes nulls as clears, so the lead keeps mirroring the referral', () => {
    const draft = leadDraft({
      companyName: null,
      description: null,
      contact: { firstName: null, lastName: 'Rivera', email: null, phone: null, jobTitle: null },
    });
    const { columns } = toLeadColumns(draft, {});
    expect(columns).toMatchObject({
      companyname: null,
      description: null,
      firstname: null,
      emailaddress1: null,
    });
  });

  it('fills the required last name from the company, then from the topic, within 50 characters', () => {
    const noContact = { firstName: null, lastName: null, email: null, phone: null, jobTitle: null };
    expect(toLeadColumns(leadDraft({ contact: noContact }), {}).columns.lastname).toBe('Northwind Traders');
    const topic = 'T'.repeat(80);
    const { columns } = toLeadColumns(leadDraft({ contact: noContact, companyName: null, topic }), {});
    expect(columns.lastname).toBe('T'.repeat(50));
  });

  it('writes an amount without a currency as it is, in the base currency', () => {
    const { columns } = toLeadColumns(leadDraft({ currencyCode: null, estimatedAmount: 900 }), {});
    expect(columns.estimatedamount).toBe(900);
    expect(columns).not.toHaveProperty('transactioncurrencyid@odata.bind');
  });

  it('leaves out an amount in a currency the organization does not have', () => {
    const { columns } = toLeadColumns(leadDraft({ currencyCode: 'XTS', estimatedAmount: 900 }), {});
    expect(columns).not.toHaveProperty('estimatedamount');
    expect(columns).not.toHaveProperty('transactioncurrencyid@odata.bind');
  });

  it('writes no referral link column unless one is configured', () => {
    expect(Object.keys(toLeadColumns(leadDraft(), {}).columns)).not.toContain('new_referralurl');
  });

  it('shortens text to the column lengths and says so', () => {
    const { columns, warnings } = toLeadColumns(
      leadDraft({ topic: 'x'.repeat(400), companyName: 'c'.repeat(150) }),
      {},
    );
    expect(String(columns.subject)).toHaveLength(300);
    expect(String(columns.companyname)).toHaveLength(100);
    expect(warnings.map((w) => w.field).toSorted()).toEqual(['companyName', 'topic']);
  });

  it('leaves out an e-mail address too long for its column rather than cutting it', () => {
    const email = `${'a'.repeat(95)}@example.com`;
    const draft = leadDraft({ contact: { ...leadDraft().contact, email } });
    const { columns, warnings } = toLeadColumns(draft, {});
    expect(columns.emailaddress1).toBeNull();
    expect(warnings).toEqual([expect.objectContaining({ code: 'field_too_long', field: 'contact.email' })]);
  });
});
