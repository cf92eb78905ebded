import { describe, expect, it } from 'vitest';
import { mapReferralToLead } from './map-referral-to-lead.ts';
import {
  member,
  referralUrl,
  sampleReferral,
  withAddress,
  withCustomer,
  withDetails,
} from './test-support.ts';

const map = (referral = sampleReferral()) => mapReferralToLead(referral, { referralUrl });
const codes = (referral = sampleReferral()) => map(referral).warnings.map((warning) => warning.code);

describe('mapReferralToLead', () => {
  it('maps the spec example to the documented lead, without warnings', () => {
    const { draft, warnings } = map();

    expect(draft).toEqual({
      referralId: '3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10',
      referralUrl:
        'https://partner.microsoft.com/dashboard/referrals/v2/leads/3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10',
      topic: 'Northwind Traders - Azure migration',
      companyName: 'Northwind Traders',
      contact: {
        firstName: 'Alex',
        lastName: 'Rivera',
        email: 'alex.rivera@northwind.example',
        phone: '+15550100',
        jobTitle: null,
      },
      address: {
        line1: '1 Sample Street',
        line2: null,
        city: 'Springfield',
        stateOrProvince: 'IL',
        postalCode: '62701',
        country: 'US',
      },
      description: [
        'Customer wants to move two datacenters to Azure this fiscal year.',
        '',
        'Invitation (QuotesOrLicensing): Need help with licensing quote.',
        '',
        'Solutions: Example Migration Factory (SOL-12345-ABC)',
        '',
        'Deal value: 250000 USD',
        'Expected close: 2025-09-30',
        'Customer size: 251to1000employees',
        'Referral: Shared, SalesQualified, Incoming',
      ].join('\n'),
      estimatedAmount: 250000,
      currencyCode: 'USD',
      estimatedCloseDate: '2025-09-30',
      source: 'external-referral',
    });
    expect(warnings).toEqual([]);
  });

  it('uses the normalised referral key, but the id as Partner Center spells it in the link', () => {
    const { draft } = map({ ...sampleReferral(), id: '3F2A9C1E-8B7D-4E21-9A55-0C6D2B7E4F10' });

    expect(draft.referralId).toBe('3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10');
    expect(draft.referralUrl).toMatch(/3F2A9C1E-8B7D-4E21-9A55-0C6D2B7E4F10$/);
  });

  it('takes the first customer contact with an email, not the last one as Microsoft’s sample did', () => {
    const referral = withCustomer(sampleReferral(), {
      team: [
        member({ firstName: 'Pat', lastName: 'NoMail', phoneNumber: '+15550000' }),
        member({
          firstName: 'Kim',
          lastName: 'First',
          email: 'kim@northwind.example',
          phoneNumber: '+15550001',
        }),
        member({
          firstName: 'Lou',
          lastName: 'Last',
          email: 'lou@northwind.example',
          phoneNumber: '+15550002',
        }),
      ],
    });

    expect(map(referral).draft.contact).toEqual({
      firstName: 'Kim',
      lastName: 'First',
      email: 'kim@northwind.example',
      phone: '+15550001',
      jobTitle: null,
    });
  });

  it('names the referral id as topic when the referral has no name', () => {
    const { draft, warnings } = map({ ...sampleReferral(), name: '  ' });

    expect(draft.topic).toBe('Referral 3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10');
    expect(warnings.map((warning) => warning.code)).toEqual(['topic_missing']);
  });

  it('cleans whitespace out of one-line fields', () => {
    const { draft } = map({ ...sampleReferral(), name: '  Northwind\n  Azure   migration ' });

    expect(draft.topic).toBe('Northwind Azure migration');
  });

  it.each([
    ['usa', 'US'],
    ['DEU', 'DE'],
    ['United Kingdom', 'GB'],
    ['uk', 'GB'],
    ['gb', 'GB'],
  ])('maps the country %s to %s', (country, alpha2) => {
    expect(map(withAddress(sampleReferral(), { country })).draft.address.country).toBe(alpha2);
  });

  it('leaves an unrecognised country empty and records why', () => {
    const { draft, warnings } = map(withAddress(sampleReferral(), { country: 'Atlantis' }));

    expect(draft.address.country).toBeNull();
    expect(warnings).toEqual([
      {
        code: 'country_unrecognised',
        field: 'address.country',
        detail: '"Atlantis" is not an ISO 3166 alpha-2 code, nor a known alpha-3 code or name',
      },
    ]);
  });

  it('upper-cases the currency code', () => {
    const referral = withDetails(sampleReferral(), { dealValue: 1200.5, currency: 'eur' });

    expect(map(referral).draft).toMatchObject({ estimatedAmount: 1200.5, currencyCode: 'EUR' });
  });

  it('keeps the amount but not a currency that is not ISO 4217, and says so', () => {
    const referral = withDetails(sampleReferral(), { currency: 'US Dollar' });
    const { draft, warnings } = map(referral);

    expect(draft).toMatchObject({ estimatedAmount: 250000, currencyCode: null });
    expect(warnings.map((warning) => warning.code)).toEqual(['currency_invalid', 'amount_without_currency']);
    expect(draft.description).toContain('Deal value: 250000 US Dollar');
  });

  it('keeps an amount that has no currency at all, and says so', () => {
    expect(codes(withDetails(sampleReferral(), { currency: null }))).toEqual(['amount_without_currency']);
  });

  it.each([
    ['2025-09-30T00:00:00Z', '2025-09-30'],
    ['2025-09-30T23:30:00-07:00', '2025-09-30'],
    ['2025-09-30', '2025-09-30'],
    ['2025-09-30T00:00:00.0000000Z', '2025-09-30'],
  ])('takes the close date of %s as %s', (closingDateTime, date) => {
    expect(map(withDetails(sampleReferral(), { closingDateTime })).draft.estimatedCloseDate).toBe(date);
  });

  it.each(['30/09/2025', '2025-02-30T00:00:00Z', 'soon'])(
    'leaves the close date %s empty and says so',
    (raw) => {
      const { draft, warnings } = map(withDetails(sampleReferral(), { closingDateTime: raw }));

      expect(draft.estimatedCloseDate).toBeNull();
      expect(warnings.map((warning) => warning.code)).toEqual(['close_date_invalid']);
    },
  );

  it('maps a referral with only the required fields to an almost empty lead, with the reasons', () => {
    const bare = {
      ...sampleReferral(),
      name: null,
      customerProfile: null,
      details: null,
      inviteContext: null,
      type: null,
      qualification: null,
      direction: null,
    };
    const { draft, warnings } = map(bare);

    expect(draft).toMatchObject({
      companyName: null,
      contact: { firstName: null, lastName: null, email: null, phone: null, jobTitle: null },
      address: {
        line1: null,
        line2: null,
        city: null,
        stateOrProvince: null,
        postalCode: null,
        country: null,
      },
      description: null,
      estimatedAmount: null,
      currencyCode: null,
      estimatedCloseDate: null,
    });
    expect(warnings.map((warning) => warning.code)).toEqual([
      'topic_missing',
      'company_missing',
      'contact_missing',
    ]);
  });

  it('caps the description at the configured length and says so', () => {
    const referral = withDetails(sampleReferral(), { notes: 'x'.repeat(5000) });
    const { draft, warnings } = mapReferralToLead(referral, { referralUrl, descriptionMaxLength: 500 });

    expect(draft.description?.length).toBeLessThanOrEqual(500);
    expect(warnings.map((warning) => warning.code)).toEqual(['description_truncated']);
  });

  it('caps the description at 2000 characters by default', () => {
    const referral = withDetails(sampleReferral(), { notes: 'x'.repeat(5000) });

    expect(map(referral).draft.description).toHaveLength(2000);
  });
});
