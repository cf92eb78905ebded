/**
 * The webhook registration API of `api.partnercenter.microsoft.com/webhooks/v1` (spec §4.1), served under
 * `/partner-center/webhooks/v1`. Bearer tokens for the classic Partner Center audience, app-only or
 * App+User; one registration per tenant (`tid`). Every error, including unknown paths and unparsable
 * bodies, in the classic shape.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PARTNER_CENTER_AUDIENCES } from '../../credentials.ts';
import type { AccessTokenClaims, AccessTokens } from '../../shared/access-tokens.ts';
import type { Traffic } from '../../shared/traffic.ts';
import { installTrafficHooks } from '../../shared/traffic-hooks.ts';
import { renderClassicFault, sendClassicError, sendThrottled } from './classic-errors.ts';
import type { NotificationDispatcher } from './notification-dispatcher.ts';
import { parseRegistrationBody } from './registration-body.ts';
import { type Registrations, registrationCreatedView, registrationView } from './registrations.ts';
import { createValidationEvents, validationEventView } from './validation-events.ts';
import { AVAILABLE_EVENTS, TEST_EVENT } from './webhook-events.ts';
import type { WebhooksKnobs } from './webhooks-knobs.ts';

/** Where `https://api.partnercenter.microsoft.com` is mounted in the emulated world. */
export const CLASSIC_HOST_PREFIX = '/partner-center';
export const WEBHOOKS_API_BASE = `${CLASSIC_HOST_PREFIX}/webhooks/v1`;

export type RegistrationRoutesDeps = {
  tokens: AccessTokens;
  traffic: Traffic;
  now: () => number;
  newId: () => string;
  registrations: Registrations;
  dispatcher: NotificationDispatcher;
  knobs: () => WebhooksKnobs;
};

export function registrationRoutes(deps: RegistrationRoutesDeps) {
  const { registrations, dispatcher } = deps;
  const validationEvents = createValidationEvents({ now: deps.now });
  const base = WEBHOOKS_API_BASE;

  return async function registrationApi(app: FastifyInstance): Promise<void> {
    installTrafficHooks(app, {
      service: 'webhooks',
      traffic: deps.traffic,
      prefix: CLASSIC_HOST_PREFIX,
      renderFault: renderClassicFault,
    });
    installClassicBodyHandling(app);

    app.addHook('onSend', async (request, reply) => {
      reply.header('ms-correlationid', headerValue(request, 'ms-correlationid') ?? deps.newId());
      reply.header('ms-requestid', headerValue(request, 'ms-requestid') ?? deps.newId());
    });

    async function authorize(
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<AccessTokenClaims | undefined> {
      const check = await deps.tokens.check(request.headers.authorization, PARTNER_CENTER_AUDIENCES.webhooks);
      if (check.ok) return check.claims;
      reply.header('www-authenticate', `OAuth realm=urn:cpsvc:cpid:${deps.newId()}`);
      sendClassicError(reply, 'unauthorized', `Authorization failed: ${describeTokenFailure(check.reason)}`);
      return undefined;
    }

    app.get(`${base}/registration/events`, async (request, reply) => {
      if (!(await authorize(request, reply))) return reply;
      return reply.send(AVAILABLE_EVENTS);
    });

    app.post(`${base}/registration`, async (request, reply) => {
      const claims = await authorize(request, reply);
      if (!claims) return reply;
      const parsed = parseRegistrationBody(request.body);
      if (!parsed.ok) return sendClassicError(reply, 'invalidInput', parsed.description);
      if (registrations.get(claims.tid)) {
        return sendClassicError(reply, 'conflict', 'Registration already exists, use the PUT method');
      }
      return reply.send(registrationCreatedView(registrations.put(claims.tid, parsed.value)));
    });

    app.get(`${base}/registration`, async (request, reply) => {
      const claims = await authorize(request, reply);
      if (!claims) return reply;
      const registration = registrations.get(claims.tid);
      if (!registration)
        return sendClassicError(reply, 'notFound', 'No registration found for this partner.');
      return reply.send(registrationView(registration));
    });

    app.put(`${base}/registration`, async (request, reply) => {
      const claims = await authorize(request, reply);
      if (!claims) return reply;
      const parsed = parseRegistrationBody(request.body);
      if (!parsed.ok) return sendClassicError(reply, 'invalidInput', parsed.description);
      if (!registrations.get(claims.tid)) {
        return sendClassicError(
          reply,
          'notFound',
          'No registration found for this partner, use the POST method',
        );
      }
      return reply.send(registrationCreatedView(registrations.put(claims.tid, parsed.value)));
    });

    // No DELETE exists (six documented operations, none removes a registration); routing answers before auth.
    app.route({
      method: ['DELETE', 'PATCH'],
      url: `${base}/registration`,
      handler: async (request, reply) =>
        sendClassicError(
          reply.header('allow', 'GET, POST, PUT'),
          'methodNotAllowed',
          `The requested resource does not support http method '${request.method}'.`,
        ),
    });

    app.post(`${base}/registration/validationEvents`, async (request, reply) => {
      const claims = await authorize(request, reply);
      if (!claims) return reply;
      const admission = validationEvents.admit(claims.tid);
      if (!admission.ok) return sendThrottled(reply, admission.retryAfterSeconds);
      const registration = registrations.get(claims.tid);
      if (!registration?.webhookEvents.includes(TEST_EVENT)) {
        return sendClassicError(
          reply,
          'invalidInput',
          `A registration for the '${TEST_EVENT}' event is required before a validation event can be sent.`,
        );
      }
      const correlationId = deps.newId();
      const deliveryId = dispatcher.sendTest(claims.tid, correlationId);
      if (!deliveryId) return sendClassicError(reply, 'notFound', 'No registration found for this partner.');
      validationEvents.add({
        correlationId,
        tenantId: claims.tid,
        callbackUrl: registration.webhookUrl,
        createdAt: deps.now(),
        deliveryId,
      });
      // Doc example: an object; swagger and REST reference: a bare JSON string (knob).
      const body =
        deps.knobs().validationEventResponse === 'string' ? JSON.stringify(correlationId) : { correlationId };
      return reply.header('content-type', 'application/json; charset=utf-8').send(body);
    });

    app.get<{ Params: { correlationId: string } }>(
      `${base}/registration/validationEvents/:correlationId`,
      async (request, reply) => {
        const claims = await authorize(request, reply);
        if (!claims) return reply;
        const event = validationEvents.get(claims.tid, request.params.correlationId);
        if (!event) {
          return sendClassicError(
            reply,
            'notFound',
            `Validation event '${request.params.correlationId}' not found.`,
          );
        }
        return reply.send(validationEventView(event, dispatcher.delivery(event.deliveryId)));
      },
    );

    app.all(`${CLASSIC_HOST_PREFIX}/webhooks/*`, async (request, reply) =>
      sendClassicError(
        reply,
        'notFound',
        `No HTTP resource was found that matches the request URI '${request.url}'.`,
      ),
    );
  };
}

/**
 * JSON (and `text/json`, which the service also lists) with an empty body allowed, since the validation
 * event POST has none; parse failures and other media types rendered as classic errors.
 */
function installClassicBodyHandling(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400 }), undefined);
      }
    },
  );
  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 415) return sendClassicError(reply, 'unsupportedMediaType', 'Unsupported content type.');
    if (status >= 400 && status < 500) {
      return sendClassicError(reply, 'invalidInput', error.message ?? 'The request is invalid.');
    }
    return sendClassicError(reply, 'internal', 'An internal error occurred while processing the request.');
  });
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function describeTokenFailure(reason: string): string {
  switch (reason) {
    case 'missing':
      return 'the Authorization header is missing.';
    case 'expired':
      return 'the access token has expired.';
    case 'wrong_audience':
      return 'the access token is not valid for this audience.';
    default:
      return 'the access token is invalid.';
  }
}
