import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../net/http-client.ts';
import { LeadClosedError } from '../crm-adapter.ts';
import { classifySalesforceResponse } from './classify-salesforce-error.ts';

const answer = (status: number, body: unknown): HttpResponse => {
  const raw = Buffer.from(JSON.stringify(body));
  return { status, headers: {}, body: raw, text: () => raw.toString(), json: () => body, requestId: 'r' };
};
const classify = (status: number, body: unknown) =>
  classifySalesforceResponse(answer(status, body), 'upsert lead x', { limitPauseMs: 300_000 });

describe('classifySalesforceResponse', () => {
  it.each([
    [401, 'INVALID_SESSION_ID', 'Session expired or invalid', 'reauthenticate', 'salesforce_session_invalid'],
    [
      401,
      'INVALID_SESSION_ID',
      'This session is not valid for use with the REST API',
      'dead_letter',
      'salesforce_session_blocked',
    ],
    [
      400,
      'UNABLE_TO_LOCK_ROW',
      'unable to obtain exclusive access to this record',
      'retry',
      'salesforce_row_locked',
    ],
    [503, 'SERVER_UNAVAILABLE', 'Server unavailable', 'retry', 'salesforce_unavailable'],
    [
      400,
      'REQUIRED_FIELD_MISSING',
      'Required fields are missing: [Company]',
      'dead_letter',
      'salesforce_rejected',
    ],
    [400, 'STRING_TOO_LONG', 'Referral URL: data value too large', 'dead_letter', 'salesforce_rejected'],
    [404, 'NOT_FOUND', 'The requested resource does not exist', 'not_found', 'salesforce_not_found'],
    [403, 'INSUFFICIENT_ACCESS', 'insufficient access rights', 'dead_letter', 'salesforce_forbidden'],
  ] as const)('%i %s (%s) → %s %s', (status, errorCode, message, disposition, code) => {
    expect(classify(status, [{ message, errorCode, fields: [] }])).toMatchObject({
      disposition,
      code,
      remoteCode: errorCode,
    });
  });

  it('pauses for the configured time when the daily allocation is used up (Salesforce sends no Retry-After)', () => {
    const error = classify(403, [
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(error).toMatchObject({
      disposition: 'retry',
      code: 'salesforce_request_limit',
      retryAfterMs: 300_000,
    });
  });

  it('turns an update of a converted lead into LeadClosedError', () => {
    const error = classify(400, [
      { message: 'cannot reference converted lead', errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD', fields: [] },
    ]);
    expect(error).toBeInstanceOf(LeadClosedError);
  });

  it('dead-letters an upsert whose key matches several leads, and names the fields of a validation error', () => {
    expect(
      classify(300, ['/services/data/v62.0/sobjects/Lead/00Q1', '/services/data/v62.0/sobjects/Lead/00Q2']),
    ).toMatchObject({
      disposition: 'dead_letter',
      code: 'salesforce_duplicate_leads',
    });
    expect(
      classify(400, [
        {
          message: 'Required fields are missing: [Company]',
          errorCode: 'REQUIRED_FIELD_MISSING',
          fields: ['Company'],
        },
      ]).message,
    ).toContain('fields: Company');
  });
});
