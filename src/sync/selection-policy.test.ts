import { describe, expect, it } from 'vitest';
import {
  SELECT_ALL,
  type SelectableReferral,
  type SelectionPolicy,
  selectReferral,
  serverFilterOf,
} from './selection-policy.ts';

const referral = (fields: Partial<SelectableReferral> = {}): SelectableReferral => ({
  direction: 'Incoming',
  status: 'New',
  createdDateTime: '2026-03-10T14:22:05.1234567Z',
  ...fields,
});
const policy = (fields: Partial<SelectionPolicy> = {}): SelectionPolicy => ({ ...SELECT_ALL, ...fields });

describe('selectReferral', () => {
  it('selects every referral under the default policy, whatever its direction, status or age', () => {
    for (const direction of ['Incoming', 'Outgoing', null]) {
      for (const status of ['New', 'Active', 'Closed']) {
        expect(selectReferral(referral({ direction, status }), SELECT_ALL, false)).toEqual({
          selected: true,
        });
      }
    }
  });

  it('keeps only incoming referrals when told so, reading the direction in any case', () => {
    const incoming = policy({ direction: 'incoming' });
    expect(selectReferral(referral({ direction: 'INCOMING' }), incoming, false).selected).toBe(true);
    expect(selectReferral(referral({ direction: 'Outgoing' }), incoming, false)).toEqual({
      selected: false,
      rule: 'direction',
    });
    expect(selectReferral(referral({ direction: null }), incoming, false).selected).toBe(false);
  });

  it('leaves out referrals of other statuses, unless they already have a lead', () => {
    const open = policy({ statuses: ['New', 'Active'] });
    expect(selectReferral(referral({ status: 'Closed' }), open, false)).toEqual({
      selected: false,
      rule: 'status',
    });
    expect(selectReferral(referral({ status: 'Closed' }), open, true)).toEqual({ selected: true });
  });

  it('leaves out a linked referral of the other direction: direction decides once and for all', () => {
    expect(
      selectReferral(referral({ direction: 'Outgoing' }), policy({ direction: 'incoming' }), true),
    ).toEqual({ selected: false, rule: 'direction' });
  });

  it('leaves out referrals created before the date, to the tick, and reads a date as midnight UTC', () => {
    const since = policy({ createdAfter: '2026-03-10T14:22:05.1234567Z' });
    expect(selectReferral(referral(), since, false).selected).toBe(true);
    expect(
      selectReferral(referral({ createdDateTime: '2026-03-10T14:22:05.1234566Z' }), since, false),
    ).toEqual({
      selected: false,
      rule: 'created-before',
    });
    const day = policy({ createdAfter: '2026-03-11' });
    expect(
      selectReferral(referral({ createdDateTime: '2026-03-10T23:59:59.9999999Z' }), day, false).selected,
    ).toBe(false);
    expect(selectReferral(referral({ createdDateTime: '2026-03-11T00:00:00Z' }), day, false).selected).toBe(
      true,
    );
  });

  it('keeps a referral whose creation time cannot be read rather than lose it silently', () => {
    const since = policy({ createdAfter: '2026-03-11' });
    expect(selectReferral(referral({ createdDateTime: null }), since, false).selected).toBe(true);
    expect(selectReferral(referral({ createdDateTime: 'yesterday' }), since, false).selected).toBe(true);
  });
});

describe('serverFilterOf', () => {
  it('asks Partner Center to filter the direction only, in its own spelling', () => {
    expect(serverFilterOf({ direction: 'all' })).toBeNull();
    expect(serverFilterOf({ direction: 'incoming' })).toBe("direction eq 'Incoming'");
    expect(serverFilterOf({ direction: 'outgoing' })).toBe("direction eq 'Outgoing'");
  });
});
