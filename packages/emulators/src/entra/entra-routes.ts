/**
 * The public endpoints of the emulated login.microsoftonline.com, mounted at the server root:
 * token (v1, v2), devicecode (v1, v2), OpenID configuration (v1, v2), signing keys and cloud instance
 * discovery. Every error leaves in Entra's AADSTS body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../shared/emulated-service.ts';
import type { Random } from '../shared/random.ts';
import { installTrafficHooks } from '../shared/traffic-hooks.ts';
import { instanceDiscovery, v1OpenIdConfiguration, v2OpenIdConfiguration } from './discovery-documents.ts';
import { EntraError, entraErrors, renderEntraError } from './entra-error.ts';
import type { EntraState } from './entra-state.ts';
import type { TokenGrants, TokenRequest } from './token-grants.ts';

export type EntraRouteDeps = {
  ctx: EmulatorContext;
  state: EntraState;
  grants: TokenGrants;
  /** Trace ids and fallback correlation ids. */
  random: Random;
};

type TenantParams = { Params: { tenant: string } };

const FORM = 'application/x-www-form-urlencoded';
const NO_STORE = { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' };

export function registerEntraRoutes(app: FastifyInstance, deps: EntraRouteDeps): void {
  const { ctx, state, grants, random } = deps;

  const sendError = (
    request: FastifyRequest,
    reply: FastifyReply,
    error: EntraError,
    headers: Record<string, string> = {},
  ) => {
    const traceId = random.uuid();
    const requested = request.headers['client-request-id'];
    const correlationId = typeof requested === 'string' && requested.length > 0 ? requested : random.uuid();
    const body = renderEntraError(error, { traceId, correlationId, now: ctx.now(), origin: ctx.origin() });
    return reply
      .code(error.status)
      .headers({
        ...NO_STORE,
        'x-ms-request-id': traceId,
        'content-type': 'application/json; charset=utf-8',
        ...headers,
      })
      .send(body);
  };

  const sendJson = (reply: FastifyReply, body: unknown) =>
    reply
      .headers({
        ...NO_STORE,
        'x-ms-request-id': random.uuid(),
        'content-type': 'application/json; charset=utf-8',
      })
      .send(body);

  installTrafficHooks(app, {
    service: 'entra',
    traffic: ctx.traffic,
    prefix: '',
    renderFault: (reply, fault) =>
      fault.kind === '429'
        ? sendError(reply.request, reply, entraErrors.throttled(), {
            'retry-after': String(fault.retryAfterSeconds),
          })
        : sendError(reply.request, reply, entraErrors.transient(fault.status)),
  });

  // Token requests are forms; anything else reads as an empty form, so the client hears which
  // parameter is missing (as from Entra) instead of a parser error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => {
    done(null, new URLSearchParams(String(body)));
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, done) => done(null, undefined));

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof EntraError) return sendError(request, reply, error);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return sendError(request, reply, status < 500 ? entraErrors.malformedRequest() : entraErrors.internal());
  });

  const tokenRequest = (version: 'v1' | 'v2', request: FastifyRequest<TenantParams>): TokenRequest => {
    const basic = basicCredentials(request.headers.authorization);
    return {
      version,
      tenant: request.params.tenant,
      params: request.body instanceof URLSearchParams ? request.body : new URLSearchParams(),
      ...(basic ? { basic } : {}),
    };
  };

  for (const [version, path] of [
    ['v1', '/:tenant/oauth2/token'],
    ['v2', '/:tenant/oauth2/v2.0/token'],
  ] as const) {
    app.post<TenantParams>(path, async (request, reply) => {
      const result = await grants.token(tokenRequest(version, request));
      return result instanceof EntraError ? sendError(request, reply, result) : sendJson(reply, result);
    });
  }

  for (const [version, path] of [
    ['v1', '/:tenant/oauth2/devicecode'],
    ['v2', '/:tenant/oauth2/v2.0/devicecode'],
  ] as const) {
    app.post<TenantParams>(path, async (request, reply) => {
      const result = grants.deviceCode(tokenRequest(version, request));
      return result instanceof EntraError ? sendError(request, reply, result) : sendJson(reply, result);
    });
  }

  const discoveryContext = (segment: string) => {
    const specific = state.isThisTenant(segment);
    if (!specific && !['common', 'organizations'].includes(segment.toLowerCase())) {
      return entraErrors.tenantNotFoundInDiscovery(segment);
    }
    return { origin: ctx.origin(), segment, tenantId: state.tenantId, specific };
  };

  app.get<TenantParams>('/:tenant/v2.0/.well-known/openid-configuration', async (request, reply) => {
    const context = discoveryContext(request.params.tenant);
    if (context instanceof EntraError) return sendError(request, reply, context);
    return sendJson(reply, v2OpenIdConfiguration(context));
  });

  app.get<TenantParams>('/:tenant/.well-known/openid-configuration', async (request, reply) => {
    const context = discoveryContext(request.params.tenant);
    if (context instanceof EntraError) return sendError(request, reply, context);
    return sendJson(reply, v1OpenIdConfiguration(context));
  });

  for (const path of ['/:tenant/discovery/v2.0/keys', '/:tenant/discovery/keys']) {
    app.get<TenantParams>(path, async (request, reply) => {
      const context = discoveryContext(request.params.tenant);
      if (context instanceof EntraError) return sendError(request, reply, context);
      return sendJson(reply, ctx.tokens.jwks());
    });
  }

  app.get<{ Querystring: { authorization_endpoint?: string } }>(
    '/common/discovery/instance',
    async (request, reply) => {
      const origin = ctx.origin();
      const asked = request.query.authorization_endpoint;
      let tenantSegment = 'common';
      if (asked !== undefined) {
        const url = URL.canParse(asked) ? new URL(asked) : undefined;
        // Entra only vouches for its own hosts; anything else is an unknown instance.
        if (!url || url.host !== new URL(origin).host)
          return sendError(request, reply, entraErrors.unknownInstance());
        tenantSegment = url.pathname.split('/').find((segment) => segment.length > 0) ?? 'common';
      }
      return sendJson(reply, instanceDiscovery(origin, tenantSegment));
    },
  );
}

/** client_secret_basic: both halves are form-encoded before base64 (RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    return undefined;
  }
}
