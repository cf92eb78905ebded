import { describe, expect, it } from 'vitest';
import { toLeadState } from './lead-state.ts';

const FORMATTED = 'statuscode@OData.Community.Display.V1.FormattedValue';

describe('toLeadState', () => {
  it.each([
    [0, 1, 'open'],
    [0, 2, 'open'],
    [1, 3, 'qualified'],
    [2, 4, 'disqualified'],
    [2, 7, 'disqualified'],
  ])('reads statecode %i (statuscode %i) as %s', (statecode, statuscode, phase) => {
    expect(toLeadState({ leadid: 'lead-1', statecode, statuscode })).toEqual({
      leadId: 'lead-1',
      phase,
      crmStatus: String(statuscode),
    });
  });

  it('takes the status label as the reason and keeps modifiedon', () => {
    const state = toLeadState({
      leadid: 'lead-1',
      statecode: 2,
      statuscode: 6,
      [FORMATTED]: 'No Longer Interested',
      modifiedon: '2026-11-02T09:00:00Z',
    });
    expect(state).toEqual({
      leadId: 'lead-1',
      phase: 'disqualified',
      crmStatus: '6',
      reason: 'No Longer Interested',
      modifiedAt: '2026-11-02T09:00:00Z',
    });
  });

  it('reads a statecode sent as a string', () => {
    expect(toLeadState({ leadid: 'lead-1', statecode: '1', statuscode: '3' }).phase).toBe('qualified');
  });

  it.each([
    ['an unknown statecode', { leadid: 'lead-1', statecode: 3, statuscode: 1 }],
    ['no statecode', { leadid: 'lead-1', statuscode: 1 }],
    ['no leadid', { statecode: 0, statuscode: 1 }],
  ])('refuses a row with %s', (_why, row) => {
    expect(() => toLeadState(row)).toThrow(TypeError);
  });
});
