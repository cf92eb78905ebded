/**
 * The one place that decides what a Salesforce answer means. Codes and bodies: spec crm.md §B1, §B3, §B6.
 * Errors are a JSON array `[{ message, errorCode, fields }]`; a few answers carry an object instead.
 */
import type { HttpResponse } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';
import { LeadClosedError } from '../crm-adapter.ts';

export type SalesforceErrorItem = {
  errorCode: string | undefined;
  message: string | undefined;
  fields: string[];
};

/** Session policy (IP range, API client control) refuses this session: a new one is refused the same way. */
const POLICY_BLOCKED_SESSION = /not valid for use with the REST API/i;

export function classifySalesforceResponse(
  response: HttpResponse,
  what: string,
  options: { limitPauseMs: number },
): RemoteError {
  const { status } = response;
  const [first] = readErrors(response);
  const remoteCode = first?.errorCode;
  const fields = first?.fields.length ? ` (fields: ${first.fields.join(', ')})` : '';
  const base = {
    remote: 'salesforce',
    status,
    remoteCode,
    message: `${what} answered ${status}${remoteCode ? ` ${remoteCode}` : ''}${first?.message ? `: ${first.message}` : ''}${fields}`,
  };
  if (status === 401) {
    return POLICY_BLOCKED_SESSION.test(first?.message ?? '')
      ? new RemoteError({ ...base, disposition: 'dead_letter', code: 'salesforce_session_blocked' })
      : new RemoteError({ ...base, disposition: 'reauthenticate', code: 'salesforce_session_invalid' });
  }
  if (remoteCode === 'REQUEST_LIMIT_EXCEEDED') {
    // The org's daily allocation is used up (or too many long requests): Salesforce sends no Retry-After.
    return new RemoteError({
      ...base,
      disposition: 'retry',
      code: 'salesforce_request_limit',
      retryAfterMs: options.limitPauseMs,
    });
  }
  if (remoteCode === 'UNABLE_TO_LOCK_ROW') {
    // Another transaction holds the record; REST cannot wait for it, so the next attempt does (spec B6).
    return new RemoteError({ ...base, disposition: 'retry', code: 'salesforce_row_locked' });
  }
  if (remoteCode === 'CANNOT_UPDATE_CONVERTED_LEAD') return new LeadClosedError(base);
  if (status >= 500 || status === 408 || status === 429) {
    return new RemoteError({ ...base, disposition: 'retry', code: 'salesforce_unavailable' });
  }
  if (status === 300) {
    // Several leads carry the referral id: the field is not unique in this org. A person must merge them.
    return new RemoteError({ ...base, disposition: 'dead_letter', code: 'salesforce_duplicate_leads' });
  }
  if (status === 404)
    return new RemoteError({ ...base, disposition: 'not_found', code: 'salesforce_not_found' });
  if (status === 403)
    return new RemoteError({ ...base, disposition: 'dead_letter', code: 'salesforce_forbidden' });
  // Validation (required field, length, restricted picklist, unknown field): the data or the org's set-up.
  return new RemoteError({ ...base, disposition: 'dead_letter', code: 'salesforce_rejected' });
}

export function readErrors(response: HttpResponse): SalesforceErrorItem[] {
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return [];
  }
  const items = Array.isArray(body) ? body : [body];
  return items
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    .map((item) => ({
      errorCode: typeof item.errorCode === 'string' ? item.errorCode : undefined,
      message: typeof item.message === 'string' ? item.message.slice(0, 300) : undefined,
      fields: Array.isArray(item.fields) ? item.fields.filter((f): f is string => typeof f === 'string') : [],
    }));
}
