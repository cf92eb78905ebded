/**
 * Who is asking, for every console route: the session named by the encrypted cookie, looked up in the
 * registry (idle and absolute expiry apply there). Pages need a signed-in user; state-changing requests
 * also need to come from the console's own origin and carry the CSRF token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isForeignRequest } from './security-headers.ts';
import type { ConsoleSession, SessionRegistry } from './session-registry.ts';

export type Guard = {
  sessions: SessionRegistry;
  now: () => number;
  /** Origin of `admin.publicUrl`; unset, people use the bound address and the Host header names it. */
  publicOrigin: string | undefined;
};

export function currentSession(request: FastifyRequest, guard: Guard): ConsoleSession | undefined {
  const id = request.session.get('sid') as string | undefined;
  return guard.sessions.touch(id);
}

export function expectedOrigin(request: FastifyRequest, guard: Guard): string {
  return guard.publicOrigin ?? `${request.protocol}://${request.headers.host ?? ''}`;
}

/** A path on this console to come back to after sign-in: never another site. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.includes('\\')
    ? value
    : '/';
}

/** Page routes: signed in, or sent to the sign-in page (which brings them back). */
export function requireSession(guard: Guard) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = currentSession(request, guard);
    if (session) {
      request.consoleSession = session;
      return;
    }
    const hadOne = request.session.get('sid') !== undefined;
    if (hadOne) request.session.set('sid', undefined);
    const returnTo = request.method === 'GET' ? safeReturnPath(request.url) : '/';
    const params = new URLSearchParams({ returnTo, ...(hadOne ? { problem: 'expired' } : {}) });
    return reply.redirect(`/auth/sign-in?${params.toString()}`, 303);
  };
}

/**
 * State-changing routes: from this console's own pages (origin), then with the CSRF token
 * (`app.csrfProtection`); both refusals are 403s rendered by the console's error handler.
 */
export function protectChange(app: FastifyInstance, guard: Guard) {
  const refuseForeign = async (request: FastifyRequest) => {
    if (isForeignRequest(request.headers, expectedOrigin(request, guard))) {
      throw Object.assign(new Error('cross-site request refused'), {
        statusCode: 403,
        code: 'FST_CSRF_FOREIGN_ORIGIN',
      });
    }
  };
  return [refuseForeign, app.csrfProtection];
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ConsoleSession;
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The console session's id in the registry; nothing else about the user is in the cookie. */
    sid: string;
    _csrf: string;
  }
}
