import { describe, expect, it } from 'vitest';
import {
  decisionQuery,
  nextDecisionCursor,
  OVERLAP_MS,
  parseDecisionCursor,
  soqlString,
} from './decision-cursor.ts';

const row = (id: string, stamp: string, status = 'Closed - Not Converted', converted = false) => ({
  Id: id,
  Referral_Id__c: `ref-${id}`,
  Status: status,
  IsConverted: converted,
  SystemModstamp: stamp,
});
const options = { referralIdField: 'Referral_Id__c', disqualifiedStatuses: ['Closed - Not Converted'] };

describe('the Salesforce decided-leads cursor', () => {
  it('queries every decided lead from scratch, and since the newest stamp less the overlap afterwards', () => {
    expect(decisionQuery(options, undefined)).toBe(
      "SELECT Id, Referral_Id__c, Status, IsConverted, SystemModstamp FROM Lead WHERE Referral_Id__c != null AND (IsConverted = true OR Status IN ('Closed - Not Converted')) ORDER BY SystemModstamp ASC, Id ASC",
    );
    const since = '2026-12-01T10:00:00.000Z';
    expect(decisionQuery(options, { since, seen: [] })).toContain(
      `AND SystemModstamp >= ${new Date(Date.parse(since) - OVERLAP_MS).toISOString().replace('.000Z', 'Z')}`,
    );
  });

  it('reports a row once, and again only when it changed, however often the overlap lists it', () => {
    const first = nextDecisionCursor(undefined, [row('a', '2026-12-01T10:00:00.000+0000')], 'Referral_Id__c');
    expect(first.changed.map((r) => r.Id)).toEqual(['a']);
    expect(first.cursor.since).toBe('2026-12-01T10:00:00.000Z');

    // Listed again by the overlap, unchanged; and a tie at the same second that committed late.
    const again = nextDecisionCursor(
      first.cursor,
      [row('a', '2026-12-01T10:00:00.000+0000'), row('b', '2026-12-01T10:00:00.000+0000')],
      'Referral_Id__c',
    );
    expect(again.changed.map((r) => r.Id)).toEqual(['b']);

    // Converted in the same second it was disqualified: a change, reported.
    const converted = nextDecisionCursor(
      again.cursor,
      [row('a', '2026-12-01T10:00:00.000+0000', 'Closed - Converted', true)],
      'Referral_Id__c',
    );
    expect(converted.changed.map((r) => r.Id)).toEqual(['a']);
  });

  it('forgets rows older than the overlap, so the cursor stays small', () => {
    const old = nextDecisionCursor(undefined, [row('a', '2026-12-01T10:00:00.000+0000')], 'Referral_Id__c');
    const later = nextDecisionCursor(
      old.cursor,
      [row('b', '2026-12-01T11:00:00.000+0000')],
      'Referral_Id__c',
    );
    expect(later.cursor.seen.map((s) => s.id)).toEqual(['b']);
  });

  it('reads back what it wrote, and nothing else', () => {
    const { cursor } = nextDecisionCursor(undefined, [], 'Referral_Id__c');
    expect(parseDecisionCursor(JSON.stringify(cursor))).toEqual({ since: null, seen: [] });
    expect(parseDecisionCursor('https://elsewhere.example/')).toBeUndefined();
    expect(parseDecisionCursor('{"since":5}')).toBeUndefined();
  });

  it('escapes quotes and backslashes in SOQL strings', () => {
    expect(soqlString("O'Brien \\ co")).toBe("'O\\'Brien \\\\ co'");
  });
});
