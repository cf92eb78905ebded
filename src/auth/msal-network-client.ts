import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Explanation } from '../net/explain-error.ts';
import { type HttpClient, TransportError } from '../net/http-client.ts';

/**
 * A request msal made that failed: no answer (`explanation` says why), or a metadata read that was
 * refused (`status`). msal reports these only as `endpoints_resolution_error` and drops the cause, so the
 * network client keeps the last one for whoever words msal's error (`explainMsalFailure`).
 */
export type MsalNetworkFailure = {
  url: string;
  at: number;
  explanation?: Explanation;
  status?: number;
  error?: TransportError;
};

/** Routes msal-node's token traffic through our HTTP client (timeouts, extra trusted CAs, request ids). */
export function createMsalNetworkClient(
  http: HttpClient,
  onFailure: (failure: MsalNetworkFailure) => void = () => {},
): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ) => {
    let response: Awaited<ReturnType<HttpClient['send']>>;
    try {
      response = await http.send({
        method,
        url,
        headers: options?.headers ?? {},
        ...(options?.body !== undefined ? { body: options.body } : {}),
        ...(timeout ? { timeoutMs: timeout } : {}),
      });
    } catch (error) {
      if (error instanceof TransportError) {
        onFailure({
          url: error.url,
          at: Date.now(),
          explanation: { code: error.detail, problem: error.problem, fix: error.fix },
          error,
        });
      }
      throw error;
    }
    // Token answers carry their own error bodies, which msal reads; a failed metadata GET it does not word.
    if (method === 'GET' && response.status >= 400)
      onFailure({ url: url.split('?')[0] ?? url, at: Date.now(), status: response.status });
    let body: unknown;
    try {
      body = response.json();
    } catch {
      body = {};
    }
    return {
      status: response.status,
      headers: response.headers,
      body: body as T,
    } satisfies NetworkResponse<T>;
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
