import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../net/http-client.ts';
import { classifyHubSpotResponse, existingRecordId } from './classify-hubspot-error.ts';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    status,
    headers,
    body: raw,
    text: () => raw.toString(),
    json: () => JSON.parse(raw.toString()) as unknown,
    requestId: 'r',
  };
};
const NOW = Date.parse('2026-12-03T21:00:00.000Z');
const options = {
  now: () => NOW,
  nextDailyReset: () => Date.parse('2026-12-04T05:00:00.000Z'),
  tokenKey: 'crm.hubspot.accessToken',
};
const classify = (status: number, body: unknown, headers?: Record<string, string>) =>
  classifyHubSpotResponse(answer(status, body, headers), 'create lead of referral k', options);
const rateLimited = (policyName: string, message: string) => ({
  status: 'error',
  message,
  errorType: 'RATE_LIMIT',
  correlationId: 'c',
  policyName,
});

describe('classifyHubSpotResponse', () => {
  it.each([
    [401, 'INVALID_AUTHENTICATION', 'reauthenticate', 'hubspot_unauthorized'],
    [403, 'MISSING_SCOPES', 'dead_letter', 'hubspot_missing_scopes'],
    [404, 'OBJECT_NOT_FOUND', 'not_found', 'hubspot_not_found'],
    [409, 'CONFLICT', 'conflict', 'hubspot_conflict'],
    [400, 'VALIDATION_ERROR', 'dead_letter', 'hubspot_rejected'],
    [423, undefined, 'retry', 'hubspot_locked'],
    [500, undefined, 'retry', 'hubspot_unavailable'],
    [503, undefined, 'retry', 'hubspot_unavailable'],
  ] as const)('%i %s → %s %s', (status, category, disposition, code) => {
    expect(classify(status, { status: 'error', message: 'x', correlationId: 'c', category })).toMatchObject({
      remote: 'hubspot',
      status,
      disposition,
      code,
      remoteCode: category,
    });
  });

  it('names the configuration key of a refused token', () => {
    expect(classify(401, { category: 'INVALID_AUTHENTICATION' }).message).toContain(
      "set crm.hubspot.accessToken to the private app's current access token",
    );
  });

  it('pauses a ten-secondly 429 briefly (the window rolls), or as long as HubSpot says', () => {
    const body = rateLimited('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.');
    expect(classify(429, body)).toMatchObject({
      disposition: 'retry',
      code: 'hubspot_throttled',
      remoteCode: 'TEN_SECONDLY_ROLLING',
      retryAfterMs: 1_000,
    });
    expect(classify(429, body, { 'x-hubspot-ratelimit-interval-milliseconds': '20000' }).retryAfterMs).toBe(
      1_000,
    );
    expect(classify(429, body, { 'retry-after': '3' }).retryAfterMs).toBe(3_000);
  });

  it("pauses search's per-second 429 for a second", () => {
    expect(classify(429, rateLimited('SECONDLY', 'You have reached your secondly limit.'))).toMatchObject({
      code: 'hubspot_throttled',
      retryAfterMs: 1_000,
    });
  });

  it('pauses a daily 429 until the portal’s midnight and says so', () => {
    const error = classify(429, rateLimited('DAILY', 'You have reached your daily limit.'));
    expect(error).toMatchObject({
      disposition: 'retry',
      code: 'hubspot_daily_limit',
      remoteCode: 'DAILY',
      retryAfterMs: 8 * 3_600_000,
    });
    expect(error.message).toContain('daily API limit is used up');
    expect(error.message).toContain('resets at 2026-12-04T05:00:00.000Z');
  });

  it('lists the refused properties of a validation error and the scopes a 403 asks for', () => {
    const refused = classify(400, {
      category: 'VALIDATION_ERROR',
      message: 'Property values were not valid: [...]',
      errors: [
        {
          message: 'Property "referral_id" does not exist',
          code: 'PROPERTY_DOESNT_EXIST',
          context: { propertyName: ['referral_id'] },
        },
      ],
    });
    expect(refused.message).toContain('(PROPERTY_DOESNT_EXIST referral_id)');
    const forbidden = classify(403, {
      category: 'MISSING_SCOPES',
      errors: [{ context: { requiredGranularScopes: ['crm.objects.leads.write'] } }],
    });
    expect(forbidden.message).toContain('give the private app one of the scopes crm.objects.leads.write');
  });

  it('copes with a body that is not JSON', () => {
    expect(classify(502, '<html/>')).toMatchObject({ disposition: 'retry', remoteCode: undefined });
  });
});

describe('existingRecordId', () => {
  it('reads the id a 409 names, and nothing from other messages', () => {
    expect(existingRecordId({ message: 'Lead already exists. Existing ID: 51001' })).toBe('51001');
    expect(existingRecordId({ message: 'Contact already exists. Existing ID: 7' })).toBe('7');
    expect(existingRecordId({ message: 'conflict' })).toBeUndefined();
    expect(existingRecordId({})).toBeUndefined();
  });
});
