import { describe, expect, it } from 'vitest';
import { DataverseLimitsSpecError, LIFTED_LIMITS, parseDataverseLimits } from './parse-dataverse-limits.ts';
import { DEFAULT_LIMITS } from './service-protection.ts';

describe('parseDataverseLimits', () => {
  it('keeps the real limits for "default"', () => {
    expect(parseDataverseLimits('default')).toEqual(DEFAULT_LIMITS);
  });

  it('lifts every limit for "off"', () => {
    expect(parseDataverseLimits('off')).toEqual(LIFTED_LIMITS);
    expect(LIFTED_LIMITS.requestsPerWindow).toBeGreaterThan(DEFAULT_LIMITS.requestsPerWindow * 100);
    expect(LIFTED_LIMITS.concurrentRequests).toBeGreaterThan(DEFAULT_LIMITS.concurrentRequests * 100);
  });

  it.each([
    ['600/1m', 600, 60_000],
    ['100/10s', 100, 10_000],
    ['100/10', 100, 10_000],
    ['50 / 500ms', 50, 500],
  ])('reads "%s" as requests per window, with execution time in the real proportion', (spec, n, windowMs) => {
    expect(parseDataverseLimits(spec)).toEqual({
      requestsPerWindow: n,
      windowMs,
      // Dataverse allows 1,200 s of execution per 6,000 requests: 200 ms a request.
      executionTimeMs: n * 200,
      concurrentRequests: 52,
    });
  });

  it.each(['', 'none', '0/1m', '10/50ms', '10/1h', '-5/1s', 'ten/1s'])(
    'refuses "%s", naming the syntax',
    (spec) => {
      expect(() => parseDataverseLimits(spec)).toThrow(DataverseLimitsSpecError);
      expect(() => parseDataverseLimits(spec)).toThrow(/default, off, or N\/WINDOW/);
    },
  );
});
