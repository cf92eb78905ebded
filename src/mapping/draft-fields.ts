/**
 * The CRM-neutral lead fields a mapping may fill, and what each one guarantees whatever its source says:
 * one-line text is cleaned, a country becomes ISO alpha-2, a currency ISO 4217, a close date `YYYY-MM-DD`,
 * an amount a number, the topic is never empty, the description fits the smallest memo. These are the
 * `LeadDraft` contract (src/core/lead.ts) that adapters rely on, so configuration cannot break them; a
 * value that cannot be kept becomes null with a warning, as in the hand-written mapping before.
 * The order is the order fields are mapped in, and so the order of their warnings.
 */
import type { Referral } from '../partner-center/referral-schema.ts';
import { cleanMultilineText, cleanText } from './clean-text.ts';
import { toCloseDate } from './close-date.ts';
import { toCountryAlpha2 } from './country-code.ts';
import type { MappingWarningCode } from './mapping-warning.ts';
import type { MappingScalar, MappingValue } from './referral-paths.ts';
import { truncateText } from './truncate-text.ts';

export const DRAFT_FIELD_NAMES = [
  'topic',
  'companyName',
  'contact.firstName',
  'contact.lastName',
  'contact.email',
  'contact.phone',
  'contact.jobTitle',
  'estimatedAmount',
  'currencyCode',
  'estimatedCloseDate',
  'description',
  'address.line1',
  'address.line2',
  'address.city',
  'address.stateOrProvince',
  'address.postalCode',
  'address.country',
] as const;
export type DraftFieldName = (typeof DRAFT_FIELD_NAMES)[number];

/** `LeadDraft` members the connector sets itself; mapping them would break one lead per referral. */
export const FIXED_DRAFT_FIELDS: Readonly<Record<string, string>> = {
  referralId: 'is the referral key the lead is upserted on (one lead per referral), always the referral id',
  referralUrl: 'is the link to the referral, made from partnerCenter.referralsUrl',
  source:
    'is the lead source the CRM adapter writes (crm.salesforce.leadSource, Dataverse "External Referral")',
};

export type SettleContext = {
  referral: Referral;
  descriptionMaxLength: number;
  warn(code: MappingWarningCode, detail: string): void;
};

export type DraftFieldSpec = {
  /** What a constant for it must be. */
  type: 'text' | 'number';
  /** What the field holds, for docs/mapping.md. */
  about: string;
  /** The value the lead gets for what the source gave. */
  settle(value: MappingValue, context: SettleContext): string | number | null;
};

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const CURRENCY = /^[A-Z]{3}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

const oneLine = (value: MappingValue): string | null => cleanText(asText(value));

const text = (about: string): DraftFieldSpec => ({ type: 'text', about, settle: oneLine });

export const DRAFT_FIELDS: Readonly<Record<DraftFieldName, DraftFieldSpec>> = {
  topic: {
    type: 'text',
    about: 'one line; never empty: without a value, `Referral <id>` (warning `topic_missing`)',
    settle(value, { referral, warn }) {
      const topic = oneLine(value);
      if (topic !== null) return topic;
      warn('topic_missing', 'the referral has no name; the topic names its id');
      return `Referral ${referral.id}`;
    },
  },
  companyName: {
    type: 'text',
    about: 'one line; CRMs need one, so an empty value is warned about (`company_missing`)',
    settle(value, { warn }) {
      const company = oneLine(value);
      if (company === null) warn('company_missing', 'the referral names no customer organisation');
      return company;
    },
  },
  'contact.firstName': text('one line'),
  'contact.lastName': text('one line'),
  'contact.email': {
    type: 'text',
    about: 'one line, must look like `x@y`; otherwise empty (warning `email_invalid`)',
    settle(value, { warn }) {
      const email = oneLine(value);
      if (email === null || EMAIL.test(email)) return email;
      warn('email_invalid', `"${email}" is not an email address`);
      return null;
    },
  },
  'contact.phone': text('one line'),
  'contact.jobTitle': text('one line'),
  estimatedAmount: {
    type: 'number',
    about: 'a number (numeric text is read as one; anything else is left empty, warning `amount_invalid`)',
    settle(value, { warn }) {
      if (typeof value === 'number') return value;
      const raw = oneLine(value);
      if (raw === null) return null;
      if (DECIMAL.test(raw)) return Number(raw);
      warn('amount_invalid', `"${raw}" is not a number`);
      return null;
    },
  },
  currencyCode: {
    type: 'text',
    about: 'ISO 4217, upper-cased; anything else is left empty (warning `currency_invalid`)',
    settle(value, { warn }) {
      const raw = oneLine(value);
      const upper = raw?.toUpperCase() ?? null;
      if (upper === null || CURRENCY.test(upper)) return upper;
      warn('currency_invalid', `"${raw}" is not an ISO 4217 code`);
      return null;
    },
  },
  estimatedCloseDate: {
    type: 'text',
    about: '`YYYY-MM-DD`, the calendar date as written (no zone shift); else empty (`close_date_invalid`)',
    settle(value, { warn }) {
      const raw = oneLine(value);
      if (raw === null) return null;
      const date = toCloseDate(raw);
      if (date === undefined) warn('close_date_invalid', `"${raw}" is not an ISO date`);
      return date ?? null;
    },
  },
  description: {
    type: 'text',
    about:
      'multi-line text of at most 2000 characters (the smallest memo of the supported CRMs); cut with `…` beyond (`description_truncated`)',
    settle(value, { descriptionMaxLength, warn }) {
      const description = cleanMultilineText(asText(value));
      if (description === null || description.length <= descriptionMaxLength) return description;
      warn(
        'description_truncated',
        `shortened from ${description.length} to ${descriptionMaxLength} characters`,
      );
      return truncateText(description, descriptionMaxLength, { ellipsis: true });
    },
  },
  'address.line1': text('one line'),
  'address.line2': text('one line'),
  'address.city': text('one line'),
  'address.stateOrProvince': text('one line'),
  'address.postalCode': text('one line'),
  'address.country': {
    type: 'text',
    about:
      'ISO 3166-1 alpha-2; alpha-3 codes and English names of ~70 countries are recognised (`USA`, `Deutschland`, `UK` → `GB`); else empty (`country_unrecognised`)',
    settle(value, { warn }) {
      // Not cleaned first: the country rules trim, and the warning quotes the value as sent.
      const country = toCountryAlpha2(asText(value));
      if (country.reason) warn('country_unrecognised', country.reason);
      return country.alpha2;
    },
  },
};

/** A value as text for a text field: lists cannot reach here (refused when the mapping is checked). */
function asText(value: MappingValue): string | null {
  if (value === null || Array.isArray(value)) return null;
  return String(value as MappingScalar);
}
