/**
 * LeadDraft → HubSpot properties (pure): the customer's contact (spec crm.md §C3) and the lead or deal
 * (§C6, §C7). Every value is a string, as HubSpot takes them; `""` clears one. HubSpot text properties
 * hold 65,536 characters, far more than a referral carries (the mapping caps the description at 2,000), so
 * nothing is shortened here and this adapter has no field-limits file.
 */
import type { LeadDraft } from '../../core/index.ts';
import type { RecordKind } from './record-kind.ts';

/** One input of `POST /crm/v3/objects/contacts/batch/upsert`. */
export type ContactInput = { idProperty: string; id: string; properties: Record<string, string> };

/**
 * The contact is keyed by its e-mail address, which HubSpot keeps unique, so a customer named on several
 * referrals stays one contact. Without an address it is keyed by the referral id in a unique contact
 * property: still one contact per referral however often the sync runs or crashes. Only values the
 * referral has are written, none cleared: a contact is the partner's record of a person, shared by
 * referrals and sellers, not a copy of one referral as the lead is.
 */
export function toContactInput(draft: LeadDraft, contactReferralIdProperty: string): ContactInput {
  const { contact, address } = draft;
  const street = [address.line1, address.line2].filter((line) => line !== null).join(', ');
  const values: Record<string, string | null> = {
    email: contact.email,
    firstname: contact.firstName,
    lastname: contact.lastName,
    phone: contact.phone,
    jobtitle: contact.jobTitle,
    company: draft.companyName,
    address: street === '' ? null : street,
    city: address.city,
    state: address.stateOrProvince,
    zip: address.postalCode,
    country: address.country,
  };
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (value !== null) properties[name] = value;
  if (contact.email !== null) return { idProperty: 'email', id: contact.email, properties };
  return {
    idProperty: contactReferralIdProperty,
    id: draft.referralId,
    properties: { ...properties, [contactReferralIdProperty]: draft.referralId },
  };
}

export type RecordFieldOptions = {
  kind: RecordKind;
  referralUrlProperty?: string | undefined;
  /** The portal's company currency (deals): an amount in another one would be read as this one. */
  currency: string;
};

/**
 * The lead's or deal's own properties, written on create and on every update: the referral owns them, so
 * a value the referral no longer has is cleared. Never the stage or pipeline (the seller's) nor the
 * referral id (the key, written once on create).
 */
export function toRecordProperties(draft: LeadDraft, options: RecordFieldOptions): Record<string, string> {
  const properties: Record<string, string> = { [options.kind.nameProperty]: draft.topic };
  if (options.kind.object === 'deals') {
    properties.description = draft.description ?? '';
    properties.closedate = draft.estimatedCloseDate ? closeDateTime(draft.estimatedCloseDate) : '';
    const amount = amountIn(draft, options.currency);
    if (amount !== undefined) properties.amount = amount;
  }
  if (options.referralUrlProperty) properties[options.referralUrlProperty] = draft.referralUrl;
  // The portal's own properties (mapping.extra) on the lead or deal, last: one named like ours replaces it.
  // HubSpot takes every value as text, and "" clears one.
  for (const [name, value] of Object.entries(draft.extra ?? {}))
    properties[name] = value === null ? '' : String(value);
  return properties;
}

export type CreateOptions = RecordFieldOptions & {
  referralIdProperty: string;
  pipeline: string;
  initialStage: string;
};

/** A new record: its own properties, the key, and where it starts (pipeline and stage). */
export function toCreateProperties(draft: LeadDraft, options: CreateOptions): Record<string, string> {
  const properties: Record<string, string> = {};
  // A create has nothing to clear.
  for (const [name, value] of Object.entries(toRecordProperties(draft, options)))
    if (value !== '') properties[name] = value;
  return {
    ...properties,
    [options.referralIdProperty]: draft.referralId,
    [options.kind.pipelineProperty]: options.pipeline,
    [options.kind.stageProperty]: options.initialStage,
  };
}

/**
 * `closedate` is a datetime shown as a date in the portal's time zone. Noon UTC is the same calendar day
 * from UTC−12 to UTC+11, where midnight UTC would show the day before anywhere west of Greenwich.
 */
export function closeDateTime(date: string): string {
  return `${date}T12:00:00.000Z`;
}

/**
 * The amount as HubSpot's number format wants it (no exponent), `""` to clear it, or undefined to leave
 * it alone when it is in a currency other than the portal's.
 */
function amountIn(draft: LeadDraft, currency: string): string | undefined {
  if (draft.estimatedAmount === null) return '';
  if (draft.currencyCode !== null && draft.currencyCode !== currency) return undefined;
  return draft.estimatedAmount.toFixed(2).replace(/\.00$/, '');
}
