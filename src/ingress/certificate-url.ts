import { isIP } from 'node:net';
import { type Refusal, refuse } from './rejection-reasons.ts';

export type CertificateUrlPolicy = {
  /** Exact host names, or `*.suffix` for any name below `suffix` (not `suffix` itself). */
  allowedHosts: readonly string[];
  /** Only for AIA issuer URLs, whose downloads are verified by signature before use. */
  allowHttp?: boolean;
};

/**
 * Decides whether we may download a certificate from `raw` before any connection is made. The host is
 * matched by name only (any port): an allow-listed name is the trust decision, and IP literals never
 * match one, so they are refused outright.
 */
export function checkCertificateUrl(
  raw: string,
  policy: CertificateUrlPolicy,
): { ok: true; url: URL } | Refusal {
  const url = URL.parse(raw);
  if (!url) return refuse('certificate_url_invalid');
  const schemeAllowed = url.protocol === 'https:' || (url.protocol === 'http:' && policy.allowHttp === true);
  if (!schemeAllowed) return refuse('certificate_url_not_https', url.protocol);
  if (url.username !== '' || url.password !== '') return refuse('certificate_url_userinfo');
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host) !== 0) return refuse('certificate_url_ip_literal', host);
  if (!hostAllowed(host, policy.allowedHosts)) return refuse('certificate_host_not_allowed', host);
  return { ok: true, url };
}

export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  return allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    if (allowed.startsWith('*.')) return host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1;
    return host === allowed;
  });
}
