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

  it("reads a service's own fault kinds for that service", () => {
    expect(parseFaultSpec('salesforce.lock=0.1,salesforce.sessionExpiry=0.02,salesforce.5xx=0.05')).toEqual({
      salesforce: { lock: 0.1, sessionExpiry: 0.02, '5xx': 0.05 },
    });
  });

  it('refuses a kind another service owns, naming its owner', () => {
    expect(() => parseFaultSpec('dataverse.lock=0.1')).toThrow(
      '"dataverse.lock=0.1" names an unknown kind; "lock" exists only for salesforce; dataverse takes 5xx, 429, latencyMs, retryAfterSeconds',
    );
    expect(() => parseFaultSpec('salesforce.lock=2')).toThrow('between 0 and 1');
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
