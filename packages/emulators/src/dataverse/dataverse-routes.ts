/**
 * The HTTP face of the emulated organization: bearer-token checks (audience = organization URL, the
 * app must be an application user), service protection limits, traffic counting and fault injection,
 * then every resource through the transport-free Web API handler (and `$batch` through the batch
 * executor). Errors, 404s and injected faults all render as Dataverse error JSON.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../shared/emulated-service.ts';
import type { Random } from '../shared/random.ts';
import { installTrafficHooks } from '../shared/traffic-hooks.ts';
import type { ApiResponse, Caller } from './api-message.ts';
import { errorResponse } from './api-message.ts';
import { type BatchOptions, executeBatch } from './batch.ts';
import { DATAVERSE_CODES, DataverseError, queryError } from './dataverse-error.ts';
import { parseResourcePath } from './odata-resource-path.ts';
import { type ServiceProtection, type ThrottleKind, throttleError } from './service-protection.ts';
import type { WebApi } from './web-api.ts';

export type DataverseRouteOptions = {
  ctx: EmulatorContext;
  servicePath: string;
  organizationUrl: () => string;
  loginOrigin: () => string;
  tenantId: string;
  /** Application users: client id → systemuserid. */
  applicationUsers: ReadonlyMap<string, string>;
  api: WebApi;
  batch: Omit<BatchOptions, 'api'>;
  protection: ServiceProtection;
  random: Random;
};

const BODY_LIMIT = 64 * 1024 * 1024;
const THROTTLE_KINDS: readonly ThrottleKind[] = ['requests', 'executionTime', 'concurrency'];

export function createDataverseRoutes(options: DataverseRouteOptions): FastifyPluginAsync {
  const { ctx, servicePath } = options;

  return async (app) => {
    const callers = new WeakMap<FastifyRequest, Caller>();
    const releases = new WeakMap<FastifyRequest, (ms: number) => void>();

    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );

    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('OData-Version', '4.0');
      if (!reply.hasHeader('REQ_ID')) reply.header('REQ_ID', options.random.uuid());
      return payload;
    });

    // Before the traffic hooks, so injected latency counts as execution time and concurrency of admitted calls.
    app.addHook('onRequest', async (request, reply) => {
      const failure = await authenticate(request, options);
      if ('status' in failure) return send(reply, failure);
      const admission = options.protection.admit(failure.caller.systemUserId);
      if (!admission.ok) return send(reply, errorResponse(admission.error));
      callers.set(request, failure.caller);
      releases.set(request, admission.release);
    });

    installTrafficHooks(app, {
      service: 'dataverse',
      traffic: ctx.traffic,
      prefix: servicePath,
      endpointOf: (request) => `${request.method} ${endpointOf(request.url, servicePath)}`,
      renderFault: (reply, fault) => {
        if (fault.kind === '429') {
          const kind = options.random.pick(THROTTLE_KINDS);
          return send(
            reply,
            errorResponse(throttleError(kind, options.protection.limits(), fault.retryAfterSeconds)),
          );
        }
        const message =
          fault.status === 503
            ? 'The service is temporarily unavailable. Retry the request later.'
            : 'An unexpected error occurred.';
        return send(
          reply,
          errorResponse(new DataverseError(fault.status, DATAVERSE_CODES.unexpected, message)),
        );
      },
    });

    const release = (request: FastifyRequest, reply: FastifyReply) => {
      releases.get(request)?.(reply.elapsedTime);
      releases.delete(request);
    };
    app.addHook('onResponse', async (request, reply) => release(request, reply));
    app.addHook('onRequestAbort', async (request) => {
      releases.get(request)?.(0);
      releases.delete(request);
    });

    app.setNotFoundHandler((request, reply) => {
      const segment = endpointOf(request.url, servicePath).replace(/^\//, '');
      send(reply, errorResponse(queryError(`Resource not found for the segment '${segment}'.`, 404)));
    });

    app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
      const status = error.statusCode ?? 500;
      if (status === 413) return send(reply, errorResponse(queryError('The request is too large.', 413)));
      if (status >= 400 && status < 500)
        return send(reply, errorResponse(queryError(error.message ?? 'Bad request', status)));
      return send(
        reply,
        errorResponse(new DataverseError(500, DATAVERSE_CODES.unexpected, 'An unexpected error occurred.')),
      );
    });

    app.route({
      method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      url: '/*',
      handler: async (request, reply) => {
        const caller = callers.get(request);
        if (!caller) throw new Error('request reached the handler without an authenticated caller');
        const { path, query } = splitUrl(request.url, servicePath);
        const apiRequest = {
          method: request.method,
          path,
          query,
          headers: request.headers as Record<string, string | undefined>,
          body: typeof request.body === 'string' ? request.body : '',
          caller,
        };
        if (path === '$batch') {
          if (request.method !== 'POST')
            return send(
              reply,
              errorResponse(
                queryError(`The requested resource does not support http method '${request.method}'.`, 405),
              ),
            );
          return send(reply, executeBatch(apiRequest, { ...options.batch, api: options.api }));
        }
        return send(reply, options.api.handle(apiRequest));
      },
    });
  };
}

async function authenticate(
  request: FastifyRequest,
  options: DataverseRouteOptions,
): Promise<{ caller: Caller } | ApiResponse> {
  const organizationUrl = options.organizationUrl();
  const challenge: ApiResponse = {
    status: 401,
    headers: {
      'WWW-Authenticate': `Bearer authorization_uri=${options.loginOrigin()}/${options.tenantId}/oauth2/authorize, resource_id=${organizationUrl}`,
    },
  };
  const check = await options.ctx.tokens.check(request.headers.authorization, [
    organizationUrl,
    `${organizationUrl}/`,
  ]);
  if (!check.ok || check.claims.tid !== options.tenantId) return challenge;
  // v1 tokens name the client in `appid`, v2 tokens in `azp`.
  const clientId = check.claims.appid ?? (check.claims as { azp?: string }).azp ?? '';
  const systemUserId = options.applicationUsers.get(clientId);
  if (!systemUserId) {
    return errorResponse(
      new DataverseError(
        403,
        DATAVERSE_CODES.userNotInOrganization,
        'The user is not a member of the organization.',
      ),
    );
  }
  return { caller: { clientId, systemUserId } };
}

function send(reply: FastifyReply, response: ApiResponse): FastifyReply {
  reply.code(response.status);
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  // A Buffer keeps fastify from rewriting the Content-Type (it would quote parameters and add a charset).
  return response.body === undefined ? reply.send() : reply.send(Buffer.from(response.body, 'utf8'));
}

function splitUrl(url: string, servicePath: string): { path: string; query: string } {
  const question = url.indexOf('?');
  const fullPath = question === -1 ? url : url.slice(0, question);
  const query = question === -1 ? '' : url.slice(question + 1);
  const path = fullPath.startsWith(servicePath) ? fullPath.slice(servicePath.length) : fullPath;
  return { path: path.replace(/^\/+/, ''), query };
}

/** Stable endpoint names for the counters: key values and queries are not part of the name. */
function endpointOf(url: string, servicePath: string): string {
  const { path } = splitUrl(url, servicePath);
  try {
    const resource = parseResourcePath(path);
    const key = resource.key ? '({key})' : resource.call ? '()' : '';
    const rest = resource.rest.map((segment) => `/${segment}`).join('');
    return `/${resource.segment}${key}${rest}`;
  } catch {
    return '(unparsable)';
  }
}
