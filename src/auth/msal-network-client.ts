import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { HttpClient } from '../net/http-client.ts';

/** Routes msal-node's token traffic through our HTTP client (timeouts, extra trusted CAs, request ids). */
export function createMsalNetworkClient(http: HttpClient): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ) => {
    const response = await http.send({
      method,
      url,
      headers: options?.headers ?? {},
      ...(options?.body !== undefined ? { body: options.body } : {}),
      ...(timeout ? { timeoutMs: timeout } : {}),
    });
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
