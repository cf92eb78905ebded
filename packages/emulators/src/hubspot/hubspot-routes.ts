/**
 * The emulated HubSpot API as one fastify plugin: every request gets a correlation id, its bearer token
 * is checked (401), its rate-limit budget is spent (429, or the `X-HubSpot-RateLimit-*` headers), the
 * traffic knobs may delay or fail it, and its route's scopes are checked (403) before the handler runs.
 * Every error, the framework's own included, leaves in HubSpot's error format.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../shared/emulated-service.ts';
import type { Random } from '../shared/random.ts';
import { installTrafficHooks } from '../shared/traffic-hooks.ts';
import type { TokenGrant, TokenRegistry } from './access-tokens.ts';
import { registerAssociationRoutes } from './association-routes.ts';
import { registerBatchRoutes } from './batch-routes.ts';
import {
  HubSpotError,
  internalError,
  invalidInput,
  objectNotFound,
  rateLimited,
  validationError,
} from './hubspot-error.ts';
import { registerObjectRoutes } from './object-routes.ts';
import { registerPipelineRoutes } from './pipeline-routes.ts';
import { registerPropertyRoutes } from './property-routes.ts';
import type { RateLimits } from './rate-limits.ts';
import type { RouteContext } from './route-context.ts';
import { checkScopes, type ScopeRule } from './scopes.ts';
import { registerSearchRoutes } from './search-routes.ts';

export type HubSpotRouteOptions = {
  ctx: EmulatorContext;
  servicePath: string;
  /** Draws correlation ids. */
  random: Random;
  tokens: TokenRegistry;
  rateLimits: RateLimits;
  api: RouteContext;
};

const BODY_LIMIT = 8 * 1024 * 1024;

export function createHubSpotRoutes(options: HubSpotRouteOptions): FastifyPluginAsync {
  const { api } = options;
  return async (app) => {
    const correlationIds = new WeakMap<FastifyRequest, string>();
    const grants = new WeakMap<FastifyRequest, TokenGrant>();
    const correlationOf = (request: FastifyRequest) => correlationIds.get(request) ?? options.random.uuid();
    const isSearch = (request: FastifyRequest) =>
      request.method === 'POST' && (request.routeOptions.url ?? '').endsWith('/search');

    const sendError = (reply: FastifyReply, error: HubSpotError): FastifyReply => {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply
        .code(error.status)
        .type('application/json;charset=utf-8')
        .send(JSON.stringify(error.body(correlationOf(reply.request))));
    };

    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        done(invalidInput((error as Error).message));
      }
    });

    app.addHook('onRequest', async (request, reply) => {
      const correlationId = options.random.uuid();
      correlationIds.set(request, correlationId);
      reply.header('X-HubSpot-Correlation-Id', correlationId);
      const check = options.tokens.check(request.headers.authorization);
      if (!check.ok) throw check.error;
      grants.set(request, check.grant);
      const admission = options.rateLimits.admit(check.grant, isSearch(request) ? 'search' : 'standard');
      if (!admission.ok) throw admission.error;
      for (const [name, value] of Object.entries(admission.headers)) reply.header(name, value);
    });

    installTrafficHooks(app, {
      service: 'hubspot',
      traffic: options.ctx.traffic,
      prefix: options.servicePath,
      renderFault: (reply, fault) => {
        if (fault.kind === '5xx') return sendError(reply, internalError(fault.status));
        // HubSpot's 429s name their policy; search has its own. No Retry-After (its presence is unconfirmed).
        if (isSearch(reply.request)) return sendError(reply, rateLimited('SECONDLY', undefined));
        const appId = grants.get(reply.request)?.appId ?? 0;
        return sendError(
          reply,
          rateLimited(
            'TEN_SECONDLY_ROLLING',
            `publicapi:private_app-api-calls-ten-secondly:${appId}:${api.portalId}`,
          ),
        );
      },
    });

    app.addHook('preHandler', async (request) => {
      const rule = (request.routeOptions.config as { scopes?: ScopeRule }).scopes;
      const grant = grants.get(request);
      if (!rule || !grant) return;
      const refused = checkScopes(grant, rule(request.params as Record<string, string>));
      if (refused) throw refused;
    });

    app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
      if (error instanceof HubSpotError) return sendError(reply, error);
      const status = error.statusCode ?? 500;
      if (status === 413) return sendError(reply, new HubSpotError(413, 'Request entity too large'));
      if (status >= 400 && status < 500)
        return sendError(reply, validationError(error.message ?? 'Bad request'));
      return sendError(reply, internalError(500));
    });

    app.setNotFoundHandler((request, reply) =>
      sendError(reply, objectNotFound(`No route for ${request.method} ${request.url.split('?')[0]}`)),
    );

    registerObjectRoutes(app, api);
    registerBatchRoutes(app, api);
    registerSearchRoutes(app, api);
    registerAssociationRoutes(app, api);
    registerPropertyRoutes(app, api);
    registerPipelineRoutes(app, api);
  };
}
