import { describe, expect, it } from 'vitest';
import { toLeadState } from './lead-state.ts';
import { RECORD_KINDS } from './record-kind.ts';

const leadRules = { qualifiedStages: ['qualified-stage-id'], disqualifiedStages: ['unqualified-stage-id'] };
const dealRules = { qualifiedStages: ['closedwon', '1234567'], disqualifiedStages: ['closedlost'] };

describe('HubSpot record → LeadState', () => {
  it.each([
    ['new-stage-id', 'open'],
    ['connected-stage-id', 'open'],
    ['qualified-stage-id', 'qualified'],
    ['unqualified-stage-id', 'disqualified'],
  ])('reads the lead stage %s as %s', (stage, phase) => {
    expect(
      toLeadState({ id: '9', properties: { hs_pipeline_stage: stage } }, RECORD_KINDS.leads, leadRules),
    ).toEqual({ leadId: '9', phase, crmStatus: stage });
  });

  it('reads configured deal stages, a portal’s own numeric ones too, and the reason of a lost deal', () => {
    const deals = RECORD_KINDS.deals;
    expect(toLeadState({ id: '1', properties: { dealstage: '1234567' } }, deals, dealRules).phase).toBe(
      'qualified',
    );
    expect(
      toLeadState(
        {
          id: '2',
          properties: {
            dealstage: 'closedlost',
            closed_lost_reason: 'Budget',
            hs_lastmodifieddate: '2026-12-01T10:00:00Z',
          },
        },
        deals,
        dealRules,
      ),
    ).toEqual({
      leadId: '2',
      phase: 'disqualified',
      crmStatus: 'closedlost',
      reason: 'Budget',
      modifiedAt: '2026-12-01T10:00:00.000Z',
    });
  });

  it('reads a record without a stage as open, and refuses one without an id', () => {
    expect(toLeadState({ id: '3', properties: {} }, RECORD_KINDS.leads, leadRules)).toEqual({
      leadId: '3',
      phase: 'open',
      crmStatus: '',
    });
    expect(() => toLeadState({ properties: {} }, RECORD_KINDS.leads, leadRules)).toThrow(TypeError);
  });
});
