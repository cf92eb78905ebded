import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../net/http-client.ts';
import { classifyPartnerCenterResponse } from './classify-partner-center-error.ts';

function response(status: number, body: unknown = '', headers: Record<string, string> = {}): HttpResponse {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return {
    status,
    headers,
    body: bytes,
    text: () => bytes.toString('utf8'),
    json: () => JSON.parse(bytes.toString('utf8')) as unknown,
    requestId: 'test-request',
  };
}

describe('classifyPartnerCenterResponse', () => {
  it.each([
    [401, 'reauthenticate', 'referrals_unauthorized'],
    [403, 'dead_letter', 'referrals_forbidden'],
    [404, 'not_found', 'referrals_not_found'],
    [412, 'conflict', 'referrals_etag_mismatch'],
    [408, 'retry', 'referrals_unavailable'],
    [429, 'retry', 'referrals_throttled'],
    [500, 'retry', 'referrals_unavailable'],
    [502, 'retry', 'referrals_unavailable'],
    [503, 'retry', 'referrals_unavailable'],
    [504, 'retry', 'referrals_unavailable'],
    [400, 'dead_letter', 'referrals_rejected'],
    [405, 'dead_letter', 'referrals_rejected'],
    [409, 'dead_letter', 'referrals_rejected'],
    [415, 'dead_letter', 'referrals_rejected'],
  ])('classifies %i as %s (%s)', (status, disposition, code) => {
    const error = classifyPartnerCenterResponse('referrals', response(status), 'GET referral r1');
    expect(error).toMatchObject({ remote: 'referrals', status, disposition, code });
  });

  it('prefixes the code with the remote it was called for', () => {
    expect(classifyPartnerCenterResponse('webhooks', response(404), 'GET registration').code).toBe(
      'webhooks_not_found',
    );
  });

  it.each([
    ['delay-seconds', '7', 7_000],
    ['absent', undefined, undefined],
  ])('reads Retry-After given as %s', (_form, value, expected) => {
    const error = classifyPartnerCenterResponse(
      'referrals',
      response(429, '', value === undefined ? {} : { 'retry-after': value }),
      'GET referrals',
    );
    expect(error.retryAfterMs).toBe(expected);
  });

  it('reads a Retry-After on a 503 too', () => {
    const error = classifyPartnerCenterResponse('referrals', response(503, '', { 'retry-after': '2' }), 'x');
    expect(error).toMatchObject({ disposition: 'retry', retryAfterMs: 2_000 });
  });

  it("reads the Referrals API's error envelope", () => {
    const error = classifyPartnerCenterResponse(
      'referrals',
      response(400, { error: { code: 'invalidRequest', message: 'status: New → Won is not allowed' } }),
      'PATCH referral r1',
    );
    expect(error.remoteCode).toBe('invalidRequest');
    expect(error.message).toContain('PATCH referral r1 answered 400: status: New → Won is not allowed');
  });

  it("reads the webhook API's classic error shape", () => {
    const error = classifyPartnerCenterResponse(
      'webhooks',
      response(409, {
        code: 409,
        description: 'Registration already exists, use the PUT method',
        data: [],
        source: 'PartnerFD',
      }),
      'POST registration',
    );
    expect(error.remoteCode).toBe('409');
    expect(error.message).toContain('Registration already exists');
  });

  it('copes with a body that is not JSON, and with an empty one', () => {
    const html = classifyPartnerCenterResponse('referrals', response(502, '<html>Bad gateway</html>'), 'GET');
    expect(html).toMatchObject({ disposition: 'retry', remoteCode: undefined });
    const empty = classifyPartnerCenterResponse('referrals', response(401), 'GET');
    expect(empty).toMatchObject({ disposition: 'reauthenticate', remoteCode: undefined });
  });

  it('keeps a long remote message short', () => {
    const error = classifyPartnerCenterResponse(
      'referrals',
      response(400, { error: { code: 'invalidRequest', message: 'x'.repeat(5_000) } }),
      'GET',
    );
    expect(error.message.length).toBeLessThan(400);
  });
});
