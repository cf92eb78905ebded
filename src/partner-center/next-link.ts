/**
 * Decides whether an `@odata.nextLink` may be followed with our bearer token (pure). The link comes
 * from a response body: followed blindly, it would hand the Partner Center user's token to whatever
 * host it names. So it must stay on the configured API's origin and below its path.
 *
 * Spec partner-center.md §3.2: a 2020 doc example shows a plain `http` nextLink on the API host. Such
 * a link is upgraded to https rather than refused (the token never travels over plain http); its
 * path must still be under the configured base path.
 */
export type NextLinkDecision = { ok: true; url: string } | { ok: false; reason: string };

export function checkNextLink(link: string, baseUrl: string): NextLinkDecision {
  const base = new URL(baseUrl);
  const url = URL.parse(link, base.href);
  if (!url) return { ok: false, reason: 'is not a URL' };
  if (url.protocol === 'http:' && base.protocol === 'https:' && url.port === '') {
    url.protocol = 'https:';
  }
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'carries credentials' };
  if (url.origin !== base.origin) return { ok: false, reason: `points at ${url.origin}` };
  const basePath = base.pathname.replace(/\/+$/, '');
  // URL parsing has already resolved dot segments (`..`, `%2e%2e`), so a prefix test is sound here.
  if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
    return { ok: false, reason: `leaves ${basePath} for ${url.pathname}` };
  }
  return { ok: true, url: url.href };
}
