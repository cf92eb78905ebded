import { describe, expect, it } from 'vitest';
import { parseBackfillCursor, resumableCursor, serializeBackfillCursor } from './backfill-cursor.ts';
import { exitCodeOf, formatRunSummary } from './backfill-report.ts';
import type { BackfillRunResult } from './run-backfill.ts';

const result = (fields: Partial<BackfillRunResult> = {}): BackfillRunResult => ({
  outcome: 'complete',
  resumed: null,
  listed: 5000,
  counts: { create: 4000, update: 10, nothing: 700, 'dead-lettered': 2, skip: 288 },
  syncs: {
    tracked: 4010,
    synced: 4007,
    deadLettered: 3,
    leftOut: 0,
    outstanding: 0,
    deadByCode: { dataverse_rejected: 3 },
  },
  alreadyDeadByCode: { dataverse_rejected: 1, dataverse_forbidden: 1 },
  ranOwnWorkers: true,
  ...fields,
});

describe('exitCodeOf', () => {
  it('is 0 when every selected referral ended synced or dead-lettered', () => {
    expect(exitCodeOf(result())).toBe(0);
  });

  it('is 130 when interrupted, 1 when failed or when syncs did not end', () => {
    expect(exitCodeOf(result({ outcome: 'interrupted' }))).toBe(130);
    expect(
      exitCodeOf(result({ outcome: 'failed', error: { code: 'referrals_unauthorized', message: 'x' } })),
    ).toBe(1);
    const leftOut = result();
    leftOut.syncs.leftOut = 1;
    expect(exitCodeOf(leftOut)).toBe(1);
  });
});

describe('formatRunSummary', () => {
  it('names every decision, how the syncs ended, and the reasons of the dead letters', () => {
    const text = formatRunSummary(result(), 25_000);
    expect(text).toContain('Backfill complete.');
    expect(text).toContain('create 4,000, update 10, nothing 700, dead-lettered 2, skip 288');
    expect(text).toContain('synced 4,007, dead-lettered 3, still queued 0');
    expect(text).toContain('dataverse_rejected 4, dataverse_forbidden 1');
    expect(text).toContain('took 0:25 (160.3 syncs/s), syncs done by this process');
  });

  it('says where an interrupted run stopped and what stays queued', () => {
    const interrupted = result({ outcome: 'interrupted' });
    interrupted.syncs.outstanding = 1200;
    const text = formatRunSummary(interrupted, 1_000);
    expect(text).toContain('run it again to continue');
    expect(text).toContain('the 1,200 still queued stay queued');
  });
});

describe('the backfill cursor', () => {
  const cursor = {
    selection: '{"a":1}',
    startedAt: '2026-05-01T12:00:00.000Z',
    listed: 3200,
    enqueued: 3100,
    last: { id: 'r-9', createdDateTime: '2026-04-01T00:00:00.0000000Z' },
    listingDone: false,
    finishedAt: null,
  };

  it('reads back what it wrote, and nothing from a value it cannot read', () => {
    expect(parseBackfillCursor(serializeBackfillCursor(cursor))).toEqual(cursor);
    expect(parseBackfillCursor('{"selection": 1}')).toBeNull();
    expect(parseBackfillCursor('nope')).toBeNull();
    expect(parseBackfillCursor(null)).toBeNull();
  });

  it('continues only an unfinished backfill of the same selection', () => {
    expect(resumableCursor(cursor, '{"a":1}')).toBe(cursor);
    expect(resumableCursor(cursor, '{"a":2}')).toBeNull();
    expect(resumableCursor({ ...cursor, finishedAt: '2026-05-01T13:00:00.000Z' }, '{"a":1}')).toBeNull();
  });
});

describe('formatRunSummary of a run with nothing to sync', () => {
  it('says nothing of who did syncs there were none of', () => {
    const idle = result({ counts: { create: 0, update: 0, nothing: 5000, 'dead-lettered': 0, skip: 0 } });
    idle.syncs = { tracked: 0, synced: 0, deadLettered: 0, leftOut: 0, outstanding: 0, deadByCode: {} };
    idle.ranOwnWorkers = false;
    expect(formatRunSummary(idle, 2_000)).not.toContain('syncs done by');
  });
});
