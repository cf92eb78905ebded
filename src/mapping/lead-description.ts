import type { Referral } from '../partner-center/referral-schema.ts';
import { cleanMultilineText, cleanText } from './clean-text.ts';
import { toCloseDate } from './close-date.ts';
import { truncateText } from './truncate-text.ts';

/** Dataverse `description` is Memo(2000), the smallest of the supported CRMs. */
export const LEAD_DESCRIPTION_MAX_LENGTH = 2000;

type RequirementItem = { id: string | null; name: string | null };

/**
 * The lead description, in a fixed order: the referral's notes, the invitation (help requested and its
 * notes), the requirements (solutions, products, services, industries; each list sorted, so the API
 * reordering a list changes nothing), then a deal summary. Blocks are separated by a blank line.
 *
 * When too long, the notes — the only long free text — are shortened first so the structured part stays
 * whole; only if that is not enough is the end cut. Both cuts end in "…".
 */
export function buildLeadDescription(
  referral: Referral,
  maxLength: number = LEAD_DESCRIPTION_MAX_LENGTH,
): { text: string | null; truncated: boolean } {
  const notes = cleanMultilineText(referral.details?.notes);
  const rest = [invitationBlock(referral), requirementsBlock(referral), dealSummaryBlock(referral)].filter(
    (block): block is string => block !== null,
  );
  const full = join([notes, ...rest]);
  if (full === null) return { text: null, truncated: false };
  if (full.length <= maxLength) return { text: full, truncated: false };

  const tail = join(rest) ?? '';
  const roomForNotes = maxLength - tail.length - BLOCK_SEPARATOR.length;
  // Below a sentence's worth of notes, keeping the notes matters more than keeping the tail whole.
  if (notes !== null && tail !== '' && roomForNotes >= 80) {
    return { text: join([truncateText(notes, roomForNotes, { ellipsis: true }), ...rest]), truncated: true };
  }
  return { text: truncateText(full, maxLength, { ellipsis: true }), truncated: true };
}

const BLOCK_SEPARATOR = '\n\n';

function join(blocks: readonly (string | null)[]): string | null {
  const present = blocks.filter((block): block is string => block !== null);
  return present.length === 0 ? null : present.join(BLOCK_SEPARATOR);
}

function invitationBlock(referral: Referral): string | null {
  const help = cleanText(referral.inviteContext?.assistanceRequestCode);
  const notes = cleanMultilineText(referral.inviteContext?.notes);
  if (help === null && notes === null) return null;
  if (help === null) return `Invitation: ${notes}`;
  return notes === null ? `Invitation: ${help}` : `Invitation (${help}): ${notes}`;
}

function requirementsBlock(referral: Referral): string | null {
  const requirements = referral.details?.requirements;
  if (!requirements) return null;
  const lines = [
    listLine('Solutions', requirements.solutions),
    listLine('Products', requirements.products),
    listLine('Services', requirements.services),
    listLine('Industries', requirements.industries),
  ].filter((line): line is string => line !== null);
  return lines.length === 0 ? null : lines.join('\n');
}

function listLine(label: string, items: readonly RequirementItem[]): string | null {
  const labels = [...new Set(items.map(itemLabel).filter((text): text is string => text !== null))].sort(
    byCodeUnits,
  );
  return labels.length === 0 ? null : `${label}: ${labels.join('; ')}`;
}

function itemLabel(item: RequirementItem): string | null {
  const name = cleanText(item.name);
  const id = cleanText(item.id);
  if (name !== null && id !== null && name !== id) return `${name} (${id})`;
  return name ?? id;
}

function dealSummaryBlock(referral: Referral): string | null {
  const details = referral.details;
  const lines: string[] = [];
  if (details?.dealValue != null) {
    // Raw currency on purpose: when it is not a valid ISO code the structured field is empty, and this is
    // where the original value stays visible.
    lines.push(
      `Deal value: ${[String(details.dealValue), cleanText(details.currency)].filter(Boolean).join(' ')}`,
    );
  }
  const closing = cleanText(details?.closingDateTime);
  if (closing !== null) lines.push(`Expected close: ${toCloseDate(closing) ?? closing}`);
  const size = cleanText(referral.customerProfile?.size);
  if (size !== null) lines.push(`Customer size: ${size}`);
  const kind = [referral.type, referral.qualification, referral.direction]
    .map((value) => cleanText(value))
    .filter((value): value is string => value !== null);
  if (kind.length > 0) lines.push(`Referral: ${kind.join(', ')}`);
  return lines.length === 0 ? null : lines.join('\n');
}

/** Locale-independent, so the description (and the lead hash) does not depend on the host's ICU data. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
