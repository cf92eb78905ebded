/**
 * Headers on every console answer: a strict Content-Security-Policy (scripts and styles only from the
 * console itself, no inline code, no framing), no referrer to other sites, no caching of pages, no MIME sniffing.
 * Forms may also post to the Entra authority, where sign-out continues.
 */
import type { FastifyInstance } from 'fastify';

export function contentSecurityPolicy(formTargets: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    `form-action ${["'self'", ...formTargets].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function registerSecurityHeaders(app: FastifyInstance, formTargets: readonly string[]): void {
  const csp = contentSecurityPolicy(formTargets);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('content-security-policy', csp);
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form posts, which the origin check refuses.
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/**
 * A state-changing request must come from the console's own pages: refused when the browser says it is
 * cross-site (`Sec-Fetch-Site`) or names another origin (`Origin`), before the CSRF token is checked.
 */
export function isForeignRequest(
  headers: Record<string, string | string[] | undefined>,
  origin: string,
): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return true;
  const sent = headers.origin;
  return typeof sent === 'string' && sent !== origin;
}
