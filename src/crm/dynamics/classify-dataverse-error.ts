/**
 * The one place that decides what a Dataverse answer means. Codes: spec crm.md §A4, §A5, §A9.
 */
import type { HttpResponse } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';
import { parseRetryAfter } from '../../net/retry-after.ts';

export function classifyDataverseResponse(response: HttpResponse, what: string): RemoteError {
  const { status } = response;
  const { code: remoteCode, message } = readError(response);
  const base = {
    remote: 'dataverse',
    status,
    remoteCode,
    message: `${what} answered ${status}${remoteCode ? ` ${remoteCode}` : ''}${message ? `: ${message}` : ''}`,
  };
  if (status === 401)
    return new RemoteError({ ...base, disposition: 'reauthenticate', code: 'dataverse_unauthorized' });
  if (status === 429 || status >= 500 || status === 408) {
    return new RemoteError({
      ...base,
      disposition: 'retry',
      code: status === 429 ? 'dataverse_throttled' : 'dataverse_unavailable',
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    });
  }
  if (status === 404)
    return new RemoteError({ ...base, disposition: 'not_found', code: 'dataverse_not_found' });
  if (status === 412)
    return new RemoteError({ ...base, disposition: 'conflict', code: 'dataverse_etag_mismatch' });
  if (status === 403) {
    // The app is not an application user of the org, or its role lacks lead privileges: configuration.
    return new RemoteError({ ...base, disposition: 'dead_letter', code: 'dataverse_forbidden' });
  }
  return new RemoteError({ ...base, disposition: 'dead_letter', code: 'dataverse_rejected' });
}

function readError(response: HttpResponse): { code: string | undefined; message: string | undefined } {
  try {
    const body = response.json() as { error?: { code?: unknown; message?: unknown } };
    return {
      code: typeof body.error?.code === 'string' && body.error.code !== '' ? body.error.code : undefined,
      message: typeof body.error?.message === 'string' ? body.error.message.slice(0, 300) : undefined,
    };
  } catch {
    return { code: undefined, message: undefined };
  }
}
