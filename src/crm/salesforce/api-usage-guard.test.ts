import { describe, expect, it } from 'vitest';
import { createApiUsageGuard, parseLimitInfo } from './api-usage-guard.ts';

describe('the Salesforce API-usage guard', () => {
  it('reads Sforce-Limit-Info leniently', () => {
    expect(parseLimitInfo('api-usage=18/15000')).toEqual({ used: 18, max: 15000 });
    expect(parseLimitInfo('api-usage=18/15000; per-app-api-usage=17/250(appName=Sync)')).toEqual({
      used: 18,
      max: 15000,
    });
    expect(parseLimitInfo(undefined)).toBeUndefined();
    expect(parseLimitInfo('api-usage=1/0')).toBeUndefined();
  });

  it("stops the connector at its share of the org's allocation, then lets one call probe after the pause", () => {
    let now = 0;
    const guard = createApiUsageGuard({ share: 0.5, pauseMs: 60_000, now: () => now });
    guard.observe('api-usage=7499/15000');
    expect(() => guard.check()).not.toThrow();

    guard.observe('api-usage=7500/15000');
    expect(() => guard.check()).toThrow(
      expect.objectContaining({
        code: 'salesforce_allocation_share_used',
        retryAfterMs: 60_000,
        disposition: 'retry',
      }),
    );
    now = 60_000;
    expect(() => guard.check()).not.toThrow();
  });
});
