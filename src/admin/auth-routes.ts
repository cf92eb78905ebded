/**
 * Signing in and out: the sign-in page, the console token (form, and the link `demo` prints), Sign in
 * with Microsoft (start and callback) and sign-out. Every sign-in starts a fresh session with a new id
 * and a new CSRF secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import { currentSession, type Guard, protectChange, safeReturnPath } from './auth-guard.ts';
import type { ConsoleSettings } from './console-settings.ts';
import { html, toHtmlString } from './html.ts';
import type { CallbackQuery, MicrosoftSignIn } from './microsoft-sign-in.ts';
import type { ConsoleUser, SessionRegistry } from './session-registry.ts';
import { layout } from './templates/layout.ts';
import { signInPage } from './templates/sign-in-page.ts';

type SignInSession = { get(key: string): unknown; set(key: string, value: unknown): void; delete(): void };

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: {
    settings: ConsoleSettings;
    sessions: SessionRegistry;
    microsoft: MicrosoftSignIn | undefined;
    guard: Guard;
    logger: Logger;
  },
): void {
  const { settings, sessions, microsoft, guard } = deps;
  const signInCookie = (request: FastifyRequest) => (request as unknown as { signIn: SignInSession }).signIn;

  const signIn = (request: FastifyRequest, user: ConsoleUser) => {
    const previous = request.session.get('sid') as string | undefined;
    sessions.close(previous);
    // A new session id and a new CSRF secret: nothing from before sign-in carries over (fixation).
    request.session.regenerate();
    request.session.set('sid', sessions.open(user).id);
  };

  app.get<{ Querystring: { returnTo?: string; problem?: string } }>(
    '/auth/sign-in',
    async (request, reply) => {
      const returnTo = safeReturnPath(request.query.returnTo);
      if (currentSession(request, guard)) return reply.redirect(returnTo, 303);
      const page = layout(
        { title: 'Sign in', section: undefined, user: undefined, csrfToken: undefined },
        signInPage({
          microsoft: microsoft !== undefined,
          token: settings.token !== undefined,
          problem: request.query.problem,
          returnTo,
          csrfToken: reply.generateCsrf(),
        }),
      );
      return reply.type('text/html; charset=utf-8').send(toHtmlString(page));
    },
  );

  app.post<{ Body: { token?: string; returnTo?: string } }>(
    '/auth/token',
    { preHandler: protectChange(app, guard) },
    async (request, reply) => {
      const returnTo = safeReturnPath(request.body?.returnTo);
      if (!tokenMatches(settings.token, request.body?.token)) {
        return reply.redirect(`/auth/sign-in?${new URLSearchParams({ problem: 'token', returnTo })}`, 303);
      }
      signIn(request, { name: 'token', via: 'token' });
      return reply.redirect(returnTo, 303);
    },
  );

  // The link `demo` prints: opened from a terminal or typed (Sec-Fetch-Site: none), never from another site,
  // which would otherwise sign a browser in behind its user's back.
  app.get<{ Querystring: { token?: string } }>('/auth/token', async (request, reply) => {
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site' || !tokenMatches(settings.token, request.query.token)) {
      return reply.redirect('/auth/sign-in?problem=token', 303);
    }
    signIn(request, { name: 'token', via: 'token' });
    return reply.redirect('/', 303);
  });

  app.get<{ Querystring: { returnTo?: string } }>('/auth/microsoft', async (request, reply) => {
    if (!microsoft) return reply.redirect('/auth/sign-in', 303);
    const { url, pending } = await microsoft.start(safeReturnPath(request.query.returnTo));
    signInCookie(request).set('key', sessions.holdSignIn(pending));
    return reply.redirect(url, 302);
  });

  app.get<{ Querystring: CallbackQuery }>('/auth/callback', async (request, reply) => {
    const cookie = signInCookie(request);
    const pending = sessions.takeSignIn(cookie.get('key') as string | undefined);
    cookie.delete();
    if (!microsoft || !pending) return reply.redirect('/auth/sign-in?problem=failed', 303);
    const decision = await microsoft.finish(request.query, pending);
    if (!decision.ok) {
      deps.logger.warn(
        { reason: decision.reason, ...('detail' in decision ? { detail: decision.detail } : {}) },
        'console sign-in with Microsoft refused',
      );
      const problem = decision.reason === 'failed' ? 'failed' : 'not_allowed';
      return reply.redirect(`/auth/sign-in?problem=${problem}`, 303);
    }
    signIn(request, decision.user);
    return sameSiteHop(reply, pending.returnTo);
  });

  app.post('/auth/sign-out', { preHandler: protectChange(app, guard) }, async (request, reply) => {
    const session = currentSession(request, guard);
    sessions.close(session?.id);
    request.session.delete();
    if (session?.user.via === 'microsoft' && microsoft) return reply.redirect(microsoft.logoutUrl(), 303);
    return reply.redirect('/auth/sign-in?problem=signed_out', 303);
  });

  app.get('/auth/signed-out', async (_request, reply) =>
    reply.redirect('/auth/sign-in?problem=signed_out', 303),
  );
}

/**
 * The session cookie is SameSite=Strict, and a redirect chain that began at Entra is cross-site: the
 * landing request would come without it (spec A9). A page of our own that moves on is same-site.
 */
function sameSiteHop(reply: FastifyReply, returnTo: string) {
  const target = safeReturnPath(returnTo);
  const page = layout(
    { title: 'Signed in', section: undefined, user: undefined, csrfToken: undefined },
    html`<p role="status">You are signed in. <a href="${target}">Continue to the console</a>.</p>`,
  );
  const markup = toHtmlString(page).replace(
    '<meta charset="utf-8">',
    toHtmlString(html`<meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${target}">`),
  );
  return reply.type('text/html; charset=utf-8').send(markup);
}

/** Constant time, whatever the lengths: both sides are hashed first. */
function tokenMatches(expected: string | undefined, given: unknown): boolean {
  if (expected === undefined || typeof given !== 'string' || given.length === 0) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(given));
}
