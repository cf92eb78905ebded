import { describe, expect, it } from 'vitest';
import { FaultSpecError, parseFaultSpec } from './parse-fault-spec.ts';

describe('parseFaultSpec', () => {
  it('reads rates and latency per remote, and the dispatcher knobs', () => {
    expect(
      parseFaultSpec('dataverse.5xx=0.1,dataverse.429=0.05,dispatcher.duplicate=0.2,referrals.latencyMs=50'),
    ).toEqual({
      dataverse: { '5xx': 0.1, '429': 0.05 },
      referrals: { latencyMs: 50 },
      dispatcher: { duplicate: 0.2 },
    });
  });

  it('accepts an empty spec as no faults', () => {
    expect(parseFaultSpec('')).toEqual({});
  });

  it.each([
    ['crm.5xx=0.1', 'unknown remote'],
    ['dataverse.teapot=1', 'unknown kind'],
    ['dispatcher.5xx=0.1', 'unknown kind'],
    ['dataverse.5xx=1.5', 'between 0 and 1'],
    ['dataverse.5xx=lots', 'non-negative number'],
    ['dataverse5xx', 'remote.kind=value'],
  ])('rejects "%s" naming the problem (%s)', (spec, problem) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(problem);
  });
});
