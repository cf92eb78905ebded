/** The sign-in page: Sign in with Microsoft and/or the console token, whichever is configured. */
import { type Html, html } from '../html.ts';

const PROBLEMS: Record<string, string> = {
  token: 'That token is not right.',
  expired: 'Your session ended. Sign in again.',
  not_allowed: 'Your account is not allowed into this console. Ask an administrator to add you.',
  failed: 'Signing in with Microsoft did not complete. Try again.',
  signed_out: 'You are signed out.',
};

export function signInPage(options: {
  microsoft: boolean;
  token: boolean;
  problem: string | undefined;
  returnTo: string;
  csrfToken: string;
}): Html {
  const message = options.problem ? PROBLEMS[options.problem] : undefined;
  return html`<div class="sign-in">
${message ? html`<p class="${options.problem === 'signed_out' ? 'notice' : 'alert'}" role="alert">${message}</p>` : ''}
${
  options.microsoft
    ? html`<p><a class="button" href="/auth/microsoft?returnTo=${encodeURIComponent(options.returnTo)}">Sign in with Microsoft</a></p>`
    : ''
}
${
  options.token
    ? html`<form method="post" action="/auth/token">
<input type="hidden" name="_csrf" value="${options.csrfToken}">
<input type="hidden" name="returnTo" value="${options.returnTo}">
<label>Console token <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">Sign in with the token</button>
</form>`
    : ''
}
${
  !options.microsoft && !options.token
    ? html`<p role="alert">No sign-in is configured. Set <code>admin.token</code> (development) or <code>admin.clientId</code>, <code>admin.clientSecret</code> and <code>admin.allowedUsers</code> or <code>admin.allowedRole</code> (Sign in with Microsoft).</p>`
    : ''
}
</div>`;
}
