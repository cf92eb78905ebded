/**
 * The browser leg of the OIDC code flow, in the style of `/devicelogin`: `GET /{tenant}/oauth2/v2.0/authorize`
 * shows a sign-in page (or Entra's error page, or sends the error to the app), `POST /{tenant}/login`
 * checks the username and password and sends the code to the redirect URI (query, fragment or an
 * auto-submitting form_post), and `GET /{tenant}/oauth2/v2.0/logout` ends the (stateless) sign-in.
 * The request waits server-side under a `flowToken`, as Entra keeps its own sign-in context.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Random } from '../shared/random.ts';
import {
  type AuthorizeFailure,
  type AuthorizeRequest,
  isAuthorizeFailure,
  readAuthorizeRequest,
} from './authorize-request.ts';
import { type EntraError, entraErrors, renderEntraError } from './entra-error.ts';
import type { EntraState } from './entra-state.ts';
import { clientInfo } from './token-claims.ts';

type TenantParams = { Params: { tenant: string } };
type PendingSignIn = { request: AuthorizeRequest; expiresAt: number };

/** How long the sign-in page may stay open before its context is forgotten (Entra: about 10 min). */
const FLOW_LIFETIME_MS = 10 * 60_000;
const HTML = 'text/html; charset=utf-8';

export function registerAuthorizePage(
  app: FastifyInstance,
  deps: { state: EntraState; random: Random; now: () => number; origin: () => string },
): void {
  const { state, random, now } = deps;
  const pending = new Map<string, PendingSignIn>();

  const description = (error: EntraError) =>
    renderEntraError(error, {
      traceId: random.uuid(),
      correlationId: random.uuid(),
      now: now(),
      origin: deps.origin(),
    }).error_description;

  const errorPage = (reply: FastifyReply, error: EntraError) =>
    reply
      .code(400)
      .type(HTML)
      .send(
        page(
          'Sign in',
          `<p role="alert">Sorry, but we’re having trouble signing you in.</p><p>AADSTS${error.code}: ${escapeHtml(error.message)}</p>`,
        ),
      );

  const sendFailure = (reply: FastifyReply, failure: AuthorizeFailure) =>
    failure.kind === 'page'
      ? errorPage(reply, failure.error)
      : respond(reply, failure.redirectUri, failure.responseMode, {
          error: failure.error.error,
          error_description: description(failure.error),
          ...(failure.state === undefined ? {} : { state: failure.state }),
        });

  app.get<TenantParams & { Querystring: Record<string, string> }>(
    '/:tenant/oauth2/v2.0/authorize',
    async (request, reply) => {
      const params = new URLSearchParams(request.query);
      const read = readAuthorizeRequest(state, request.params.tenant, params);
      if (isAuthorizeFailure(read)) return sendFailure(reply, read);
      for (const [token, flow] of pending) if (flow.expiresAt <= now()) pending.delete(token);
      const flowToken = random.uuid();
      pending.set(flowToken, { request: read, expiresAt: now() + FLOW_LIFETIME_MS });
      return reply
        .type(HTML)
        .header('cache-control', 'no-store')
        .send(page('Sign in', signInForm(request.params.tenant, flowToken, read, undefined)));
    },
  );

  app.post<TenantParams>('/:tenant/login', async (request, reply) => {
    const params = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    const flowToken = params.get('flowToken') ?? '';
    const flow = pending.get(flowToken);
    if (!flow || flow.expiresAt <= now()) {
      pending.delete(flowToken);
      return reply
        .code(400)
        .type(HTML)
        .send(
          page(
            'Sign in',
            '<p role="alert">Your sign-in timed out. Go back to the application and sign in again.</p>',
          ),
        );
    }
    const user = state.findUser(params.get('login') ?? '');
    if (!user || user.password !== params.get('passwd')) {
      const form = signInForm(
        request.params.tenant,
        flowToken,
        flow.request,
        'Your account or password is incorrect.',
      );
      return reply.code(400).type(HTML).send(page('Sign in', form));
    }
    pending.delete(flowToken);
    const { request: authorize } = flow;
    const roles = user.appRoleAssignments[authorize.app.clientId] ?? [];
    if (authorize.app.appRoleAssignmentRequired && roles.length === 0) {
      return sendFailure(reply, {
        kind: 'redirect',
        error: entraErrors.userNotAssigned(user.username, authorize.app.clientId),
        redirectUri: authorize.redirectUri,
        responseMode: authorize.responseMode,
        state: authorize.state,
      });
    }
    const code = state.authorizationCodes.issue(
      {
        clientId: authorize.app.clientId,
        redirectUri: authorize.redirectUri,
        challenge: authorize.challenge,
        nonce: authorize.nonce,
        target: authorize.target,
        username: user.username.toLowerCase(),
        amr: user.mfaRegistered ? ['pwd', 'mfa'] : ['pwd'],
        authTime: now(),
      },
      state.settings.authorizationCodeLifetimeSeconds,
    );
    return respond(reply, authorize.redirectUri, authorize.responseMode, {
      code,
      ...(authorize.clientInfo ? { client_info: clientInfo(user.oid, state.tenantId) } : {}),
      ...(authorize.state === undefined ? {} : { state: authorize.state }),
      session_state: random.uuid(),
    });
  });

  app.get<TenantParams & { Querystring: { post_logout_redirect_uri?: string } }>(
    '/:tenant/oauth2/v2.0/logout',
    async (request, reply) => {
      const target = request.query.post_logout_redirect_uri;
      // Only a URI registered on one of the tenant's apps is followed; anything else stays on Entra's page.
      const registered =
        target !== undefined && [...state.apps.values()].some((entry) => entry.redirectUris.includes(target));
      if (registered) return reply.redirect(target, 302);
      return reply
        .type(HTML)
        .send(
          page(
            'Sign out',
            '<p>You signed out of your account. It’s a good idea to close all browser windows.</p>',
          ),
        );
    },
  );
}

/** Sends the answer to the app the way the authorize request asked (A2). */
function respond(
  reply: FastifyReply,
  redirectUri: string,
  mode: AuthorizeRequest['responseMode'],
  fields: Record<string, string>,
) {
  const encoded = new URLSearchParams(fields).toString();
  if (mode === 'form_post') {
    const inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
      .join('');
    // Entra's own form_post page submits itself from an inline script; a button covers no-script browsers.
    return reply
      .type(HTML)
      .header('cache-control', 'no-store')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Working...</title></head><body><form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript></form><script>document.forms[0].submit()</script></body></html>`,
      );
  }
  const separator = mode === 'fragment' ? '#' : redirectUri.includes('?') ? '&' : '?';
  return reply.header('cache-control', 'no-store').redirect(`${redirectUri}${separator}${encoded}`, 302);
}

function signInForm(
  tenant: string,
  flowToken: string,
  request: AuthorizeRequest,
  problem: string | undefined,
): string {
  return `${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}<p>to continue to ${escapeHtml(request.app.displayName)}</p>
<form method="post" action="/${encodeURIComponent(tenant)}/login">
<input type="hidden" name="flowToken" value="${escapeHtml(flowToken)}">
<label>Email, phone, or Skype <input name="login" type="email" autocomplete="username" value="${escapeHtml(request.loginHint ?? '')}" required></label>
<label>Password <input name="passwd" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} (Entra emulator)</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
