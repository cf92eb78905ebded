import { describe, expect, it } from 'vitest';
import {
  decisionSearch,
  nextDecisionCursor,
  nextSearchPosition,
  OVERLAP_MS,
  parseDecisionCursor,
  SEARCH_PAGE_SIZE,
  searchStart,
} from './decision-cursor.ts';
import { RECORD_KINDS } from './record-kind.ts';

const options = {
  kind: RECORD_KINDS.leads,
  referralIdProperty: 'referral_id',
  decidedStages: ['qualified-stage-id', 'unqualified-stage-id'],
};
const record = (id: string, stamp: string, stage = 'qualified-stage-id') => ({
  id,
  properties: { referral_id: `ref-${id}`, hs_pipeline_stage: stage, hs_lastmodifieddate: stamp },
});
const ids = (records: ReadonlyArray<{ id?: unknown }>) => records.map((r) => r.id);

describe('the HubSpot decided-records search', () => {
  it('asks for decided records with a referral id, oldest change first, from a time when there is one', () => {
    expect(decisionSearch(options, { from: null, after: 0 })).toEqual({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'hs_pipeline_stage',
              operator: 'IN',
              values: ['qualified-stage-id', 'unqualified-stage-id'],
            },
            { propertyName: 'referral_id', operator: 'HAS_PROPERTY' },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['referral_id', 'hs_pipeline_stage', 'hs_lastmodifieddate'],
      limit: SEARCH_PAGE_SIZE,
      after: '0',
    });
    const filters = (
      decisionSearch(options, { from: 1_000, after: 200 }) as { filterGroups: Array<{ filters: unknown[] }> }
    ).filterGroups[0]?.filters;
    expect(filters).toContainEqual({ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '1000' });
  });

  it('starts a pass from scratch, or the overlap before the newest stamp seen', () => {
    expect(searchStart(undefined)).toBeNull();
    expect(searchStart({ since: '2026-12-01T10:00:00.000Z', seen: [] })).toBe(
      Date.parse('2026-12-01T10:00:00.000Z') - OVERLAP_MS,
    );
  });

  it('continues from the newest stamp of a page instead of an offset, and stops after the last page', () => {
    expect(nextSearchPosition({ from: null, after: 0 }, '200', 5_000)).toEqual({ from: 5_000, after: 0 });
    expect(nextSearchPosition({ from: 1_000, after: 0 }, '200', 5_000)).toEqual({ from: 5_000, after: 0 });
    expect(nextSearchPosition({ from: 1_000, after: 0 }, undefined, 5_000)).toBeNull();
  });

  it('pages by offset only through a page that shares one instant, and gives up before the 10,000 cap', () => {
    expect(nextSearchPosition({ from: 5_000, after: 0 }, '200', 5_000)).toEqual({ from: 5_000, after: 200 });
    expect(nextSearchPosition({ from: 5_000, after: 9_600 }, '9800', 5_000)).toEqual({
      from: 5_000,
      after: 9_800,
    });
    expect(() => nextSearchPosition({ from: 5_000, after: 9_800 }, '10000', 5_000)).toThrow(RangeError);
  });
});

describe('the HubSpot decided-records cursor', () => {
  it('reports every decided record from scratch, and remembers the newest stamp', () => {
    const { cursor, changed } = nextDecisionCursor(
      undefined,
      [record('2', '2026-12-01T10:00:05.000Z'), record('1', '2026-12-01T10:00:00.000Z')],
      options,
    );
    expect(ids(changed)).toEqual(['1', '2']);
    expect(cursor.since).toBe('2026-12-01T10:00:05.000Z');
    expect(cursor.seen.map((s) => s.id)).toEqual(['1', '2']);
  });

  it('reports a record listed again only when its stage changed, whatever moved its stamp', () => {
    const first = nextDecisionCursor(undefined, [record('1', '2026-12-01T10:00:00.000Z')], options);
    const touched = nextDecisionCursor(first.cursor, [record('1', '2026-12-01T10:01:00.000Z')], options);
    expect(touched.changed).toEqual([]);
    const lost = nextDecisionCursor(
      touched.cursor,
      [record('1', '2026-12-01T10:02:00.000Z', 'unqualified-stage-id')],
      options,
    );
    expect(ids(lost.changed)).toEqual(['1']);
    const back = nextDecisionCursor(lost.cursor, [record('1', '2026-12-01T10:03:00.000Z')], options);
    expect(ids(back.changed)).toEqual(['1']);
  });

  it('reports a record indexed late, older than the newest stamp but inside the overlap', () => {
    const first = nextDecisionCursor(undefined, [record('2', '2026-12-01T10:00:05.000Z')], options);
    const late = nextDecisionCursor(
      first.cursor,
      [record('1', '2026-12-01T10:00:01.000Z'), record('2', '2026-12-01T10:00:05.000Z')],
      options,
    );
    expect(ids(late.changed)).toEqual(['1']);
    expect(late.cursor.since).toBe('2026-12-01T10:00:05.000Z');
  });

  it('lists a record once when two windows of one pass both hold it', () => {
    const stamp = '2026-12-01T10:00:00.000Z';
    expect(
      ids(nextDecisionCursor(undefined, [record('1', stamp), record('1', stamp)], options).changed),
    ).toEqual(['1']);
  });

  it('forgets what is older than the overlap, so the cursor stays small', () => {
    const old = nextDecisionCursor(undefined, [record('1', '2026-12-01T10:00:00.000Z')], options);
    const later = nextDecisionCursor(old.cursor, [record('2', '2026-12-01T11:00:00.000Z')], options);
    expect(later.cursor.seen.map((s) => s.id)).toEqual(['2']);
  });

  it('skips results without a referral id, a stage or a stamp', () => {
    const { changed, cursor } = nextDecisionCursor(
      undefined,
      [
        {
          id: '1',
          properties: {
            hs_pipeline_stage: 'qualified-stage-id',
            hs_lastmodifieddate: '2026-12-01T10:00:00Z',
          },
        },
        { id: '2', properties: { referral_id: 'r', hs_lastmodifieddate: '2026-12-01T10:00:00Z' } },
        { id: '3', properties: { referral_id: 'r', hs_pipeline_stage: 'qualified-stage-id' } },
      ],
      options,
    );
    expect(changed).toEqual([]);
    expect(cursor).toEqual({ since: null, seen: [] });
  });

  it('reads back what it wrote, and nothing else', () => {
    const { cursor } = nextDecisionCursor(undefined, [record('1', '2026-12-01T10:00:00.000Z')], options);
    expect(parseDecisionCursor(JSON.stringify(cursor))).toEqual(cursor);
    expect(parseDecisionCursor('not a cursor of this CRM')).toBeUndefined();
    expect(parseDecisionCursor('{"since":5,"seen":[]}')).toBeUndefined();
    expect(parseDecisionCursor('{"since":null,"seen":[{"id":1}]}')).toBeUndefined();
  });
});
