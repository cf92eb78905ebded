import type { LeadContact } from '../core/lead.ts';
import type { ReferralMember } from '../partner-center/referral-schema.ts';
import { cleanText } from './clean-text.ts';
import type { MappingWarning } from './mapping-warning.ts';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The customer's primary contact: the first member of `customerProfile.team` with a usable email, else the
 * first member. (Microsoft's sample looped over the team and kept the last one, so the lead's person
 * depended on list order and was often the one without an email.) Every field comes from that one member:
 * never a name from one person and a phone from another.
 */
export function selectPrimaryContact(members: readonly ReferralMember[]): {
  contact: LeadContact;
  warnings: MappingWarning[];
} {
  const chosen = members.find((member) => emailOf(member) !== null) ?? members[0];
  if (!chosen) {
    return {
      contact: { firstName: null, lastName: null, email: null, phone: null, jobTitle: null },
      warnings: [
        { code: 'contact_missing', field: 'contact', detail: 'the referral names no customer contact' },
      ],
    };
  }

  const warnings: MappingWarning[] = [];
  const email = emailOf(chosen);
  const rawEmail = cleanText(chosen.email);
  if (email === null && rawEmail !== null) {
    warnings.push({
      code: 'email_invalid',
      field: 'contact.email',
      detail: `"${rawEmail}" is not an email address`,
    });
  } else if (email === null) {
    warnings.push({
      code: 'contact_without_email',
      field: 'contact.email',
      detail: 'no customer contact has an email address',
    });
  }

  const name = splitName(chosen.firstName, chosen.lastName);
  if (name.lastName === null) {
    warnings.push({
      code: 'contact_name_missing',
      field: 'contact.lastName',
      detail: 'the contact has no name',
    });
  }

  return {
    contact: { ...name, email, phone: cleanText(chosen.phoneNumber), jobTitle: cleanText(chosen.title) },
    warnings,
  };
}

/**
 * Last name is the one CRMs require, so a lone name becomes the last name. A full name typed into the
 * first-name field alone ("Alex Rivera") is split at its last space; a last name alone is kept whole
 * ("van der Berg").
 */
export function splitName(
  rawFirst: string | null | undefined,
  rawLast: string | null | undefined,
): { firstName: string | null; lastName: string | null } {
  const first = cleanText(rawFirst);
  const last = cleanText(rawLast);
  if (last !== null) return { firstName: first, lastName: last };
  if (first === null) return { firstName: null, lastName: null };
  const space = first.lastIndexOf(' ');
  if (space === -1) return { firstName: null, lastName: first };
  return { firstName: first.slice(0, space), lastName: first.slice(space + 1) };
}

function emailOf(member: ReferralMember): string | null {
  const email = cleanText(member.email);
  return email !== null && EMAIL.test(email) ? email : null;
}
