import type { LeadAddress, LeadContact, LeadDraft } from '../core/lead.ts';
import type { MappingWarning } from './mapping-warning.ts';
import { truncateText } from './truncate-text.ts';

/** Maximum lengths (UTF-16 code units) an adapter's columns accept; a missing entry means "no limit". */
export type LeadFieldLimits = {
  topic?: number;
  companyName?: number;
  description?: number;
  contact?: Partial<Record<keyof LeadContact, number>>;
  address?: Partial<Record<keyof LeadAddress, number>>;
};

/**
 * Fits a draft to an adapter's column lengths. Text is shortened, never dropped; an email address that
 * does not fit is left out instead, because a cut one points somewhere wrong. Every change is
 * reported as a warning. Hash the draft *before* this (the hash tracks the referral, not the CRM).
 */
export function applyFieldLimits(
  draft: LeadDraft,
  limits: LeadFieldLimits,
): { draft: LeadDraft; warnings: MappingWarning[] } {
  const warnings: MappingWarning[] = [];

  const shorten = (field: string, value: string | null, max: number | undefined, ellipsis = false) => {
    if (value === null || max === undefined || value.length <= max) return value;
    warnings.push({
      code: 'field_truncated',
      field,
      detail: `shortened from ${value.length} to ${max} characters`,
    });
    return truncateText(value, max, { ellipsis });
  };
  const fitOrOmit = (field: string, value: string | null, max: number | undefined) => {
    if (value === null || max === undefined || value.length <= max) return value;
    warnings.push({
      code: 'field_too_long',
      field,
      detail: `${value.length} characters do not fit in ${max}; left out`,
    });
    return null;
  };

  const { contact, address } = draft;
  const fitted: LeadDraft = {
    ...draft,
    topic: shorten('topic', draft.topic, limits.topic) ?? draft.topic,
    companyName: shorten('companyName', draft.companyName, limits.companyName),
    description: shorten('description', draft.description, limits.description, true),
    contact: {
      firstName: shorten('contact.firstName', contact.firstName, limits.contact?.firstName),
      lastName: shorten('contact.lastName', contact.lastName, limits.contact?.lastName),
      email: fitOrOmit('contact.email', contact.email, limits.contact?.email),
      phone: shorten('contact.phone', contact.phone, limits.contact?.phone),
      jobTitle: shorten('contact.jobTitle', contact.jobTitle, limits.contact?.jobTitle),
    },
    address: {
      line1: shorten('address.line1', address.line1, limits.address?.line1),
      line2: shorten('address.line2', address.line2, limits.address?.line2),
      city: shorten('address.city', address.city, limits.address?.city),
      stateOrProvince: shorten(
        'address.stateOrProvince',
        address.stateOrProvince,
        limits.address?.stateOrProvince,
      ),
      postalCode: shorten('address.postalCode', address.postalCode, limits.address?.postalCode),
      country: shorten('address.country', address.country, limits.address?.country),
    },
  };
  return { draft: fitted, warnings };
}
