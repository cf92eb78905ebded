/**
 * The documented Referrals API over HTTP: list, get, create, PUT and PATCH under
 * `/v1.0/engagements/referrals`, with its headers (request-id, client-request-id, ETag, Prefer), its
 * authentication, and every failure rendered in the `{"error":{…}}` envelope by one handler.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { InjectedFault, Traffic } from '../../shared/traffic.ts';
import { installTrafficHooks } from '../../shared/traffic-hooks.ts';
import { JsonPatchError, parseJsonPatch } from './json-patch.ts';
import { parseReferralBody } from './referral-input.ts';
import { listPage, parseListQuery } from './referral-list-query.ts';
import { entityBody, listBody, type ServedAt } from './referral-presenter.ts';
import type { ReferralStore } from './referral-store.ts';
import type { ReferralsAuthenticator } from './referrals-auth.ts';
import { errorForStatus, invalidRequest, ReferralsError, referralNotFound } from './referrals-error.ts';

export type ReferralsKnobs = {
  /** Refuse delegated tokens without `mfa` in `amr` (enforced by Partner Center since April 2026). */
  requireMfa: boolean;
  /** Status of a successful create; the swagger says 200, the response-code page also lists 201. */
  createStatus: 200 | 201;
};

export type ReferralsRoutesOptions = {
  store: ReferralStore;
  knobs: ReferralsKnobs;
  authenticate: ReferralsAuthenticator;
  traffic: Traffic;
  servedAt: () => ServedAt;
  /** The part of the mount path that is ours, not Microsoft's (stripped from traffic endpoint names). */
  hostPrefix: string;
};

type IdParams = { Params: { id: string } };

export function referralsRoutes(options: ReferralsRoutesOptions): FastifyPluginAsync {
  const { store, knobs } = options;
  return async (app) => {
    app.addHook('onSend', async (request, reply) => {
      reply.header('request-id', randomUUID());
      const clientRequestId = request.headers['client-request-id'];
      if (typeof clientRequestId === 'string') reply.header('client-request-id', clientRequestId);
    });
    installTrafficHooks(app, {
      service: 'referrals',
      traffic: options.traffic,
      endpointOf: (request) => endpointName(request, options.hostPrefix),
      renderFault,
    });
    app.addHook('onRequest', async (request) => {
      await options.authenticate(request.headers.authorization);
      store.expireDue();
    });
    app.addContentTypeParser('application/json-patch+json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body.toString()));
      } catch {
        done(invalidRequest('The request body is not valid JSON.', 'body'));
      }
    });
    app.setErrorHandler(async (error, _request, reply) => renderError(reply, toReferralsError(error)));
    app.setNotFoundHandler(async (request, reply) =>
      renderError(reply, errorForStatus(404, `No resource matches ${request.method} ${request.url}.`)),
    );

    app.get('/', async (request, reply) => {
      const query = parseListQuery(request.query as Record<string, string | string[] | undefined>);
      const page = listPage(store.records(), query);
      return reply.send(listBody(page, options.servedAt(), query));
    });

    app.get<IdParams>('/:id', async (request, reply) => {
      const record = store.find(request.params.id);
      if (!record) throw referralNotFound(request.params.id);
      return reply.header('etag', record.eTag).send(entityBody(record, options.servedAt()));
    });

    app.post('/', async (request, reply) => {
      const record = store.createFromApi(parseReferralBody(request.body));
      const at = options.servedAt();
      if (knobs.createStatus === 201)
        reply.header('location', `${at.origin}${at.collectionPath}/${record.id}`);
      return reply.code(knobs.createStatus).header('etag', record.eTag).send(entityBody(record, at));
    });

    app.put<IdParams>('/:id', async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      if (!ifMatch) {
        throw new ReferralsError(
          400,
          'invalidRequest',
          "The If-Match header is required; send the referral's eTag.",
          {
            target: 'If-Match',
            innerError: { code: 'ifMatchRequired', message: 'PUT requires If-Match.' },
          },
        );
      }
      const record = store.replace(request.params.id, parseReferralBody(request.body), ifMatch);
      return reply.header('etag', record.eTag).send(entityBody(record, options.servedAt()));
    });

    app.patch<IdParams>('/:id', async (request, reply) => {
      let operations: ReturnType<typeof parseJsonPatch>;
      try {
        operations = parseJsonPatch(request.body);
      } catch (error) {
        if (error instanceof JsonPatchError) throw invalidRequest(error.message, 'patch');
        throw error;
      }
      const ifMatch = request.headers['if-match'] || undefined;
      const record = store.patch(request.params.id, operations, ifMatch);
      reply.header('etag', record.eTag);
      if (!wantsRepresentation(request)) return reply.code(204).send();
      return reply
        .header('preference-applied', 'return=representation')
        .send(entityBody(record, options.servedAt()));
    });

    app.delete('/:id', async (_request, reply) => {
      reply.header('allow', 'GET, PUT, PATCH');
      throw errorForStatus(405, 'Referrals cannot be deleted.');
    });
  };
}

function endpointName(request: FastifyRequest, hostPrefix: string): string {
  const pattern = request.routeOptions.url;
  if (pattern === undefined) return `${request.method} (unrouted)`;
  const relative = pattern.startsWith(hostPrefix) ? pattern.slice(hostPrefix.length) : pattern;
  return `${request.method} ${relative.replace(/\/$/, '')}`;
}

function wantsRepresentation(request: FastifyRequest): boolean {
  const header = request.headers.prefer ?? '';
  const prefer = Array.isArray(header) ? header.join(',') : header;
  return prefer
    .split(',')
    .some((preference) => preference.trim().toLowerCase().replace(/\s/g, '') === 'return=representation');
}

function toReferralsError(error: unknown): ReferralsError {
  if (error instanceof ReferralsError) return error;
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return errorForStatus(status, (error as Error).message);
  }
  return errorForStatus(500, 'An unexpected error occurred while processing the request.');
}

export function renderError(reply: FastifyReply, error: ReferralsError): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(error.envelope());
}

/** Injected faults look like the real service's: the envelope, and Retry-After on 429. */
function renderFault(reply: FastifyReply, fault: InjectedFault): FastifyReply {
  if (fault.kind === '429') {
    return renderError(
      reply,
      new ReferralsError(
        429,
        'tooManyRequests',
        `Rate limit is exceeded. Try again in ${fault.retryAfterSeconds} seconds.`,
        {
          headers: { 'retry-after': String(fault.retryAfterSeconds) },
        },
      ),
    );
  }
  return renderError(
    reply,
    fault.status === 503
      ? new ReferralsError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Retry later.')
      : new ReferralsError(
          500,
          'generalException',
          'An unexpected error occurred while processing the request.',
        ),
  );
}
