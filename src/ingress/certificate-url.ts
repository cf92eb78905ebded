import { isIP } from 'node:net';
import { type Refusal, refuse } from './rejection-reasons.ts';

export type CertificateUrlPolicy = {
  /**
   * Host names: exact, or `*.suffix` for any name below `suffix` (not `suffix` itself). An entry
   * allows the scheme's default port only, unless it names another (`localhost:8443`).
   */
  allowedHosts: readonly string[];
  /** Only for AIA issuer URLs, whose downloads are verified by signature before use. */
  allowHttp?: boolean;
  /** The paths a URL may have; any path when absent. */
  path?: RegExp;
};

/**
 * Where Partner Center publishes its signing certificate (spec partner-center.md §4.3, §5.5):
 * `https://3psostorageacct.blob.core.windows.net/cert/<file>.cer`. The file name has changed over the
 * years (`pcnotifications.microsoft.com.cer`, `pcnotifications-dispatch.microsoft.com.cer`), the
 * `/cert/…​.cer` shape has not, so the name is free and the shape is fixed. No percent-escapes: one
 * certificate has one spelling.
 */
export const PARTNER_CENTER_CERTIFICATE_PATH = /^\/cert\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.cer$/;

/**
 * Decides whether we may download a certificate from `raw` before any connection is made, and gives
 * the one spelling of that URL the cache keys on. Anything that would let one certificate go by many
 * URLs (a query, a fragment, another port, another path) is refused, so a caller cannot make us
 * download, or cache, at will. IP literals never match a host name, so they are refused outright.
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
  // An empty `?` or `#` leaves `search`/`hash` empty but still makes another spelling of the URL.
  if (url.href.includes('#')) return refuse('certificate_url_query', 'fragment');
  if (url.href.includes('?')) return refuse('certificate_url_query', 'query');
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host) !== 0) return refuse('certificate_url_ip_literal', host);
  const entries = policy.allowedHosts.map(parseHostEntry).filter((entry) => nameMatches(host, entry.name));
  if (entries.length === 0) return refuse('certificate_host_not_allowed', host);
  // URL parsing empties `port` when it is the scheme's default; an entry without a port means that one.
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const port = url.port || defaultPort;
  if (!entries.some((entry) => (entry.port || defaultPort) === port)) {
    return refuse('certificate_url_port', `${host}:${url.port}`);
  }
  if (policy.path && !policy.path.test(url.pathname)) return refuse('certificate_url_path', url.pathname);
  const explicitPort = url.port === '' ? '' : `:${url.port}`;
  return { ok: true, url: new URL(`${url.protocol}//${host}${explicitPort}${url.pathname}`) };
}

function parseHostEntry(entry: string): { name: string; port: string } {
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(entry.trim().toLowerCase());
  return { name: (match?.[1] ?? '').replace(/\.$/, ''), port: match?.[2] ?? '' };
}

function nameMatches(host: string, allowed: string): boolean {
  if (allowed.startsWith('*.')) return host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1;
  return host === allowed;
}
