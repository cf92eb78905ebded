import { describe, expect, it } from 'vitest';
import { toReferralKey } from '../core/domain.ts';
import type { Link } from '../store/ports.ts';
import { SELECT_ALL } from '../sync/selection-policy.ts';
import {
  type BackfillSelection,
  backfillServerFilter,
  parseBackfillFlags,
  selectForBackfill,
  selectionKey,
} from './backfill-selection.ts';
import { type DecidableReferral, decideBackfill } from './decide-backfill.ts';

const referral = (fields: Partial<DecidableReferral> = {}): DecidableReferral => ({
  eTag: '"v2"',
  status: 'New',
  direction: 'Incoming',
  createdDateTime: '2026-03-10T14:22:05.1234567Z',
  ...fields,
});
const link = (fields: Partial<Link> = {}): Link => ({
  referralId: toReferralKey('r-1'),
  leadId: 'lead-1',
  lastReferralETag: '"v1"',
  lastReferralUpdatedAt: null,
  lastLeadHash: 'h',
  syncedAt: '2026-03-10T15:00:00.000Z',
  ...fields,
});
const everything: BackfillSelection = { policy: SELECT_ALL, filters: {} };
const none = { link: null, deadLetterCode: null };

describe('decideBackfill', () => {
  it('creates a lead for a referral without a link', () => {
    expect(decideBackfill(referral(), none, everything)).toEqual({ kind: 'create' });
  });

  it('updates the lead of a linked referral that changed since its last sync', () => {
    expect(decideBackfill(referral(), { link: link(), deadLetterCode: null }, everything)).toEqual({
      kind: 'update',
      why: 'changed',
    });
  });

  it('does nothing for a referral synced at the version listed', () => {
    const synced = link({ lastReferralETag: '"v2"' });
    expect(decideBackfill(referral(), { link: synced, deadLetterCode: null }, everything)).toEqual({
      kind: 'nothing',
    });
  });

  it('leaves a dead-lettered referral to replay, saying why it died', () => {
    expect(decideBackfill(referral(), { link: null, deadLetterCode: 'lead_rejected' }, everything)).toEqual({
      kind: 'dead-lettered',
      code: 'lead_rejected',
    });
  });

  it('updates rather than creates when the CRM already has a lead the store does not know of', () => {
    expect(decideBackfill(referral(), { ...none, leadInCrm: true }, everything)).toEqual({
      kind: 'update',
      why: 'lead-without-link',
    });
    expect(decideBackfill(referral(), { ...none, leadInCrm: false }, everything)).toEqual({ kind: 'create' });
  });

  it('skips what the policy or the flags leave out, saying which', () => {
    const incomingOnly: BackfillSelection = { policy: { ...SELECT_ALL, direction: 'incoming' }, filters: {} };
    expect(decideBackfill(referral({ direction: 'Outgoing' }), none, incomingOnly)).toEqual({
      kind: 'skip',
      rule: 'direction',
      by: 'policy',
    });
    const newOnly: BackfillSelection = { policy: SELECT_ALL, filters: { statuses: ['New'] } };
    expect(decideBackfill(referral({ status: 'Active' }), none, newOnly)).toEqual({
      kind: 'skip',
      rule: 'status',
      by: 'flags',
    });
  });
});

describe('the backfill selection', () => {
  it('lets the flags narrow the policy, but not keep a linked referral of another status', () => {
    const selection: BackfillSelection = {
      policy: { ...SELECT_ALL, statuses: ['New', 'Active'] },
      filters: { statuses: ['New'] },
    };
    // The policy keeps a linked Closed referral syncing; `--status New` asked for New ones only.
    expect(selectForBackfill(referral({ status: 'Closed' }), selection, true)).toEqual({
      selected: false,
      rule: 'status',
      by: 'flags',
    });
    expect(selectForBackfill(referral({ status: 'Closed' }), selection, false)).toMatchObject({
      by: 'policy',
    });
  });

  it('asks Partner Center for the direction both allow, and for nothing when they contradict', () => {
    const policy = { ...SELECT_ALL, direction: 'incoming' } as const;
    expect(backfillServerFilter({ policy, filters: {} })).toEqual({
      empty: false,
      filter: "direction eq 'Incoming'",
    });
    expect(backfillServerFilter({ policy: SELECT_ALL, filters: { direction: 'outgoing' } })).toEqual({
      empty: false,
      filter: "direction eq 'Outgoing'",
    });
    expect(backfillServerFilter({ policy, filters: { direction: 'outgoing' } })).toEqual({ empty: true });
    expect(backfillServerFilter({ policy: SELECT_ALL, filters: {} })).toEqual({ empty: false, filter: null });
  });

  it('names a selection the same whatever order its statuses were given in', () => {
    const a = selectionKey({ policy: SELECT_ALL, filters: { statuses: ['New', 'Active'] } });
    const b = selectionKey({ policy: SELECT_ALL, filters: { statuses: ['Active', 'New'] } });
    expect(a).toBe(b);
    expect(selectionKey({ policy: SELECT_ALL, filters: { limit: 5 } })).not.toBe(a);
  });
});

describe('parseBackfillFlags', () => {
  it('reads every flag, statuses and direction in any case', () => {
    expect(
      parseBackfillFlags({ since: '2026-01-31', status: 'new, ACTIVE', direction: 'Incoming', limit: '50' }),
    ).toEqual({ since: '2026-01-31', statuses: ['New', 'Active'], direction: 'incoming', limit: 50 });
    expect(parseBackfillFlags({})).toEqual({});
  });

  it('refuses a bad flag naming it and what it takes', () => {
    expect(() => parseBackfillFlags({ since: 'last week' })).toThrow(/--since takes a date/);
    expect(() => parseBackfillFlags({ status: 'New,Won' })).toThrow(/--status takes .*New, Active, Closed/);
    expect(() => parseBackfillFlags({ direction: 'inbound' })).toThrow(
      /--direction takes incoming, outgoing, all/,
    );
    expect(() => parseBackfillFlags({ limit: '0' })).toThrow(/--limit takes a whole number/);
    expect(() => parseBackfillFlags({ limit: '2.5' })).toThrow(TypeError);
  });
});
