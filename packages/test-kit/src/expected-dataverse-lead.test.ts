import type { LeadRecord, Referral } from '@referral-connector/emulators';
import { describe, expect, it } from 'vitest';
import { expectedDataverseLead, TestKitRuleGapError } from './expected-dataverse-lead.ts';
import { leadDifferences } from './lead-differences.ts';

const EUR_ID = '5c1f0000-0000-4000-8000-0000000000e0';
const OPTIONS = {
  referralsUrl: 'https://api.partner.microsoft.com/v1.0/engagements/referrals',
  currencyIdOf: (iso: string) => (iso === 'EUR' ? EUR_ID : undefined),
};

function referral(
  changes: { details?: Partial<Referral['details']> } & Partial<Omit<Referral, 'details'>> = {},
) {
  const base: Referral = {
    id: 'A3F1C2D4-0000-4000-8000-000000000001',
    engagementId: 'e1',
    name: 'Fabrikam GmbH - Azure migration',
    organizationId: 'o1',
    organizationName: 'Contoso Partner',
    mpnId: '1234567',
    externalReferenceId: null,
    createdDateTime: '2026-11-02T09:00:00.0000000Z',
    updatedDateTime: '2026-11-02T09:00:00.0000000Z',
    expirationDateTime: null,
    acceptedDateTime: null,
    closedDateTime: null,
    status: 'New',
    substatus: 'Pending',
    statusReason: null,
    type: 'Shared',
    qualification: 'SalesQualified',
    direction: 'Incoming',
    referralSource: null,
    callToAction: null,
    salesStage: null,
    eTag: '"1"',
    favorite: false,
    isSpam: false,
    quality: 'Unknown',
    dealSensitivity: 'None',
    registrationStatus: 'None',
    tags: [],
    target: [],
    customerProfile: {
      name: 'Fabrikam GmbH',
      size: '51to250employees',
      isMatchingComplete: false,
      address: {
        addressLine1: '1 Hauptstraße',
        addressLine2: null,
        city: 'Berlin',
        state: 'BE',
        postalCode: '10115',
        country: 'de',
        region: 'Western Europe',
      },
      team: [
        { firstName: 'Lukas', lastName: 'Müller', email: null, phoneNumber: '+49 30 1' },
        {
          firstName: 'Anna',
          lastName: 'Schmidt',
          email: 'anna@fabrikam.example',
          phoneNumber: null,
          title: 'CIO',
        },
      ],
      ids: [],
    },
    consent: {
      consentToToShareInfoWithOthers: true,
      consentToContact: true,
      consentToShareReferralWithMicrosoftSellers: true,
    },
    details: {
      notes: 'Two datacenters.\n\n\n\nBudget approved.',
      dealValue: 250000,
      currency: 'EUR',
      closingDateTime: '2027-03-31T00:00:00Z',
      requirements: {
        industries: [{ id: 'Retail' }],
        products: [{ id: 'Copilot' }, { id: 'Azure' }, { id: 'Azure' }],
        services: [],
        solutions: [{ id: 'SOL-1', name: 'Contoso Migration Factory', type: 'Name' }],
        salesPlays: [],
        additionalRequirements: { iot: {}, attributes: [] },
      },
    },
    team: [],
    inviteContext: {
      notes: 'Looking for a partner to co-sell this deal.',
      assistanceRequestCode: 'GeneralOrOther',
      invitedMpnId: null,
      invitedBy: null,
    },
    trackingInfo: {},
    registrations: [],
    links: {
      relatedReferrals: { uri: 'https://example/related', method: 'GET' },
      self: { uri: 'https://example/self', method: 'GET' },
    },
  };
  return { ...base, ...changes, details: { ...base.details, ...changes.details } };
}

describe('expectedDataverseLead', () => {
  it('spells out every column the connector must write for a referral', () => {
    expect(expectedDataverseLead(referral(), OPTIONS)).toEqual({
      new_referralid: 'a3f1c2d4-0000-4000-8000-000000000001',
      new_referralurl:
        'https://api.partner.microsoft.com/v1.0/engagements/referrals/A3F1C2D4-0000-4000-8000-000000000001',
      subject: 'Fabrikam GmbH - Azure migration',
      companyname: 'Fabrikam GmbH',
      firstname: 'Anna',
      lastname: 'Schmidt',
      emailaddress1: 'anna@fabrikam.example',
      telephone1: null,
      jobtitle: 'CIO',
      address1_line1: '1 Hauptstraße',
      address1_line2: null,
      address1_city: 'Berlin',
      address1_stateorprovince: 'BE',
      address1_postalcode: '10115',
      address1_country: 'DE',
      description: [
        'Two datacenters.\n\nBudget approved.',
        'Invitation (GeneralOrOther): Looking for a partner to co-sell this deal.',
        'Solutions: Contoso Migration Factory (SOL-1)\nProducts: Azure; Copilot\nIndustries: Retail',
        'Deal value: 250000 EUR\nExpected close: 2027-03-31\nCustomer size: 51to250employees\nReferral: Shared, SalesQualified, Incoming',
      ].join('\n\n'),
      estimatedamount: 250000,
      estimatedclosedate: '2027-03-31',
      leadsourcecode: 3,
      _transactioncurrencyid_value: EUR_ID,
    });
  });

  it('takes a lone name as the last name and splits a full first name at its last space', () => {
    const team = (firstName: string | null, lastName: string | null) =>
      referral({
        customerProfile: {
          ...referral().customerProfile,
          team: [{ firstName, lastName, email: 'x@y', phoneNumber: null }],
        },
      });
    const names = (r: Referral) => {
      const { firstname, lastname } = expectedDataverseLead(r, OPTIONS);
      return [firstname, lastname];
    };
    expect(names(team('Cher', null))).toEqual([null, 'Cher']);
    expect(names(team('Mary Ann  Evans', null))).toEqual(['Mary Ann', 'Evans']);
    expect(names(team(null, 'van der Berg'))).toEqual([null, 'van der Berg']);
  });

  it('refuses to guess where the documents are silent', () => {
    const codeWithoutNotes = referral({
      inviteContext: {
        notes: null,
        assistanceRequestCode: 'GeneralOrOther',
        invitedMpnId: null,
        invitedBy: null,
      },
    });
    expect(() => expectedDataverseLead(codeWithoutNotes, OPTIONS)).toThrow(TestKitRuleGapError);
    const tooLong = referral({ name: 'x'.repeat(301) });
    expect(() => expectedDataverseLead(tooLong, OPTIONS)).toThrow(/subject is 301 characters/);
    const unknownCurrency = referral({ details: { currency: 'CHF' } });
    expect(() => expectedDataverseLead(unknownCurrency, OPTIONS)).toThrow(/no currency CHF/);
  });
});

describe('leadDifferences', () => {
  it('names each column that differs and ignores the columns the expectation leaves out', () => {
    const lead: LeadRecord = {
      leadid: 'l1',
      statecode: 0,
      statuscode: 1,
      versionnumber: 1,
      createdon: '2026-11-02T09:00:00Z',
      modifiedon: '2026-11-02T09:00:00Z',
      subject: 'A',
      lastname: null,
    };
    expect(leadDifferences({ subject: 'A', lastname: 'B', jobtitle: null }, lead)).toEqual([
      'lastname: null ≠ "B"',
    ]);
  });
});
