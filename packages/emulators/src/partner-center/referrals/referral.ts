/**
 * The Partner Center referral as the emulator stores and serves it (camelCase, every documented field
 * present, `null` where unknown). Glossary:
 * - referral: one lead or co-sell opportunity as seen by one organization (its copy);
 * - engagement: the referrals of several organizations about the same deal (`engagementId`);
 * - incoming: created by Microsoft or another partner for us; outgoing: created by us (the partner);
 * - status/substatus: the lifecycle pair, constrained by `STATUS_RULES` (referral-status-rules.ts).
 */

export const REFERRAL_STATUSES = ['None', 'New', 'Active', 'Closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_SUBSTATUSES = [
  'None',
  'Pending',
  'Received',
  'Accepted',
  'Won',
  'Lost',
  'Declined',
  'Expired',
] as const;
export type ReferralSubstatus = (typeof REFERRAL_SUBSTATUSES)[number];

export const REFERRAL_TYPES = ['Independent', 'Shared'] as const;
export type ReferralType = (typeof REFERRAL_TYPES)[number];

export const REFERRAL_QUALIFICATIONS = ['None', 'Direct', 'MarketingQualified', 'SalesQualified'] as const;
export type ReferralQualification = (typeof REFERRAL_QUALIFICATIONS)[number];

export const REFERRAL_DIRECTIONS = ['Incoming', 'Outgoing'] as const;
export type ReferralDirection = (typeof REFERRAL_DIRECTIONS)[number];

export const SALES_STAGES = ['Qualify', 'Develop', 'Propose', 'Close'] as const;
export type SalesStage = (typeof SALES_STAGES)[number];

export const CUSTOMER_SIZES = [
  '1to9employees',
  '10to50employees',
  '51to250employees',
  '251to1000employees',
  '1001to5000employees',
  '5001to10000employees',
  '10001to20000employees',
  'Morethan20000employees',
  '1to50employees',
  '51to500employees',
  'Morethan500employees',
] as const;

export const ASSISTANCE_REQUEST_CODES = [
  'Unknown',
  'GeneralOrOther',
  'CustomerTechnicalArchitecture',
  'ProofOfConceptOrDemo',
  'QuotesOrLicensing',
  'PostSalesCustomerSuccess',
  'WorkloadSpecificValueProposition',
] as const;

export type ContactPreference = { locale: string | null; disableNotifications: boolean | null };

export type Member = {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phoneNumber: string | null;
  title?: string | null;
  contactPreference?: ContactPreference | null;
};

export type Address = {
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  /** ISO 3166 alpha-2. */
  country: string | null;
  region: string | null;
};

export type CustomerProfileId = { profileType: 'Duns' | 'External'; id: string };

export type CustomerProfile = {
  name: string;
  size: string;
  isMatchingComplete: boolean;
  address: Address;
  team: Member[];
  ids: CustomerProfileId[];
};

export type Consent = {
  consentToToShareInfoWithOthers: boolean;
  consentToContact: boolean;
  consentToMicrosoftToContactSpecificPartners?: boolean | null;
  consentToShareReferralWithMicrosoftSellers: boolean;
};

export type SolutionTag = {
  id: string;
  name: string | null;
  type: 'None' | 'Category' | 'Name' | null;
  publisherName?: string | null;
  solutionType?: string | null;
  price?: number | null;
  quantity?: number | null;
  currency?: string | null;
  closingDateTime?: string | null;
};

export type Requirements = {
  industries: { id: string }[];
  products: { id: string }[];
  services: { id: string }[];
  solutions: SolutionTag[];
  salesPlays: { id: string }[];
  offers?: unknown[];
  additionalRequirements: { iot: Record<string, unknown>; attributes: { type: string; id: string }[] };
};

export type ReferralDetails = {
  notes: string | null;
  dealValue: number | null;
  /** ISO 4217. */
  currency: string | null;
  closingDateTime: string | null;
  requirements: Requirements;
  customerRequestedContact?: boolean | null;
  customerAction?: string | null;
  incentiveLevel?: string | null;
};

export type InviteContext = {
  notes: string | null;
  assistanceRequestCode: string | null;
  invitedMpnId: string | null;
  invitedBy: { organizationId: string | null; organizationName: string | null } | null;
};

export type Target = { id: string; type: 'None' | 'BusinessProfileLocation' | 'SolutionProfile' };

export type Link = { uri: string; method: 'GET' };

/** A referral as held by the store; `links` are added when it is served (they depend on the origin). */
export type ReferralRecord = {
  id: string;
  engagementId: string;
  name: string;
  organizationId: string;
  organizationName: string;
  mpnId: string | null;
  externalReferenceId: string | null;
  createdDateTime: string;
  updatedDateTime: string;
  expirationDateTime: string | null;
  acceptedDateTime: string | null;
  closedDateTime: string | null;
  status: ReferralStatus;
  substatus: ReferralSubstatus;
  statusReason: string | null;
  type: ReferralType;
  qualification: ReferralQualification;
  direction: ReferralDirection;
  referralSource: string | null;
  callToAction: string | null;
  salesStage: SalesStage | null;
  eTag: string;
  favorite: boolean;
  isSpam: boolean;
  quality: string;
  dealSensitivity: string;
  registrationStatus: string;
  tags: string[];
  target: Target[];
  customerProfile: CustomerProfile;
  consent: Consent;
  details: ReferralDetails;
  team: Member[];
  inviteContext: InviteContext | null;
  trackingInfo: Record<string, string | null>;
  registrations: Record<string, unknown>[];
};

export type Referral = ReferralRecord & { links: { relatedReferrals: Link; self: Link } };

/** A referral before the store has stamped it with an eTag. */
export type ReferralDraft = Omit<ReferralRecord, 'eTag'>;

/** The partner organization whose copies of referrals the emulator serves. */
export type PartnerOrganization = { organizationId: string; organizationName: string; mpnId: string };

/** Microsoft's organization id as it appears in `inviteContext.invitedBy` of qualified leads. */
export const MICROSOFT_ORGANIZATION = { organizationId: 'msft', organizationName: 'Microsoft' } as const;
