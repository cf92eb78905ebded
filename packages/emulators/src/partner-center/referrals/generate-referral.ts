/**
 * Realistic referrals for demos, benchmarks and tests, drawn from a seeded `Random` only: the same seed
 * and `now` give the same referrals. Covers both directions, the lead and co-sell categories of §2.4,
 * every lifecycle state (mostly incoming New/Pending), several countries and currencies, and contacts
 * with missing emails or phones.
 */
import { DEV_CREDENTIALS } from '../../credentials.ts';
import type { Random } from '../../shared/random.ts';
import {
  type Member,
  MICROSOFT_ORGANIZATION,
  type PartnerOrganization,
  type ReferralDirection,
  type ReferralDraft,
  type ReferralStatus,
  type ReferralSubstatus,
  SALES_STAGES,
} from './referral.ts';
import {
  COMPANY_STEMS,
  COUNTRIES,
  type CountryProfile,
  DEAL_NAMES,
  FIRST_NAMES,
  INDUSTRIES,
  LAST_NAMES,
  NOTES,
  OTHER_PARTNERS,
  PRODUCTS,
  SERVICES,
  SOLUTIONS,
  STATUS_REASONS,
  TITLES,
} from './referral-sample-data.ts';
import { formatTimestamp, ticksFromMs } from './timestamps.ts';

export type GenerateReferralOptions = {
  /** Milliseconds since the epoch; every generated timestamp lies at or before it. */
  now: number;
  partner: PartnerOrganization;
  direction?: ReferralDirection;
};

/** Days an incoming referral may stay un-actioned before it is archived as Closed/Expired (§2.4). */
export const EXPIRY_DAYS = 14;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PARTNER_DOMAIN = DEV_CREDENTIALS.username.split('@')[1] ?? 'contoso-partner.example';

type Lifecycle = { status: Exclude<ReferralStatus, 'None'>; substatus: ReferralSubstatus };

const INCOMING_LIFECYCLES: [number, Lifecycle][] = [
  [0.6, { status: 'New', substatus: 'Pending' }],
  [0.05, { status: 'New', substatus: 'Received' }],
  [0.2, { status: 'Active', substatus: 'Accepted' }],
  [0.05, { status: 'Closed', substatus: 'Won' }],
  [0.04, { status: 'Closed', substatus: 'Lost' }],
  [0.03, { status: 'Closed', substatus: 'Declined' }],
  [0.03, { status: 'Closed', substatus: 'Expired' }],
];

const OUTGOING_LIFECYCLES: [number, Lifecycle][] = [
  [0.8, { status: 'Active', substatus: 'Accepted' }],
  [0.12, { status: 'Closed', substatus: 'Won' }],
  [0.08, { status: 'Closed', substatus: 'Lost' }],
];

/** USD-equivalent multiplier so values look plausible in each currency. */
const CURRENCY_SCALE: Record<string, number> = { JPY: 150, INR: 83, BRL: 5, AUD: 1.5, CAD: 1.35 };

export function generateReferral(random: Random, options: GenerateReferralOptions): ReferralDraft {
  const direction = options.direction ?? (random.chance(0.75) ? 'Incoming' : 'Outgoing');
  const lifecycle = weighted(random, direction === 'Incoming' ? INCOMING_LIFECYCLES : OUTGOING_LIFECYCLES);
  const country = random.pick(COUNTRIES);
  const place = random.pick(country.places);
  const customerName = `${random.pick(COMPANY_STEMS)} ${random.pick(country.companySuffixes)}`;
  const times = lifecycleTimes(random, options.now, direction, lifecycle);
  const category = pickCategory(random, direction, options.partner);
  const currency = random.chance(0.8) ? country.currency : 'USD';
  const scale = CURRENCY_SCALE[currency] ?? 1;
  const unit = scale >= 50 ? 10_000 : 100;
  const dealValue = Math.round((random.int(5, 500) * 1_000 * scale) / unit) * unit;
  const reasons: readonly (string | null)[] =
    lifecycle.status === 'Closed'
      ? STATUS_REASONS[lifecycle.substatus as keyof typeof STATUS_REASONS]
      : [null];

  return {
    id: random.uuid(),
    engagementId: random.uuid(),
    name: `${customerName} - ${random.pick(DEAL_NAMES)}`,
    organizationId: options.partner.organizationId,
    organizationName: options.partner.organizationName,
    mpnId: options.partner.mpnId,
    externalReferenceId:
      lifecycle.status !== 'New' && random.chance(0.4) ? `CRM-OPP-${random.int(100_000, 999_999)}` : null,
    ...times,
    status: lifecycle.status,
    substatus: lifecycle.substatus,
    statusReason: random.pick(reasons),
    type: category.type,
    qualification: category.qualification,
    direction,
    referralSource: null,
    callToAction: null,
    salesStage: salesStage(random, lifecycle),
    favorite: random.chance(0.1),
    isSpam: false,
    quality: 'Unknown',
    dealSensitivity: 'None',
    registrationStatus: 'None',
    tags: [],
    target:
      direction === 'Incoming' && random.chance(0.5) ? [{ type: 'SolutionProfile', id: random.uuid() }] : [],
    customerProfile: {
      name: customerName,
      size: random.chance(0.05) ? '' : random.pick(CUSTOMER_SIZE_CHOICES),
      isMatchingComplete: random.chance(0.3),
      address: {
        addressLine1: `${random.int(1, 250)} ${random.pick(country.streets)}`,
        addressLine2: random.chance(0.2) ? `Floor ${random.int(2, 30)}` : null,
        city: place.city,
        state: place.state,
        postalCode: place.postalCode,
        country: country.country,
        region: random.chance(0.5) ? country.region : null,
      },
      team: Array.from({ length: random.int(1, 3) }, () => customerContact(random, country, customerName)),
      ids: profileIds(random),
    },
    consent: {
      consentToToShareInfoWithOthers: random.chance(0.7),
      consentToContact: random.chance(0.85),
      consentToMicrosoftToContactSpecificPartners: random.chance(0.5),
      consentToShareReferralWithMicrosoftSellers: category.shareWithMicrosoft,
    },
    details: {
      notes: random.pick(NOTES),
      dealValue,
      currency,
      closingDateTime: closingDate(random, times.createdDateTime),
      requirements: {
        industries: random.chance(0.7) ? [{ id: random.pick(INDUSTRIES) }] : [],
        products: distinct(random, PRODUCTS, random.int(0, 2)).map((id) => ({ id })),
        services: distinct(random, SERVICES, random.int(0, 1)).map((id) => ({ id })),
        solutions:
          direction === 'Outgoing' || random.chance(0.6) ? [solution(random, options.partner, currency)] : [],
        salesPlays: [],
        additionalRequirements: {
          iot: {},
          attributes: random.chance(0.2) ? [{ type: 'CustomerMarketplaceIntent', id: 'HaveNotDecided' }] : [],
        },
      },
      customerRequestedContact: random.chance(0.5),
      customerAction: null,
      incentiveLevel: null,
    },
    team: Array.from({ length: partnerTeamSize(random, lifecycle) }, () => partnerSeller(random, country)),
    inviteContext: category.inviteContext,
    trackingInfo: {
      microsoftMsxId: random.chance(0.3) ? `7-${random.int(1_000_000_000, 9_999_999_999)}` : null,
    },
    registrations: [],
  };
}

const CUSTOMER_SIZE_CHOICES = [
  '1to9employees',
  '10to50employees',
  '51to250employees',
  '251to1000employees',
  '1001to5000employees',
  '5001to10000employees',
  '10001to20000employees',
  'Morethan20000employees',
  '51to500employees',
] as const;

function weighted<T>(random: Random, choices: readonly [number, T][]): T {
  let draw = random.next();
  for (const [weight, value] of choices) {
    if (draw < weight) return value;
    draw -= weight;
  }
  const last = choices[choices.length - 1];
  if (!last) throw new Error('weighted() needs at least one choice');
  return last[1];
}

type Times = Pick<
  ReferralDraft,
  'createdDateTime' | 'updatedDateTime' | 'expirationDateTime' | 'acceptedDateTime' | 'closedDateTime'
>;

function lifecycleTimes(
  random: Random,
  now: number,
  direction: ReferralDirection,
  lifecycle: Lifecycle,
): Times {
  // Ticks, each no earlier than the previous one, so sub-millisecond digits never reorder the dates.
  const tick = (ms: number, notBefore = 0n) => {
    const jitterMs = random.int(0, HOUR_MS - 1);
    const ticks = ticksFromMs(Math.min(ms + jitterMs, now)) + BigInt(random.int(0, 9_999));
    return ticks > notBefore ? ticks : notBefore;
  };
  const ago = (minDays: number, maxDays: number) => now - random.int(minDays * 24, maxDays * 24) * HOUR_MS;
  if (lifecycle.status === 'New') {
    // Within the expiry window, so a freshly generated New referral is not already overdue.
    const createdMs = now - random.int(1, (EXPIRY_DAYS - 1) * 24) * HOUR_MS;
    const created = tick(createdMs);
    const updated =
      lifecycle.substatus === 'Received' ? tick(createdMs + random.int(1, 48) * HOUR_MS, created) : created;
    return {
      createdDateTime: formatTimestamp(created),
      updatedDateTime: formatTimestamp(updated),
      expirationDateTime: formatTimestamp(created + ticksFromMs(EXPIRY_DAYS * DAY_MS)),
      acceptedDateTime: null,
      closedDateTime: null,
    };
  }
  const createdMs = lifecycle.status === 'Active' ? ago(1, 60) : ago(20, 180);
  const created = tick(createdMs);
  const acceptedMs = direction === 'Outgoing' ? createdMs : createdMs + random.int(1, 72) * HOUR_MS;
  const accepted = direction === 'Outgoing' ? created : tick(acceptedMs, created);
  if (lifecycle.status === 'Active') {
    return {
      createdDateTime: formatTimestamp(created),
      updatedDateTime: formatTimestamp(tick(acceptedMs + random.int(0, 240) * HOUR_MS, accepted)),
      expirationDateTime: null,
      acceptedDateTime: formatTimestamp(accepted),
      closedDateTime: null,
    };
  }
  const wasAccepted = lifecycle.substatus === 'Won' || lifecycle.substatus === 'Lost';
  const closedMs =
    lifecycle.substatus === 'Expired'
      ? createdMs + EXPIRY_DAYS * DAY_MS
      : lifecycle.substatus === 'Declined'
        ? createdMs + random.int(1, 96) * HOUR_MS
        : acceptedMs + random.int(2, 15 * 24) * HOUR_MS;
  const closed = formatTimestamp(tick(closedMs, wasAccepted ? accepted : created));
  return {
    createdDateTime: formatTimestamp(created),
    updatedDateTime: closed,
    expirationDateTime: null,
    acceptedDateTime: wasAccepted ? formatTimestamp(accepted) : null,
    closedDateTime: closed,
  };
}

type Category = Pick<ReferralDraft, 'type' | 'qualification' | 'inviteContext'> & {
  shareWithMicrosoft: boolean;
};

/** §2.4 "Referral category": qualified leads come from Microsoft; co-sell from a partner (or us). */
function pickCategory(random: Random, direction: ReferralDirection, partner: PartnerOrganization): Category {
  if (direction === 'Incoming' && random.chance(0.55)) {
    return {
      type: 'Independent',
      qualification: random.pick(['SalesQualified', 'MarketingQualified'] as const),
      shareWithMicrosoft: true,
      inviteContext: {
        notes: random.chance(0.5) ? 'Qualified lead from a Microsoft campaign.' : null,
        assistanceRequestCode: null,
        invitedMpnId: null,
        invitedBy: { ...MICROSOFT_ORGANIZATION },
      },
    };
  }
  if (direction === 'Incoming') {
    const inviter = random.pick(OTHER_PARTNERS);
    return {
      type: random.chance(0.8) ? 'Shared' : 'Independent',
      qualification: random.pick(['SalesQualified', 'None'] as const),
      shareWithMicrosoft: true,
      inviteContext: {
        notes: 'Looking for a partner to co-sell this deal.',
        assistanceRequestCode: random.pick(['GeneralOrOther', 'CustomerTechnicalArchitecture'] as const),
        invitedMpnId: inviter.mpnId,
        invitedBy: { organizationId: inviter.organizationId, organizationName: inviter.organizationName },
      },
    };
  }
  // Outgoing: private (no sharing), partner-led (shared, no help) or co-sell (shared, help requested).
  const kind = random.pick(['private', 'partner-led', 'co-sell'] as const);
  return {
    type: kind === 'co-sell' ? 'Shared' : 'Independent',
    qualification: 'SalesQualified',
    shareWithMicrosoft: kind !== 'private',
    inviteContext:
      kind === 'co-sell'
        ? {
            notes: 'Need help with licensing quote.',
            assistanceRequestCode: random.pick(['QuotesOrLicensing', 'ProofOfConceptOrDemo'] as const),
            invitedMpnId: partner.mpnId,
            invitedBy: { organizationId: partner.organizationId, organizationName: partner.organizationName },
          }
        : null,
  };
}

function salesStage(random: Random, lifecycle: Lifecycle): ReferralDraft['salesStage'] {
  if (lifecycle.status === 'Active') return random.pick(SALES_STAGES);
  if (lifecycle.substatus === 'Won') return 'Close';
  return null;
}

function customerContact(random: Random, country: CountryProfile, company: string): Member {
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  const domain = `${
    company
      .split(' ')[0]
      ?.toLowerCase()
      .replace(/[^a-z]/g, '') || 'customer'
  }.example`;
  return {
    firstName,
    lastName,
    email: random.chance(0.2) ? null : `${ascii(firstName)}.${ascii(lastName)}@${domain}`,
    phoneNumber: random.chance(0.25) ? null : `${country.phonePrefix}${random.int(200_000_000, 999_999_999)}`,
    title: random.chance(0.5) ? random.pick(TITLES) : null,
    contactPreference: { locale: country.locale, disableNotifications: false },
  };
}

function partnerSeller(random: Random, country: CountryProfile): Member {
  if (random.chance(0.3)) {
    return {
      firstName: 'Referrals',
      lastName: 'Admin',
      email: DEV_CREDENTIALS.username,
      phoneNumber: null,
      contactPreference: { locale: 'en-US', disableNotifications: null },
    };
  }
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  return {
    firstName,
    lastName,
    email: `${ascii(firstName)}.${ascii(lastName)}@${PARTNER_DOMAIN}`,
    phoneNumber: random.chance(0.5) ? `${country.phonePrefix}${random.int(200_000_000, 999_999_999)}` : null,
    contactPreference: { locale: country.locale, disableNotifications: null },
  };
}

function partnerTeamSize(random: Random, lifecycle: Lifecycle): number {
  return lifecycle.status === 'New' ? random.int(0, 1) : random.int(1, 2);
}

function profileIds(random: Random): ReferralDraft['customerProfile']['ids'] {
  const ids: ReferralDraft['customerProfile']['ids'] = [];
  if (random.chance(0.4))
    ids.push({ profileType: 'Duns', id: String(random.int(10_000_000, 999_999_999)).padStart(9, '0') });
  if (random.chance(0.1)) ids.push({ profileType: 'External', id: `EXT-${random.int(10_000, 99_999)}` });
  return ids;
}

function solution(random: Random, partner: PartnerOrganization, currency: string) {
  const chosen = random.pick(SOLUTIONS);
  const firstParty = chosen.solutionType === '1P';
  return {
    id: firstParty ? random.uuid() : `SOL-${random.int(10_000, 99_999)}-${letters(random, 3)}`,
    name: chosen.name,
    type: 'Name' as const,
    publisherName: firstParty ? 'Microsoft' : partner.organizationName,
    solutionType: chosen.solutionType,
    price: null,
    quantity: null,
    currency,
  };
}

function closingDate(random: Random, createdDateTime: string): string {
  const created = Date.parse(`${createdDateTime.slice(0, 23)}Z`);
  const day = new Date(created + random.int(30, 270) * DAY_MS).toISOString().slice(0, 10);
  return `${day}T00:00:00Z`;
}

function distinct<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) {
    chosen.push(...pool.splice(random.int(0, pool.length - 1), 1));
  }
  return chosen;
}

function letters(random: Random, length: number): string {
  return Array.from({ length }, () => String.fromCharCode(65 + random.int(0, 25))).join('');
}

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}
