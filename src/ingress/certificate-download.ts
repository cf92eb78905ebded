import type { HttpClient } from '../net/http-client.ts';
import { TransportError } from '../net/http-client.ts';
import { type Refusal, refuse } from './rejection-reasons.ts';

export type DownloadLimits = { maxBytes: number; timeoutMs: number };

/**
 * One GET of a certificate file through the connector's HTTP client. Redirects are never followed (a
 * 3xx is a refusal: the allow-list judged the URL we were given, not wherever it points next); size and
 * time are bounded. Failures that may heal by themselves (network, timeout, 5xx, 429) are
 * `certificate_fetch_failed`.
 */
export async function downloadCertificate(
  url: URL,
  http: HttpClient,
  limits: DownloadLimits,
): Promise<{ ok: true; bytes: Buffer } | Refusal> {
  try {
    const response = await http.send({
      method: 'GET',
      url: url.href,
      timeoutMs: limits.timeoutMs,
      maxBodyBytes: limits.maxBytes,
      headers: { accept: 'application/pkix-cert, application/x-x509-ca-cert, application/x-pem-file, */*' },
    });
    const status = response.status;
    if (status >= 200 && status <= 299) return { ok: true, bytes: response.body };
    if (status >= 300 && status < 400) return refuse('certificate_redirected', `HTTP ${status}`);
    if (status >= 500 || status === 429 || status === 408)
      return refuse('certificate_fetch_failed', `HTTP ${status}`);
    return refuse('certificate_not_found', `HTTP ${status}`);
  } catch (error) {
    if (error instanceof TransportError && error.code === 'response_too_large') {
      return refuse('certificate_too_large', `more than ${limits.maxBytes} bytes`);
    }
    return refuse('certificate_fetch_failed', error instanceof TransportError ? error.message : 'unknown');
  }
}
