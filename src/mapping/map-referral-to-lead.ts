import type { LeadDraft } from '../core/lead.ts';
import type { Referral } from '../partner-center/referral-schema.ts';
import { defaultLeadMapping } from './compile-mapping.ts';
import type { MappingWarning } from './mapping-warning.ts';

export type MapReferralToLeadOptions = {
  /** Where a person opens the referral (Partner Center UI); stored on the lead. */
  referralUrl: (referralId: string) => string;
  descriptionMaxLength?: number;
};

export type MappedLead = { draft: LeadDraft; warnings: MappingWarning[] };

/**
 * Referral → CRM-neutral lead by the default mapping (./default-mapping.ts, documented in
 * docs/mapping.md). A configured mapping is `compileMapping(config.mapping).toLead`; this is the same
 * function over the default. Principles: the referral owns the mapped fields (`null` = no value), text
 * is cleaned, lengths are not CRM-limited except the description's (adapters apply theirs with
 * `applyFieldLimits`), and nothing invented — a value that cannot be carried over becomes `null` with a
 * warning saying why.
 */
export function mapReferralToLead(referral: Referral, options: MapReferralToLeadOptions): MappedLead {
  return defaultLeadMapping().toLead(referral, options);
}
