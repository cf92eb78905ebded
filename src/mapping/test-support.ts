import type { LeadState } from '../core/lead.ts';
import type { StatusPairKey } from '../core/referral-status.ts';
import { parseReferral, type Referral, type ReferralMember } from '../partner-center/referral-schema.ts';
import { SPEC_EXAMPLE_REFERRAL } from '../partner-center/spec-example-referral.ts';

const specExample = SPEC_EXAMPLE_REFERRAL;

export const referralUrl = (id: string) => `https://partner.microsoft.com/dashboard/referrals/v2/leads/${id}`;

export function sampleReferral(): Referral {
  return parseReferral(structuredClone(specExample));
}

type CustomerProfile = NonNullable<Referral['customerProfile']>;
type Details = NonNullable<Referral['details']>;

export function withCustomer(referral: Referral, changes: Partial<CustomerProfile>): Referral {
  const customerProfile = referral.customerProfile ?? {
    name: null,
    size: null,
    address: null,
    team: [],
    ids: [],
  };
  return { ...referral, customerProfile: { ...customerProfile, ...changes } };
}

export function withAddress(
  referral: Referral,
  changes: Partial<NonNullable<CustomerProfile['address']>>,
): Referral {
  const address = referral.customerProfile?.address ?? {
    addressLine1: null,
    addressLine2: null,
    city: null,
    state: null,
    postalCode: null,
    country: null,
    region: null,
  };
  return withCustomer(referral, { address: { ...address, ...changes } });
}

export function withDetails(referral: Referral, changes: Partial<Details>): Referral {
  const details = referral.details ?? {
    notes: null,
    dealValue: null,
    currency: null,
    closingDateTime: null,
    requirements: null,
  };
  return { ...referral, details: { ...details, ...changes } };
}

export function withStatus(referral: Referral, key: StatusPairKey): Referral {
  const [status, substatus] = key.split('/') as [Referral['status'], Referral['substatus']];
  return { ...referral, status, substatus };
}

export function member(fields: Partial<ReferralMember>): ReferralMember {
  return { firstName: null, lastName: null, email: null, phoneNumber: null, title: null, ...fields };
}

export function leadState(fields: Partial<LeadState> = {}): LeadState {
  return { leadId: '6b1f6d7e-0c2a-4e0b-9a41-1d2c3b4a5f60', phase: 'open', crmStatus: '1', ...fields };
}
