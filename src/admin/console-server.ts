/**
 * The operator console: its own fastify server on its own listener (`admin.host`/`admin.port`, never the
 * webhook port), with encrypted cookie sessions, CSRF protection and the pages. `createConsoleServer`
 * builds it; `start` binds it and returns the URL people open.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { PublicClientApplication } from '@azure/msal-node';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySecureSession from '@fastify/secure-session';
import fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Config } from '../config/config-schema.ts';
import type { CrmAdapter } from '../crm/crm-adapter.ts';
import type { HttpClient } from '../net/http-client.ts';
import type { Logger } from '../observability/logger.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { WebhooksClient } from '../partner-center/webhooks-client.ts';
import type { JobQueue, Store } from '../store/ports.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { consoleSettings } from './console-settings.ts';
import { html, toHtmlString } from './html.ts';
import { createMicrosoftSignIn } from './microsoft-sign-in.ts';
import { createOverviewData } from './overview-data.ts';
import { registerPageRoutes } from './page-routes.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { createSessionRegistry } from './session-registry.ts';
import { registerStaticAssets } from './static-assets.ts';
import { layout } from './templates/layout.ts';

export type ConsoleDependencies = {
  config: Config;
  store: Store;
  queue: JobQueue;
  referrals: Pick<ReferralsClient, 'urlOf'>;
  webhooks: WebhooksClient;
  crm: CrmAdapter;
  partnerCenterApp: PublicClientApplication;
  /** The HTTP client Entra token requests go through (trusts `tls.extraCaFile`). */
  entraHttp: HttpClient;
  logger: Logger;
  /** The URL Partner Center should call, when known, to compare with the registration. */
  webhookUrl?: () => string | undefined;
  now?: () => number;
};

export type ConsoleServer = {
  app: FastifyInstance;
  /** Binds the listener; returns the URL people open (`admin.publicUrl`, else the bound address). */
  start(): Promise<string>;
  /** The console URL; valid after `start`. */
  url(): string;
  /** A link that signs a browser in with `admin.token` (development and the demo), when a token is set. */
  tokenSignInLink(): string | undefined;
  close(): Promise<void>;
};

export async function createConsoleServer(deps: ConsoleDependencies): Promise<ConsoleServer> {
  const settings = consoleSettings(deps.config);
  const now = deps.now ?? Date.now;
  const sessions = createSessionRegistry({ idleMs: settings.idleMs, maxMs: settings.maxMs, now });
  let baseUrl = settings.publicUrl ?? '';
  const microsoft = settings.microsoft
    ? createMicrosoftSignIn(settings.microsoft, deps.entraHttp, () => baseUrl)
    : undefined;

  const app = fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  }) as unknown as FastifyInstance;
  // Cookies are sealed with a key that lives as long as the process, like the sessions they name.
  const key = randomBytes(32);
  await app.register(fastifySecureSession, [
    {
      sessionName: 'session',
      cookieName: settings.secureCookies ? '__Host-console-session' : 'console-session',
      key,
      expiry: Math.ceil(settings.maxMs / 1000),
      cookie: { path: '/', httpOnly: true, sameSite: 'strict', secure: settings.secureCookies },
    },
    {
      // The pre-auth cookie must come back on Entra's redirect, a cross-site navigation: Lax (spec A9).
      sessionName: 'signIn',
      cookieName: 'console-sign-in',
      key,
      expiry: 600,
      cookie: { path: '/auth', httpOnly: true, sameSite: 'lax', secure: settings.secureCookies, maxAge: 600 },
    },
  ]);
  await app.register(fastifyCsrfProtection, { sessionPlugin: '@fastify/secure-session' });
  await app.register(fastifyFormbody);
  registerSecurityHeaders(app, settings.microsoft ? [new URL(settings.microsoft.authorityHost).origin] : []);
  registerStaticAssets(app);

  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'console request failed');
    const csrf = typeof error.code === 'string' && error.code.startsWith('FST_CSRF');
    const message = csrf
      ? 'This form was not sent from a page of this console, or it expired. Go back, reload the page and try again.'
      : status >= 500
        ? 'Something went wrong on the connector’s side; the log says what.'
        : 'The request could not be handled.';
    const page = layout(
      {
        title: csrf ? 'Request refused' : 'Error',
        section: undefined,
        user: undefined,
        csrfToken: undefined,
      },
      html`<p role="alert">${message}</p><p><a href="/">Back to the overview</a></p>`,
    );
    return reply.code(status).type('text/html; charset=utf-8').send(toHtmlString(page));
  });

  const guard = {
    sessions,
    now,
    publicOrigin: settings.publicUrl ? new URL(settings.publicUrl).origin : undefined,
  };
  registerAuthRoutes(app, { settings, sessions, microsoft, guard, logger: deps.logger });
  registerPageRoutes(app, {
    guard,
    store: deps.store,
    queue: deps.queue,
    referrals: deps.referrals,
    webhooks: deps.webhooks,
    crmConfig: deps.config.crm,
    overview: createOverviewData({
      store: deps.store,
      queue: deps.queue,
      webhooks: deps.webhooks,
      crm: deps.crm,
      partnerCenterApp: deps.partnerCenterApp,
      referralsAudience: deps.config.partnerCenter.referralsAudience,
      webhookUrl: deps.webhookUrl?.(),
      now,
    }),
    now,
  });

  return {
    app,
    async start() {
      await app.listen({ host: settings.host, port: settings.port });
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      baseUrl = settings.publicUrl ?? `http://${host}:${address.port}`;
      return baseUrl;
    },
    url: () => baseUrl,
    tokenSignInLink: () =>
      settings.token ? `${baseUrl}/auth/token?token=${encodeURIComponent(settings.token)}` : undefined,
    close: () => app.close(),
  };
}
