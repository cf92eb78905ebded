/**
 * The Entra ID emulator: the token service the connector signs in with, mounted at the server root so
 * that `${origin}/{tenant}/oauth2/v2.0/token` looks like login.microsoftonline.com to MSAL.
 */
import type { EmulatedService, EmulatorContext } from '../shared/emulated-service.ts';
import { registerAuthorizePage } from './authorize-page.ts';
import { registerEntraControlRoutes } from './control-routes.ts';
import { registerDeviceLoginPage } from './device-login-page.ts';
import { registerEntraRoutes } from './entra-routes.ts';
import { createEntraState, type EntraOptions, type EntraState } from './entra-state.ts';
import { createTokenGrants } from './token-grants.ts';
import { createTokenIssuer } from './token-issuer.ts';

export function createEntraEmulator(
  ctx: EmulatorContext,
  options: EntraOptions = {},
): EmulatedService<EntraState> {
  const random = ctx.random.fork('entra');
  const state = createEntraState(options, { now: ctx.now, random: random.fork('state') });
  const issuer = createTokenIssuer({
    state,
    tokens: ctx.tokens,
    now: ctx.now,
    origin: ctx.origin,
    random: random.fork('issuer'),
  });
  const grants = createTokenGrants({ state, issuer, now: ctx.now, origin: ctx.origin });
  const traces = random.fork('traces');

  return {
    name: 'entra',
    prefix: '',
    state,
    routes: async (app) => {
      registerEntraRoutes(app, { ctx, state, grants, random: traces });
      registerDeviceLoginPage(app, state);
      registerAuthorizePage(app, {
        state,
        random: random.fork('authorize'),
        now: ctx.now,
        origin: ctx.origin,
      });
    },
    control: async (app) => registerEntraControlRoutes(app, state),
  };
}
