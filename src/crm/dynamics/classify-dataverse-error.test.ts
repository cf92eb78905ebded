import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../net/http-client.ts';
import { classifyDataverseResponse } from './classify-dataverse-error.ts';

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

const dataverseError = (code: string, message: string) => ({ error: { code, message } });

describe('classifyDataverseResponse', () => {
  it.each([
    [401, 'reauthenticate', 'dataverse_unauthorized'],
    [403, 'dead_letter', 'dataverse_forbidden'],
    [404, 'not_found', 'dataverse_not_found'],
    [412, 'conflict', 'dataverse_etag_mismatch'],
    [408, 'retry', 'dataverse_unavailable'],
    [429, 'retry', 'dataverse_throttled'],
    [500, 'retry', 'dataverse_unavailable'],
    [503, 'retry', 'dataverse_unavailable'],
    [400, 'dead_letter', 'dataverse_rejected'],
    [405, 'dead_letter', 'dataverse_rejected'],
    [413, 'dead_letter', 'dataverse_rejected'],
  ])('classifies %i as %s (%s)', (status, disposition, code) => {
    expect(classifyDataverseResponse(response(status), 'upsert lead k')).toMatchObject({
      remote: 'dataverse',
      status,
      disposition,
      code,
    });
  });

  it('keeps the service-protection code and the Retry-After of a 429', () => {
    const error = classifyDataverseResponse(
      response(
        429,
        dataverseError(
          '0x80072322',
          'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
        ),
        { 'retry-after': '12' },
      ),
      'upsert lead k',
    );
    expect(error).toMatchObject({ retryAfterMs: 12_000, remoteCode: '0x80072322' });
    expect(error.message).toContain('upsert lead k answered 429 0x80072322: Number of requests exceeded');
  });

  it('keeps the Dataverse error code of a refused payload', () => {
    const error = classifyDataverseResponse(
      response(
        400,
        dataverseError(
          '0x80048d19',
          "Invalid property 'foo' was found in entity 'Microsoft.Dynamics.CRM.lead'.",
        ),
      ),
      'upsert lead k',
    );
    expect(error).toMatchObject({ disposition: 'dead_letter', remoteCode: '0x80048d19' });
  });

  it('copes with the empty body of a 401 and with a body that is not JSON', () => {
    expect(classifyDataverseResponse(response(401), 'x')).toMatchObject({ remoteCode: undefined });
    expect(classifyDataverseResponse(response(502, '<html/>'), 'x')).toMatchObject({
      disposition: 'retry',
      remoteCode: undefined,
    });
  });
});
