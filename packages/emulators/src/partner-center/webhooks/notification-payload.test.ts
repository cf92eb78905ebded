import { describe, expect, it } from 'vitest';
import { formatChangeDate, referralResourceUri, testPayload } from './notification-payload.ts';

const ID = '3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10';

describe('formatChangeDate', () => {
  it('keeps seven fractional digits and writes the offset as +00:00', () => {
    expect(formatChangeDate('2025-03-12T09:01:44.7654321Z')).toBe('2025-03-12T09:01:44.7654321+00:00');
  });

  it('pads milliseconds and whole seconds to seven digits', () => {
    expect(formatChangeDate('2025-03-12T09:01:44.765Z')).toBe('2025-03-12T09:01:44.7650000+00:00');
    expect(formatChangeDate('2025-03-12T09:01:44Z')).toBe('2025-03-12T09:01:44.0000000+00:00');
  });

  it('accepts an explicit zero offset and converts other offsets to UTC', () => {
    expect(formatChangeDate('2025-03-12T09:01:44.1234567+00:00')).toBe('2025-03-12T09:01:44.1234567+00:00');
    expect(formatChangeDate('2025-03-12T11:01:44.500+02:00')).toBe('2025-03-12T09:01:44.5000000+00:00');
  });

  it('refuses text that is not an instant', () => {
    expect(() => formatChangeDate('yesterday')).toThrow(RangeError);
  });
});

describe('referralResourceUri', () => {
  it('uses the documented classic-host form by default and the REST form on request', () => {
    expect(referralResourceUri(ID, 'documented')).toBe(
      `https://api.partnercenter.microsoft.com/engagements/v1/referrals/${ID}`,
    );
    expect(referralResourceUri(ID, 'v1.0')).toBe(
      `https://api.partner.microsoft.com/v1.0/engagements/referrals/${ID}`,
    );
  });

  it('makes odd forms that still carry the id in the last path segment', () => {
    for (const form of ['trailing-slash', 'query-string', 'uppercase-id', 'http-scheme'] as const) {
      const segments = new URL(referralResourceUri(ID, form)).pathname.split('/').filter(Boolean);
      expect(segments.at(-1)?.toLowerCase()).toBe(ID);
    }
  });
});

describe('testPayload', () => {
  it('points the test event at its validation-event status URL', () => {
    expect(testPayload('c0ffee00-0000-4000-8000-000000000000', new Date('2025-03-12T09:01:44.765Z'))).toEqual(
      {
        EventName: 'test-created',
        ResourceUri:
          'https://api.partnercenter.microsoft.com/webhooks/v1/registration/validationEvents/c0ffee00-0000-4000-8000-000000000000',
        ResourceName: 'test',
        AuditUri: null,
        ResourceChangeUtcDate: '2025-03-12T09:01:44.7650000+00:00',
      },
    );
  });
});
