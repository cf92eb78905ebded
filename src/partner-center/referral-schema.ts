import { z } from 'zod';
import { REFERRAL_STATUSES, REFERRAL_SUBSTATUSES } from '../core/referral-status.ts';

/*
 * The Referral as GET /v1.0/engagements/referrals/{id} returns it (spec partner-center.md §2).
 * Strict only where the sync relies on a value: `id` (URLs, the referral key), `eTag` (If-Match),
 * `status`/`substatus` (write-back decisions) and `updatedDateTime` (reconciler high-water mark).
 * Everything else is lenient: unknown keys pass through untouched, declared fields are optional and
 * nullable, and a few shapes seen in older docs are normalised. The status/substatus *combination* is not
 * checked here: an odd pair must not stop the lead from being written; the mapping refuses to move it.
 */

/** Free text that older payloads sometimes send as a number (phone numbers, ids). */
const text = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .transform((value) => value ?? null);

/** `dealValue` appears as the string "10000" in a doc example; a non-numeric string is a real error. */
const decimal = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.\d+)?$/, 'expected a decimal number')
      .transform(Number),
  ])
  .nullish()
  .transform((value) => value ?? null);

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

const memberSchema = z.looseObject({
  firstName: text,
  lastName: text,
  email: text,
  phoneNumber: text,
  title: text,
});

const addressSchema = z.looseObject({
  addressLine1: text,
  addressLine2: text,
  city: text,
  state: text,
  postalCode: text,
  country: text,
  region: text,
});

const customerProfileIdSchema = z.looseObject({ profileType: text, id: text });

/**
 * The array form is what the API returns; the 2018 docs describe `{ Duns, External }` (and show `{}`),
 * normalised here to the array form so callers handle one shape.
 */
const customerProfileIdsSchema = z
  .union([
    z.array(customerProfileIdSchema),
    z
      .record(z.string(), z.unknown())
      .transform((legacy) =>
        Object.entries(legacy).flatMap(([profileType, id]) =>
          typeof id === 'string' && id !== '' ? [{ profileType, id }] : [],
        ),
      ),
  ])
  .nullish()
  .transform((value) => value ?? []);

const customerProfileSchema = z.looseObject({
  name: text,
  size: text,
  address: addressSchema.nullish().transform((value) => value ?? null),
  team: list(memberSchema),
  ids: customerProfileIdsSchema,
});

const requirementItemSchema = z.looseObject({ id: text, name: text });

const solutionTagSchema = z.looseObject({ id: text, name: text, publisherName: text });

const requirementsSchema = z.looseObject({
  industries: list(requirementItemSchema),
  products: list(requirementItemSchema),
  services: list(requirementItemSchema),
  solutions: list(solutionTagSchema),
});

const detailsSchema = z.looseObject({
  notes: text,
  dealValue: decimal,
  currency: text,
  /** Kept as text: the mapping turns it into a date and records a warning when it cannot. */
  closingDateTime: text,
  requirements: requirementsSchema.nullish().transform((value) => value ?? null),
});

const inviteContextSchema = z.looseObject({
  notes: text,
  assistanceRequestCode: text,
  invitedBy: z
    .looseObject({ organizationId: text, organizationName: text })
    .nullish()
    .transform((value) => value ?? null),
});

export const referralSchema = z.looseObject({
  /** Goes into URL paths and the referral key: no whitespace or URL delimiters. */
  id: z.string().regex(/^[^\s/?#]+$/, 'expected a referral id without spaces or URL delimiters'),
  eTag: z.string().min(1),
  status: z.enum(REFERRAL_STATUSES),
  substatus: z.enum(REFERRAL_SUBSTATUSES),
  updatedDateTime: z.iso.datetime({ offset: true }),
  name: text,
  engagementId: text,
  externalReferenceId: text,
  statusReason: text,
  createdDateTime: text,
  acceptedDateTime: text,
  closedDateTime: text,
  expirationDateTime: text,
  type: text,
  qualification: text,
  direction: text,
  customerProfile: customerProfileSchema.nullish().transform((value) => value ?? null),
  details: detailsSchema.nullish().transform((value) => value ?? null),
  team: list(memberSchema),
  inviteContext: inviteContextSchema.nullish().transform((value) => value ?? null),
});

/** A parsed referral: normalised (ids as an array, numbers as numbers, absent → null / []), extra keys kept. */
export type Referral = z.output<typeof referralSchema>;
export type ReferralMember = Referral['team'][number];

export class ReferralInvalidError extends Error {
  readonly code = 'referral_invalid';
  readonly referralId: string | undefined;
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(referralId: string | undefined, issues: readonly z.core.$ZodIssue[]) {
    const where = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    super(`Partner Center referral ${referralId ?? '(without id)'} has an unexpected shape: ${where}`);
    this.name = 'ReferralInvalidError';
    this.referralId = referralId;
    this.issues = issues;
  }
}

/** Validates an already JSON-parsed response body; throws `ReferralInvalidError` (`referral_invalid`). */
export function parseReferral(json: unknown): Referral {
  const result = referralSchema.safeParse(json);
  if (result.success) return result.data;
  throw new ReferralInvalidError(idOf(json), result.error.issues);
}

function idOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || !('id' in json)) return undefined;
  return typeof json.id === 'string' ? json.id : undefined;
}
