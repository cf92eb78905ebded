/**
 * The HTTP face of the emulated org, on two "hosts" mounted as path prefixes: the org's My Domain
 * (`/salesforce`: token endpoint, REST API, identity URL) and the shared login host
 * (`/salesforce-login`: token endpoint only). Every REST call passes, in order: session check (401
 * INVALID_SESSION_ID), the daily allocation (403 REQUEST_LIMIT_EXCEEDED, else counted), the traffic
 * hooks (latency and injected faults, in Salesforce's formats), then the transport-free handlers.
 * REST answers carry `Sforce-Limit-Info`; every error is the documented JSON array.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../shared/emulated-service.ts';
import type { InjectedFault, OwnFault } from '../shared/traffic.ts';
import { installTrafficHooks } from '../shared/traffic-hooks.ts';
import type { ApiLimits } from './api-limits.ts';
import { servedApiVersion } from './api-versions.ts';
import { OAuthError, requestToken, type TokenContext } from './oauth-token.ts';
import { handleRest, type RestApiContext, type RestResponse, versionsList } from './rest-api.ts';
import { SalesforceError, salesforceErrors } from './salesforce-error.ts';
import { normalizeId } from './salesforce-ids.ts';
import type { Session, Sessions } from './sessions.ts';

export const MY_DOMAIN_PREFIX = '/salesforce';
export const LOGIN_PREFIX = '/salesforce-login';

export type SalesforceRouteOptions = {
  ctx: EmulatorContext;
  sessions: Sessions;
  limits: ApiLimits;
  rest: RestApiContext;
  /** Everything the token endpoint needs but the host and the clock. */
  token: () => Omit<TokenContext, 'host' | 'now'>;
  /** The identity URL's answer for a user of the org, or undefined. */
  identity: (orgId: string, userId: string) => Record<string, unknown> | undefined;
  /** Ids of the records a write addresses by external id, for the lock fault's message. */
  lockedRecord: (segments: string[]) => string | undefined;
  errorId: () => string;
};

type Kind = 'token' | 'versions' | 'api' | 'identity' | 'unknown';
type Classified = {
  kind: Kind;
  host: 'myDomain' | 'login';
  /** Path after the host prefix, still encoded, without the query. */
  path: string;
  query: string;
  /** For `api`: the version segment and the decoded segments after it. */
  versionSegment?: string;
  segments?: string[];
};

const JSON_TYPE = 'application/json;charset=UTF-8';
const BODY_LIMIT = 8 * 1024 * 1024;
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export function classify(url: string): Classified {
  const question = url.indexOf('?');
  const fullPath = question === -1 ? url : url.slice(0, question);
  const query = question === -1 ? '' : url.slice(question + 1);
  const login = fullPath === LOGIN_PREFIX || fullPath.startsWith(`${LOGIN_PREFIX}/`);
  const host = login ? 'login' : 'myDomain';
  const path = fullPath.slice((login ? LOGIN_PREFIX : MY_DOMAIN_PREFIX).length) || '/';
  const base = { host, path, query } as const;
  if (path === '/services/oauth2/token') return { ...base, kind: 'token' };
  if (login) return { ...base, kind: 'unknown' };
  if (path === '/services/data' || path === '/services/data/') return { ...base, kind: 'versions' };
  if (/^\/id\/[^/]+\/[^/]+\/?$/.test(path)) return { ...base, kind: 'identity' };
  const api = /^\/services\/data\/([^/]+)(\/.*)?$/.exec(path);
  if (!api) return { ...base, kind: 'unknown' };
  let segments: string[];
  try {
    segments = (api[2] ?? '').split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { ...base, kind: 'unknown' };
  }
  while (segments.at(-1) === '') segments.pop();
  return { ...base, kind: 'api', versionSegment: api[1] ?? '', segments };
}

/** Stable names for the counters: ids, external id values and locators are left out. */
function endpointOf(request: FastifyRequest, classified: Classified): string {
  const host = classified.host === 'login' ? 'login ' : '';
  if (classified.kind !== 'api') {
    const path = classified.kind === 'identity' ? '/id/{org}/{user}' : classified.path;
    return `${host}${request.method} ${classified.kind === 'unknown' ? '(unrouted)' : path}`;
  }
  const [resource, object, third, fourth] = classified.segments ?? [];
  const parts = [resource];
  if (resource === 'sobjects' && object !== undefined) {
    parts.push(object);
    if (third !== undefined) {
      const reserved = third === 'describe' || third === 'updated' || third === 'deleted';
      parts.push(reserved ? third : fourth === undefined ? '{id}' : third);
    }
    if (fourth !== undefined) parts.push('{value}');
  } else if ((resource === 'query' || resource === 'queryAll') && object !== undefined) {
    parts.push('{locator}');
  }
  const rest = parts.filter((part) => part !== undefined).join('/');
  return `${request.method} /services/data/${classified.versionSegment}${rest ? `/${rest}` : ''}`;
}

export function createSalesforceRoutes(options: SalesforceRouteOptions): FastifyPluginAsync {
  const { ctx, sessions, limits } = options;

  return async (app) => {
    const classifiedOf = new WeakMap<FastifyRequest, Classified>();
    const sessionOf = new WeakMap<FastifyRequest, Session>();
    const classification = (request: FastifyRequest): Classified => {
      let classified = classifiedOf.get(request);
      if (!classified) {
        classified = classify(request.url);
        classifiedOf.set(request, classified);
      }
      return classified;
    };

    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );

    // Before the traffic hooks: an ended session or a spent allocation is answered before anything else.
    app.addHook('onRequest', async (request, reply) => {
      const classified = classification(request);
      if (classified.kind !== 'api' && classified.kind !== 'identity') return;
      const session = sessions.check(request.headers.authorization);
      if (!session) return sendError(reply, salesforceErrors.sessionExpired());
      sessionOf.set(request, session);
      if (classified.kind === 'api' && !limits.admit())
        return sendError(reply, salesforceErrors.requestLimitExceeded());
    });

    app.addHook('onSend', async (request, reply, payload) => {
      if (classification(request).kind === 'api' && reply.statusCode !== 401) {
        const { used, max } = limits.usage();
        reply.header('Sforce-Limit-Info', `api-usage=${used}/${max}`);
      }
      return payload;
    });

    installTrafficHooks(app, {
      service: 'salesforce',
      traffic: ctx.traffic,
      endpointOf: (request) => endpointOf(request, classification(request)),
      faultApplies: (request, fault) => faultApplies(classification(request), request.method, fault),
      renderFault: (reply, fault) => renderSharedFault(reply, classification(reply.request), fault, options),
      renderOwnFault: (reply, fault) => {
        const request = reply.request;
        if (fault.kind === 'sessionExpiry') {
          const session = sessionOf.get(request);
          if (session) sessions.end(session.token);
          return sendError(reply, salesforceErrors.sessionExpired());
        }
        return sendError(reply, salesforceErrors.unableToLockRow(lockedId(classification(request), options)));
      },
    });

    app.setErrorHandler((error: unknown, _request, reply) => {
      if (error instanceof SalesforceError) return sendError(reply, error);
      if (error instanceof OAuthError)
        return reply.code(error.status).type(JSON_TYPE).send(JSON.stringify(error.body()));
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (status === 413)
        return sendError(
          reply,
          new SalesforceError(413, 'REQUEST_TOO_LARGE', 'The request body is too large'),
        );
      if (status >= 400 && status < 500) {
        return sendError(
          reply,
          new SalesforceError(status, 'INVALID_REQUEST', (error as Error).message ?? 'Bad request'),
        );
      }
      return sendError(reply, salesforceErrors.unknownException(options.errorId()));
    });

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const classified = classification(request);
      const body = typeof request.body === 'string' ? request.body : '';
      switch (classified.kind) {
        case 'token': {
          if (request.method !== 'POST') throw salesforceErrors.notFound();
          const answer = await requestToken(new URLSearchParams(body), {
            ...options.token(),
            host: classified.host,
            now: ctx.now(),
          });
          return reply.code(200).type(JSON_TYPE).send(JSON.stringify(answer));
        }
        case 'versions':
          if (request.method !== 'GET')
            throw salesforceErrors.methodNotAllowed(request.method, ['GET', 'HEAD']);
          return reply.code(200).type(JSON_TYPE).send(JSON.stringify(versionsList()));
        case 'identity': {
          const [, , orgId = '', userId = ''] = classified.path.split('/');
          const identity = options.identity(orgId, userId);
          if (!identity || request.method !== 'GET') throw salesforceErrors.notFound();
          return reply.code(200).type(JSON_TYPE).send(JSON.stringify(identity));
        }
        case 'api': {
          const session = sessionOf.get(request);
          const apiVersion = servedApiVersion(classified.versionSegment);
          if (!session || !apiVersion) throw salesforceErrors.notFound();
          const answer = handleRest(
            {
              method: request.method,
              apiVersion,
              segments: classified.segments ?? [],
              query: new URLSearchParams(classified.query),
              headers: request.headers as Record<string, string | undefined>,
              body,
              session,
            },
            options.rest,
          );
          return sendRest(reply, answer);
        }
        default:
          throw salesforceErrors.notFound();
      }
    };

    for (const prefix of [MY_DOMAIN_PREFIX, LOGIN_PREFIX]) {
      app.route({ method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'], url: prefix, handler });
      app.route({ method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'], url: `${prefix}/*`, handler });
    }
  };
}

function faultApplies(classified: Classified, method: string, fault: InjectedFault | OwnFault): boolean {
  if (fault.kind === '5xx') return true;
  if (classified.kind !== 'api' && classified.kind !== 'identity') return false;
  if (fault.kind === 'lock') {
    // Row locks happen to writes of records, nowhere else.
    return classified.kind === 'api' && WRITE_METHODS.has(method) && classified.segments?.[0] === 'sobjects';
  }
  return fault.kind === 'sessionExpiry' || classified.kind === 'api';
}

function renderSharedFault(
  reply: FastifyReply,
  classified: Classified,
  fault: InjectedFault,
  options: SalesforceRouteOptions,
): FastifyReply {
  if (fault.kind === '429') return sendError(reply, salesforceErrors.concurrentLimitExceeded());
  if (classified.kind === 'token') {
    // The token endpoint's own transient failure [O], in its OAuth error shape.
    const body = { error: 'unknown_error', error_description: 'retry your request' };
    return reply.code(fault.status).type(JSON_TYPE).send(JSON.stringify(body));
  }
  return sendError(
    reply,
    fault.status === 503
      ? salesforceErrors.serverUnavailable()
      : salesforceErrors.unknownException(options.errorId()),
  );
}

function lockedId(classified: Classified, options: SalesforceRouteOptions): string | undefined {
  const segments = classified.segments ?? [];
  if (segments.length === 3) return normalizeId(segments[2] ?? '');
  if (segments.length === 4) return options.lockedRecord(segments);
  return undefined;
}

function sendError(reply: FastifyReply, error: SalesforceError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.code(error.status).type(JSON_TYPE).send(JSON.stringify(error.body()));
}

function sendRest(reply: FastifyReply, answer: RestResponse): FastifyReply {
  reply.code(answer.status);
  for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
  if (answer.body === undefined) return reply.send();
  return reply.type(JSON_TYPE).send(JSON.stringify(answer.body));
}
