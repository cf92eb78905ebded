/**
 * The boundary between request bodies and the store: property names bound case-insensitively (docs send
 * PascalCase and camelCase), `customerProfile.ids` accepted as object or array, enum values matched
 * case-insensitively, and the writable fields validated. Read-only fields are dropped here, not trusted.
 */
import { z } from 'zod';
import {
  CUSTOMER_SIZES,
  type Member,
  REFERRAL_QUALIFICATIONS,
  REFERRAL_STATUSES,
  REFERRAL_SUBSTATUSES,
  REFERRAL_TYPES,
  type ReferralDetails,
  type ReferralRecord,
  type Requirements,
  SALES_STAGES,
} from './referral.ts';
import { invalidRequest } from './referrals-error.ts';
import { isDateTimeText } from './timestamps.ts';

/** Set by the server only; ignored in POST/PUT bodies, refused as PATCH paths. */
export const READ_ONLY_PROPERTIES = [
  'id',
  'engagementId',
  'organizationId',
  'organizationName',
  'mpnId',
  'createdDateTime',
  'updatedDateTime',
  'expirationDateTime',
  'acceptedDateTime',
  'closedDateTime',
  'direction',
  'eTag',
  'links',
  'trackingInfo',
  'registrationStatus',
  'quality',
  'dealSensitivity',
] as const;

/** Top-level properties a client may set (POST, PUT) or patch. */
export const WRITABLE_PROPERTIES = [
  'name',
  'externalReferenceId',
  'status',
  'substatus',
  'statusReason',
  'type',
  'qualification',
  'referralSource',
  'callToAction',
  'salesStage',
  'favorite',
  'isSpam',
  'tags',
  'target',
  'customerProfile',
  'consent',
  'details',
  'team',
  'inviteContext',
  'registrations',
  'size',
  'isMatchingComplete',
  'address',
  'ids',
  'profileType',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'postalCode',
  'country',
  'region',
  'firstName',
  'lastName',
  'email',
  'phoneNumber',
  'title',
  'contactPreference',
  'locale',
  'disableNotifications',
  'consentToToShareInfoWithOthers',
  'consentToContact',
  'consentToMicrosoftToContactSpecificPartners',
  'consentToShareReferralWithMicrosoftSellers',
  'notes',
  'dealValue',
  'currency',
  'closingDateTime',
  'requirements',
  'customerRequestedContact',
  'customerAction',
  'incentiveLevel',
  'industries',
  'products',
  'services',
  'solutions',
  'offers',
  'salesPlays',
  'additionalRequirements',
  'iot',
  'attributes',
  'publisherName',
  'solutionType',
  'price',
  'quantity',
  'assistanceRequestCode',
  'invitedMpnId',
  'invitedBy',
] as const;

const KNOWN_PROPERTY_NAMES = [...READ_ONLY_PROPERTIES, ...WRITABLE_PROPERTIES];

const CANONICAL_NAMES = new Map(KNOWN_PROPERTY_NAMES.map((name) => [name.toLowerCase(), name]));

/** Renames known properties to their camelCase spelling at every depth; unknown names stay as sent. */
export function normalizePropertyNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizePropertyNames);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const name = CANONICAL_NAMES.get(key.toLowerCase()) ?? key;
    result[name] = name === 'ids' ? normalizeProfileIds(inner) : normalizePropertyNames(inner);
  }
  return result;
}

/** The 2018 object form `{Duns, External}` becomes the array form `[{profileType, id}]`. */
function normalizeProfileIds(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return normalizePropertyNames(value);
  }
  return Object.entries(value)
    .filter(([, id]) => typeof id === 'string' && id !== '')
    .map(([type, id]) => ({ profileType: type.toLowerCase() === 'duns' ? 'Duns' : 'External', id }));
}

function caseInsensitiveEnum<const T extends readonly string[]>(values: T) {
  return z.string().transform((text, ctx): T[number] => {
    const match = values.find((value) => value.toLowerCase() === text.toLowerCase());
    if (match === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
      return z.NEVER;
    }
    return match;
  });
}

const text = z.string().nullish();
const flag = z.boolean().nullish();
const dateTime = z
  .string()
  .refine(isDateTimeText, 'must be an ISO-8601 date-time such as 2025-09-30T00:00:00Z')
  .nullish();
const idList = z.array(z.looseObject({ id: z.string() })).nullish();

const memberSchema = z.object({
  firstName: text,
  lastName: text,
  email: text,
  phoneNumber: text,
  title: text,
  contactPreference: z.object({ locale: text, disableNotifications: flag }).nullish(),
});

const addressSchema = z.object({
  addressLine1: text,
  addressLine2: text,
  city: text,
  state: text,
  postalCode: text,
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a 2-letter ISO 3166 country code')
    .transform((c) => c.toUpperCase())
    .nullish(),
  region: text,
});

const solutionSchema = z.object({
  id: z.string(),
  name: text,
  type: caseInsensitiveEnum(['None', 'Category', 'Name'] as const).nullish(),
  publisherName: text,
  solutionType: text,
  price: z.number().nullish(),
  quantity: z.number().nullish(),
  currency: text,
  closingDateTime: dateTime,
});

/** The doc example PATCHes `dealValue` as the string "10000"; numeric strings are accepted. */
const money = z.union([
  z.number().nonnegative(),
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a non-negative number')
    .transform(Number),
]);

const detailsSchema = z.object({
  notes: text,
  dealValue: money.nullish(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 currency code')
    .transform((c) => c.toUpperCase())
    .nullish(),
  closingDateTime: dateTime,
  requirements: z
    .object({
      industries: idList,
      products: idList,
      services: idList,
      solutions: z.array(solutionSchema).nullish(),
      salesPlays: idList,
      offers: z.array(z.unknown()).nullish(),
      additionalRequirements: z
        .object({
          iot: z.record(z.string(), z.unknown()).nullish(),
          attributes: z.array(z.object({ type: z.string(), id: z.string() })).nullish(),
        })
        .nullish(),
    })
    .nullish(),
  customerRequestedContact: flag,
  customerAction: text,
  incentiveLevel: text,
});

const writableSchema = z.object({
  name: text,
  externalReferenceId: text,
  status: caseInsensitiveEnum(REFERRAL_STATUSES).optional(),
  substatus: caseInsensitiveEnum(REFERRAL_SUBSTATUSES).optional(),
  statusReason: text,
  type: caseInsensitiveEnum(REFERRAL_TYPES),
  qualification: caseInsensitiveEnum(REFERRAL_QUALIFICATIONS).nullish(),
  referralSource: text,
  callToAction: text,
  salesStage: caseInsensitiveEnum(SALES_STAGES).nullish(),
  favorite: flag,
  isSpam: flag,
  tags: z.array(z.string()).nullish(),
  target: z
    .array(
      z.object({
        id: z.string(),
        type: caseInsensitiveEnum(['None', 'BusinessProfileLocation', 'SolutionProfile'] as const),
      }),
    )
    .nullish(),
  customerProfile: z.object({
    name: z.string().min(1, 'is required'),
    size: z
      .union([caseInsensitiveEnum(CUSTOMER_SIZES), z.literal('')])
      .nullish()
      .transform((s) => s ?? ''),
    isMatchingComplete: flag,
    address: addressSchema,
    team: z.array(memberSchema).nullish(),
    ids: z
      .array(z.object({ profileType: caseInsensitiveEnum(['Duns', 'External'] as const), id: z.string() }))
      .nullish(),
  }),
  consent: z.object({
    consentToToShareInfoWithOthers: flag,
    consentToContact: flag,
    consentToMicrosoftToContactSpecificPartners: flag,
    consentToShareReferralWithMicrosoftSellers: flag,
  }),
  details: detailsSchema,
  team: z.array(memberSchema).nullish(),
  inviteContext: z
    .object({
      notes: text,
      assistanceRequestCode: text,
      invitedMpnId: text,
      invitedBy: z.object({ organizationId: text, organizationName: text }).nullish(),
    })
    .nullish(),
  registrations: z.array(z.record(z.string(), z.unknown())).nullish(),
});

type WritableInput = z.output<typeof writableSchema>;

/** The fields a partner may set, complete (nested defaults filled in), plus the status it asked for. */
export type WritableReferral = Omit<
  ReferralRecord,
  (typeof READ_ONLY_PROPERTIES)[number] | 'status' | 'substatus' | 'qualification'
> & {
  status: ReferralRecord['status'] | undefined;
  substatus: ReferralRecord['substatus'] | undefined;
  qualification: ReferralRecord['qualification'] | undefined;
};

/** Validates a POST/PUT body (or a PATCHed referral) and completes it; throws `invalidRequest`. */
export function parseReferralBody(body: unknown): WritableReferral {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest('The request body must be a referral JSON object.');
  }
  const parsed = writableSchema.safeParse(normalizePropertyNames(body));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const target = issue?.path.join('.') || 'referral';
    const detail =
      issue?.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue?.message;
    throw invalidRequest(`Invalid referral: '${target}' ${detail ?? 'is invalid'}.`, target);
  }
  return complete(parsed.data);
}

function complete(input: WritableInput): WritableReferral {
  const profile = input.customerProfile;
  return {
    name: input.name ?? profile.name,
    externalReferenceId: input.externalReferenceId ?? null,
    status: input.status,
    substatus: input.substatus,
    statusReason: input.statusReason ?? null,
    type: input.type,
    qualification: input.qualification ?? undefined,
    referralSource: input.referralSource ?? null,
    callToAction: input.callToAction ?? null,
    salesStage: input.salesStage ?? null,
    favorite: input.favorite ?? false,
    isSpam: input.isSpam ?? false,
    tags: input.tags ?? [],
    target: input.target ?? [],
    customerProfile: {
      name: profile.name,
      size: profile.size,
      isMatchingComplete: profile.isMatchingComplete ?? false,
      address: {
        addressLine1: profile.address.addressLine1 ?? null,
        addressLine2: profile.address.addressLine2 ?? null,
        city: profile.address.city ?? null,
        state: profile.address.state ?? null,
        postalCode: profile.address.postalCode ?? null,
        country: profile.address.country ?? null,
        region: profile.address.region ?? null,
      },
      team: (profile.team ?? []).map(completeMember),
      ids: profile.ids ?? [],
    },
    consent: {
      consentToToShareInfoWithOthers: input.consent.consentToToShareInfoWithOthers ?? false,
      consentToContact: input.consent.consentToContact ?? false,
      consentToMicrosoftToContactSpecificPartners:
        input.consent.consentToMicrosoftToContactSpecificPartners ?? null,
      consentToShareReferralWithMicrosoftSellers:
        input.consent.consentToShareReferralWithMicrosoftSellers ?? false,
    },
    details: completeDetails(input.details),
    team: (input.team ?? []).map(completeMember),
    inviteContext: input.inviteContext
      ? {
          notes: input.inviteContext.notes ?? null,
          assistanceRequestCode: input.inviteContext.assistanceRequestCode ?? null,
          invitedMpnId: input.inviteContext.invitedMpnId ?? null,
          invitedBy: input.inviteContext.invitedBy
            ? {
                organizationId: input.inviteContext.invitedBy.organizationId ?? null,
                organizationName: input.inviteContext.invitedBy.organizationName ?? null,
              }
            : null,
        }
      : null,
    registrations: input.registrations ?? [],
  };
}

function completeMember(member: z.output<typeof memberSchema>): Member {
  return {
    firstName: member.firstName ?? null,
    lastName: member.lastName ?? null,
    email: member.email ?? null,
    phoneNumber: member.phoneNumber ?? null,
    title: member.title ?? null,
    contactPreference: member.contactPreference
      ? {
          locale: member.contactPreference.locale ?? null,
          disableNotifications: member.contactPreference.disableNotifications ?? null,
        }
      : null,
  };
}

function completeDetails(details: z.output<typeof detailsSchema>): ReferralDetails {
  const requirements = details.requirements;
  const complete: Requirements = {
    industries: requirements?.industries ?? [],
    products: requirements?.products ?? [],
    services: requirements?.services ?? [],
    solutions: (requirements?.solutions ?? []).map((s) => ({
      ...s,
      name: s.name ?? null,
      type: s.type ?? null,
    })),
    salesPlays: requirements?.salesPlays ?? [],
    ...(requirements?.offers ? { offers: requirements.offers } : {}),
    additionalRequirements: {
      iot: requirements?.additionalRequirements?.iot ?? {},
      attributes: requirements?.additionalRequirements?.attributes ?? [],
    },
  };
  return {
    notes: details.notes ?? null,
    dealValue: details.dealValue ?? null,
    currency: details.currency ?? null,
    closingDateTime: details.closingDateTime ?? null,
    requirements: complete,
    customerRequestedContact: details.customerRequestedContact ?? null,
    customerAction: details.customerAction ?? null,
    incentiveLevel: details.incentiveLevel ?? null,
  };
}
