/**
 * A plain stand-in for microsoft.com/devicelogin, so a person running the demo can approve a device
 * code in a browser: enter the code, a username and its password. Tests approve through the control
 * API or the state instead.
 */
import type { FastifyInstance } from 'fastify';
import type { EntraState } from './entra-state.ts';

const REASONS: Record<string, string> = {
  unknown_code: 'That code was not recognised. Check the code and try again.',
  expired: 'That code has expired. Start the sign-in again on your device.',
  already_approved: 'That code has already been used.',
  unknown_user: 'We could not sign you in with that username and password.',
};

export function registerDeviceLoginPage(app: FastifyInstance, state: EntraState): void {
  app.get('/devicelogin', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page(form())),
  );

  app.post('/devicelogin', async (request, reply) => {
    const params = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    const code = params.get('otc') ?? '';
    const user = state.findUser(params.get('username') ?? '');
    const outcome =
      user && user.password === params.get('password')
        ? state.approveDeviceCode(code, user.username)
        : ({ ok: false, reason: 'unknown_user' } as const);
    if (!outcome.ok) {
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(
          page(`<p role="alert">${escapeHtml(REASONS[outcome.reason] ?? 'Sign-in failed.')}</p>${form()}`),
        );
    }
    const appName = state.findApp(outcome.record.clientId)?.displayName ?? outcome.record.clientId;
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          `<p>You have signed in to the ${escapeHtml(appName)} application on your device. You may now close this window.</p>`,
        ),
      );
  });
}

function form(): string {
  return `<form method="post" action="/devicelogin">
<label>Code <input name="otc" autocomplete="off" required></label>
<label>Username <input name="username" type="email" required></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in</button>
</form>`;
}

function page(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Enter code (Entra emulator)</title></head><body><h1>Enter code</h1>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
