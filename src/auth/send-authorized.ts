import { type HttpClient, type HttpRequest, type HttpResponse, TransportError } from '../net/http-client.ts';
import { RemoteError } from '../net/remote-error.ts';
import type { TokenProvider } from './token-provider.ts';

/**
 * Sends a request with a bearer token. A refused token is replaced and the call made once more; any
 * other failure comes back as the remote's classified RemoteError, transport failures as `retry`.
 * `classify` turns a non-success response into the remote's RemoteError.
 */
export type SendAuthorizedOptions = {
  /**
   * What a refusal of a fresh token means. `configuration` (default): the token is wrong for the remote
   * (audience, permissions), so the call dead-letters. `session`: sessions die for reasons of their own
   * (Salesforce: idle timeout, another login, revocation), so the call is retried later.
   */
  repeatedRefusal?: 'configuration' | 'session';
};

/**
 * Fresh sessions a call may try after a refusal. One for a token that is wrong or expired; a few more
 * where sessions die on their own, since any concurrent call may end the session the others just got.
 */
const RENEWALS = { configuration: 1, session: 3 } as const;

export async function sendAuthorized(
  http: HttpClient,
  tokens: TokenProvider,
  request: HttpRequest,
  isSuccess: (response: HttpResponse) => boolean,
  classify: (response: HttpResponse) => RemoteError,
  options: SendAuthorizedOptions = {},
): Promise<HttpResponse> {
  const renewals = RENEWALS[options.repeatedRefusal ?? 'configuration'];
  for (let attempt = 1; ; attempt++) {
    const token = await tokens.token();
    let response: HttpResponse;
    try {
      response = await http.send({
        ...request,
        headers: { ...request.headers, authorization: `Bearer ${token}` },
      });
    } catch (error) {
      if (error instanceof TransportError) {
        throw new RemoteError({
          remote: http.remote,
          // An untrusted certificate stays untrusted: fix the CA configuration, then replay.
          disposition: error.code === 'tls' ? 'dead_letter' : 'retry',
          code: `${http.remote}_${error.code}`,
          message: error.message,
          cause: error,
        });
      }
      throw error;
    }
    if (isSuccess(response)) return response;
    const failure = classify(response);
    // The remote said it is throttled and when to come back: nothing of ours goes there before then.
    if (failure.status === 429 && failure.retryAfterMs !== undefined) http.pauseFor(failure.retryAfterMs);
    if (failure.disposition === 'reauthenticate' && attempt <= renewals) {
      tokens.invalidate(token);
      continue;
    }
    if (failure.disposition === 'reauthenticate') {
      // Refused twice with fresh tokens: a configuration problem (audience, permissions), not expiry;
      // unless the remote's sessions die on their own, when the next attempt starts a new one.
      if (options.repeatedRefusal === 'session') tokens.invalidate(token);
      throw new RemoteError({
        remote: failure.remote,
        disposition: options.repeatedRefusal === 'session' ? 'retry' : 'dead_letter',
        code: failure.code,
        message: `${failure.message} (a fresh token was refused too)`,
        status: failure.status,
        remoteCode: failure.remoteCode,
      });
    }
    throw failure;
  }
}
