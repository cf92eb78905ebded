import type { LeadState } from '../core/lead.ts';
import {
  isLegalTransition,
  parseStatusPairKey,
  type StatusPair,
  sameStatusPair,
  statusPairKey,
} from '../core/referral-status.ts';
import type { Referral } from '../partner-center/referral-schema.ts';
import { cleanText } from './clean-text.ts';
import { defaultStatusMapping, type StatusMapping } from './status-mapping.ts';

export type ReferralStatusChange = {
  from: StatusPair;
  to: StatusPair;
  /** Only when closing, `writeStatusReason` is on and the lead gives a reason. */
  statusReason?: string;
};

/** What to write back to the referral; status and substatus always travel together. */
export type ReferralChanges = {
  externalReferenceId?: string;
  status?: ReferralStatusChange;
};

/**
 * The lead's view written back to the referral (table in ./README.md), or null when there is nothing to
 * write. Invariants, whatever the mapping says: nothing is ever written to a Closed referral, a status
 * move happens only if §2.4 allows it from the referral's current (valid) pair, and an unchanged value is
 * never rewritten — so applying the result and re-running yields null (no write loop).
 */
export function mapLeadToReferralChanges(
  referral: Referral,
  lead: LeadState,
  mapping: StatusMapping = defaultStatusMapping,
): ReferralChanges | null {
  if (referral.status === 'Closed') return null;

  const changes: ReferralChanges = {};
  const externalReferenceId = linkChange(referral.externalReferenceId, lead.leadId, mapping);
  if (externalReferenceId !== undefined) changes.externalReferenceId = externalReferenceId;
  const status = statusChange(referral, lead, mapping);
  if (status !== undefined) changes.status = status;

  return changes.externalReferenceId === undefined && changes.status === undefined ? null : changes;
}

/**
 * Compared case-insensitively: GUIDs may come back in another case, and rewriting them would loop
 * (every write is a referral update event, which triggers another sync).
 */
function linkChange(current: string | null, leadId: string, mapping: StatusMapping): string | undefined {
  const wanted = cleanText(leadId);
  const existing = cleanText(current);
  if (wanted === null) return undefined;
  if (existing !== null && existing.toLowerCase() === wanted.toLowerCase()) return undefined;
  if (existing !== null && !mapping.replaceExternalReferenceId) return undefined;
  return wanted;
}

function statusChange(
  referral: Referral,
  lead: LeadState,
  mapping: StatusMapping,
): ReferralStatusChange | undefined {
  const from: StatusPair = { status: referral.status, substatus: referral.substatus };
  const key = statusPairKey(from);
  // An odd pair (e.g. New/Won) is Partner Center's to sort out; no move from it is known to be legal.
  if (key === undefined) return undefined;
  // The CRM's own status is the finer reading of the lead: its row, where it has one, wins.
  const byCrmStatus = Object.hasOwn(mapping.crmStatus, lead.crmStatus)
    ? mapping.crmStatus[lead.crmStatus]?.[key]
    : undefined;
  const target = byCrmStatus ?? mapping.table[lead.phase][key];
  if (target === 'keep') return undefined;
  const to = parseStatusPairKey(target);
  // Enforced here too, whatever the configuration says: a move Partner Center forbids is never sent.
  if (sameStatusPair(from, to) || !isLegalTransition(from, to)) return undefined;

  const reason = Object.hasOwn(mapping.reasons, lead.crmStatus)
    ? cleanText(mapping.reasons[lead.crmStatus])
    : cleanText(lead.reason);
  return to.status === 'Closed' && mapping.writeStatusReason && reason !== null
    ? { from, to, statusReason: reason }
    : { from, to };
}
