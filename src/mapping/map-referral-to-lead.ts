import { toReferralKey } from '../core/domain.ts';
import { LEAD_SOURCE, type LeadAddress, type LeadDraft } from '../core/lead.ts';
import type { Referral } from '../partner-center/referral-schema.ts';
import { cleanText } from './clean-text.ts';
import { toCloseDate } from './close-date.ts';
import { toCountryAlpha2 } from './country-code.ts';
import { buildLeadDescription, LEAD_DESCRIPTION_MAX_LENGTH } from './lead-description.ts';
import type { MappingWarning } from './mapping-warning.ts';
import { selectPrimaryContact } from './primary-contact.ts';

export type MapReferralToLeadOptions = {
  /** Where a person opens the referral (Partner Center UI); stored on the lead. */
  referralUrl: (referralId: string) => string;
  descriptionMaxLength?: number;
};

export type MappedLead = { draft: LeadDraft; warnings: MappingWarning[] };

/**
 * The default referral → lead mapping (table in ./README.md). Pure and CRM-neutral: no column lengths
 * except the description's (adapters apply theirs with `applyFieldLimits`), and nothing invented — a value
 * that cannot be carried over becomes `null` with a warning saying why.
 */
export function mapReferralToLead(referral: Referral, options: MapReferralToLeadOptions): MappedLead {
  const warnings: MappingWarning[] = [];
  const warn = (warning: MappingWarning) => warnings.push(warning);

  const name = cleanText(referral.name);
  if (name === null) {
    warn({
      code: 'topic_missing',
      field: 'topic',
      detail: 'the referral has no name; the topic names its id',
    });
  }

  const companyName = cleanText(referral.customerProfile?.name);
  if (companyName === null) {
    warn({
      code: 'company_missing',
      field: 'companyName',
      detail: 'the referral names no customer organisation',
    });
  }

  const primary = selectPrimaryContact(referral.customerProfile?.team ?? []);
  warnings.push(...primary.warnings);

  const { estimatedAmount, currencyCode } = mapAmount(referral, warn);

  const closing = cleanText(referral.details?.closingDateTime);
  const estimatedCloseDate = closing === null ? null : (toCloseDate(closing) ?? null);
  if (closing !== null && estimatedCloseDate === null) {
    warn({
      code: 'close_date_invalid',
      field: 'estimatedCloseDate',
      detail: `"${closing}" is not an ISO date`,
    });
  }

  const maxLength = options.descriptionMaxLength ?? LEAD_DESCRIPTION_MAX_LENGTH;
  const description = buildLeadDescription(referral, maxLength);
  if (description.truncated) {
    warn({
      code: 'description_truncated',
      field: 'description',
      detail: `notes, requirements and deal summary exceed ${maxLength} characters and were shortened`,
    });
  }

  return {
    draft: {
      referralId: toReferralKey(referral.id),
      referralUrl: options.referralUrl(referral.id),
      topic: name ?? `Referral ${referral.id}`,
      companyName,
      contact: primary.contact,
      address: mapAddress(referral, warn),
      description: description.text,
      estimatedAmount,
      currencyCode,
      estimatedCloseDate,
      source: LEAD_SOURCE,
    },
    warnings,
  };
}

function mapAddress(referral: Referral, warn: (warning: MappingWarning) => void): LeadAddress {
  const address = referral.customerProfile?.address;
  const country = toCountryAlpha2(address?.country);
  if (country.reason)
    warn({ code: 'country_unrecognised', field: 'address.country', detail: country.reason });
  return {
    line1: cleanText(address?.addressLine1),
    line2: cleanText(address?.addressLine2),
    city: cleanText(address?.city),
    stateOrProvince: cleanText(address?.state),
    postalCode: cleanText(address?.postalCode),
    country: country.alpha2,
  };
}

/**
 * The amount is kept even without a usable currency (the CRM then applies its base currency, and the
 * warning plus the description's "Deal value" line keep the original visible); a currency is only taken
 * when it has the ISO 4217 shape.
 */
function mapAmount(
  referral: Referral,
  warn: (warning: MappingWarning) => void,
): { estimatedAmount: number | null; currencyCode: string | null } {
  const estimatedAmount = referral.details?.dealValue ?? null;
  const rawCurrency = cleanText(referral.details?.currency);
  const upper = rawCurrency?.toUpperCase() ?? null;
  const currencyCode = upper !== null && /^[A-Z]{3}$/.test(upper) ? upper : null;
  if (rawCurrency !== null && currencyCode === null) {
    warn({
      code: 'currency_invalid',
      field: 'currencyCode',
      detail: `"${rawCurrency}" is not an ISO 4217 code`,
    });
  }
  if (estimatedAmount !== null && currencyCode === null) {
    warn({
      code: 'amount_without_currency',
      field: 'estimatedAmount',
      detail: 'the deal value has no usable currency; the CRM will assume its base currency',
    });
  }
  return { estimatedAmount, currencyCode };
}
