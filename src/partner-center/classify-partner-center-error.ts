/**
 * The one place that decides what a Partner Center answer means (Referrals API and webhook API).
 * Evidence for the odd cases is in ../../shared/spec/partner-center.md §3.7 and §9.
 */
import type { HttpResponse } from '../net/http-client.ts';
import { RemoteError } from '../net/remote-error.ts';
import { parseRetryAfter } from '../net/retry-after.ts';

export function classifyPartnerCenterResponse(
  remote: string,
  response: HttpResponse,
  what: string,
): RemoteError {
  const { status } = response;
  const { code: remoteCode, message } = readEnvelope(response);
  const base = {
    remote,
    status,
    remoteCode,
    message: `${what} answered ${status}${message ? `: ${message}` : ''}`,
  };
  if (status === 401)
    return new RemoteError({ ...base, disposition: 'reauthenticate', code: `${remote}_unauthorized` });
  if (status === 403) {
    // App-only tokens, a user without the Referrals role, and (since April 2026) a sign-in without MFA
    // all land here; none is fixed by retrying.
    return new RemoteError({ ...base, disposition: 'dead_letter', code: `${remote}_forbidden` });
  }
  if (status === 404)
    return new RemoteError({ ...base, disposition: 'not_found', code: `${remote}_not_found` });
  if (status === 412)
    return new RemoteError({ ...base, disposition: 'conflict', code: `${remote}_etag_mismatch` });
  if (status === 408 || status === 429 || status >= 500) {
    return new RemoteError({
      ...base,
      disposition: 'retry',
      code: status === 429 ? `${remote}_throttled` : `${remote}_unavailable`,
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    });
  }
  return new RemoteError({ ...base, disposition: 'dead_letter', code: `${remote}_rejected` });
}

/** Referrals host: `{"error":{code,message}}`; webhooks host: `{code, description}` (classic shape). */
function readEnvelope(response: HttpResponse): { code: string | undefined; message: string | undefined } {
  try {
    const body = response.json() as Record<string, unknown>;
    const error = (body.error ?? body) as Record<string, unknown>;
    const code = error.code ?? error.Code;
    const message = error.message ?? error.description ?? error.Description ?? error.Message;
    return {
      code: code === undefined ? undefined : String(code),
      message: typeof message === 'string' ? message.slice(0, 300) : undefined,
    };
  } catch {
    return { code: undefined, message: undefined };
  }
}
