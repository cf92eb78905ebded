import { createHash } from 'node:crypto';
import type { LeadDraft } from '../core/lead.ts';

/**
 * SHA-256 (hex) of the draft as canonical JSON — keys sorted at every level, `undefined` members left out —
 * so the same mapped content always gives the same hash whatever order the fields were built in.
 * Equal hash ⇒ nothing mapped changed ⇒ the CRM write is skipped.
 */
export function leadHash(draft: LeadDraft): string {
  return createHash('sha256').update(canonicalJson(draft)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
