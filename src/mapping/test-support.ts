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

/**
 * `count` referrals (raw JSON, as Partner Center would send them) that vary the spec example in every way
 * the mapping has a rule for: missing and blank values, whitespace, contact choice, names, e-mails, country
 * spellings, currencies, amounts as text, dates, long and multi-line notes, requirement lists, invitations.
 * Deterministic for a seed, so a golden file can pin what the mapping makes of them.
 */
export function referralVariants(count: number, seed = 1): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sometimes = (share: number) => random() < share;
  const variants: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n++) {
    const raw = structuredClone(specExample) as unknown as RawReferral;
    raw.id = sometimes(0.2) ? raw.id.toUpperCase() : `${raw.id.slice(0, -4)}${String(n).padStart(4, '0')}`;
    if (sometimes(0.4)) raw.name = pick(NAMES);
    if (sometimes(0.1)) (raw as Loose).customerProfile = null;
    else {
      const profile = raw.customerProfile;
      if (sometimes(0.3)) profile.name = pick([null, '  ', ' Contoso \n Ltd ', 'Fabrikam, Inc.']);
      if (sometimes(0.3)) profile.size = pick([null, '1to10employees', '']);
      if (sometimes(0.1)) profile.address = null;
      else {
        const address: Loose = profile.address ?? {};
        profile.address = address;
        if (sometimes(0.5)) address.country = pick(COUNTRY_SPELLINGS);
        if (sometimes(0.3)) address.addressLine2 = pick(['Floor 3', '  ', null, 'Suite\n 12']);
        if (sometimes(0.2)) address.city = pick([' Köln ', null, 'São Paulo']);
        if (sometimes(0.2)) address.postalCode = pick([62701, ' 50667 ', null]);
        if (sometimes(0.2)) address.state = pick([null, 'NRW', '  ']);
      }
      if (sometimes(0.5)) {
        const size = Math.floor(random() * 4);
        profile.team = Array.from({ length: size }, () => ({
          firstName: pick([null, 'Kim', 'Ada Lovelace', '  ', 'Jean-Luc']),
          lastName: pick([null, 'First', 'van der Berg', '  ']),
          email: pick([null, 'kim@contoso.example', 'not-an-email', ' pat@fabrikam.example ', '']),
          phoneNumber: pick([null, '+44  20 7946 0000', 15550100]),
          title: pick([null, 'CIO', '  Head of IT ']),
        }));
      }
    }
    if (sometimes(0.1)) (raw as Loose).details = null;
    else {
      const details = raw.details;
      if (sometimes(0.4)) details.dealValue = pick([null, '10000', 1200.5, 0, ' 99.95 ']);
      if (sometimes(0.4)) details.currency = pick([null, 'eur', 'US Dollar', ' usd ', '', 'GBP']);
      if (sometimes(0.4)) details.closingDateTime = pick(CLOSING_TIMES);
      if (sometimes(0.4)) details.notes = pick(NOTES);
      if (sometimes(0.3)) details.requirements = pick(REQUIREMENTS);
    }
    if (sometimes(0.3))
      raw.inviteContext = pick([
        null,
        { notes: 'Call us.\r\n\r\n\r\nThanks', assistanceRequestCode: null },
        { notes: null, assistanceRequestCode: 'Technical' },
      ]);
    for (const key of ['type', 'qualification', 'direction'] as const) {
      if (sometimes(0.15)) raw[key] = null;
    }
    variants.push(raw);
  }
  return variants;
}

type Loose = Record<string, unknown>;
type RawReferral = Loose & {
  id: string;
  /** Set to null only as the last change to it. */
  customerProfile: Loose & { address: Loose | null };
  details: Loose;
};

const NAMES = [null, '  ', '  Big   Deal  ', 'Référence — Über große Migration', 'x'.repeat(400)];
const COUNTRY_SPELLINGS = ['usa', 'DEU', 'United Kingdom', 'uk', 'gb', 'Atlantis', '', 'de', 'Deutschland'];
const CLOSING_TIMES = [
  '2025-09-30T23:30:00-07:00',
  '2025-09-30',
  '2025-09-30T00:00:00.0000000Z',
  '30/09/2025',
  '2025-02-30T00:00:00Z',
  'soon',
  null,
];
const NOTES = [
  null,
  '  ',
  'Line one  \r\nLine two\r\n\r\n\r\n\r\nAfter a gap',
  `${'A long note. '.repeat(200)}`,
  `${'y'.repeat(2500)}`,
];
const REQUIREMENTS = [
  null,
  {
    industries: [{ id: 'IND-2', name: 'Retail' }],
    products: [
      { id: 'PRD-9', name: null },
      { id: 'PRD-9', name: null },
    ],
    services: [
      { id: 'SVC-2', name: 'Migration' },
      { id: 'SVC-1', name: 'Assessment' },
    ],
    solutions: [{ id: 'SOL-2', name: 'Zeta Factory', publisherName: null }],
  },
  { industries: [], products: [], services: [], solutions: [] },
];

/** mulberry32: small, fast and deterministic; quality is irrelevant here. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
