import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/ports.ts';
import { headersFromRaw } from './callback-headers.ts';
import { type CallbackVerifierDeps, verifyCallback } from './callback-verifier.ts';
import { toInboxEntry } from './inbox-entry.ts';
import { createIngressCounters, type IngressCounters } from './ingress-counters.ts';
import { INGRESS_DEFAULTS } from './ingress-defaults.ts';
import { isRetryable, REJECTION_STATUS, type RejectionReason } from './rejection-reasons.ts';

/** The slice of a pino logger the ingress writes to. */
export type IngressLogger = {
  /** Accepted callbacks, at debug: one line per webhook costs measurable throughput. */
  debug: (fields: object, message: string) => void;
  warn: (fields: object, message: string) => void;
  error: (fields: object, message: string) => void;
};

export type IngressRouteOptions = {
  verifier: CallbackVerifierDeps;
  /**
   * Where accepted callbacks go: `recordInbox` commits the inbox row and, for `sync` entries, the job in
   * one transaction. Resolving means committed: only then does Partner Center get its 200. Throwing means
   * nothing was stored.
   */
  inbox: Pick<Store, 'recordInbox'>;
  path?: string;
  bodyLimit?: number;
  retryAfterSeconds?: number;
  /** Defaults to the request's logger. */
  logger?: IngressLogger;
  counters?: IngressCounters;
};

/**
 * `POST /webhooks/partner-center`: verifies a callback, hands it to `inbox.recordInbox`, and answers 200
 * only once it is durable. As an encapsulated plugin it owns its body parsing (raw bytes, any media type,
 * so a wrong one gets our 415 rather than fastify's) and its error rendering.
 */
export function createIngressRoutes(options: IngressRouteOptions): FastifyPluginAsync {
  const path = options.path ?? INGRESS_DEFAULTS.path;
  const bodyLimit = options.bodyLimit ?? INGRESS_DEFAULTS.bodyLimit;
  const retryAfter = String(options.retryAfterSeconds ?? INGRESS_DEFAULTS.retryAfterSeconds);
  const counters = options.counters ?? createIngressCounters();

  function reject(
    request: FastifyRequest,
    reply: FastifyReply,
    rejection: { reason: RejectionReason; detail?: string; retryAfterSeconds?: number },
  ): FastifyReply {
    counters.rejected[rejection.reason] += 1;
    const status = REJECTION_STATUS[rejection.reason];
    const fields = {
      reason: rejection.reason,
      status,
      detail: rejection.detail,
      certificateHost: certificateHost(request),
    };
    const logger = options.logger ?? request.log;
    if (status >= 500) logger.error(fields, 'partner center callback not accepted');
    else logger.warn(fields, 'partner center callback rejected');
    if (isRetryable(rejection.reason)) {
      reply.header('retry-after', String(rejection.retryAfterSeconds ?? retryAfter));
    }
    return reply.code(status).send({ reason: rejection.reason });
  }

  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      const reason: RejectionReason =
        status === 413
          ? 'body_too_large'
          : status === 415
            ? 'content_type_unsupported'
            : status >= 400 && status < 500
              ? 'request_malformed'
              : 'internal_error';
      return reject(request, reply, { reason, detail: error.code });
    });

    app.post(path, { bodyLimit }, async (request, reply) => {
      const receivedAt = new Date(options.verifier.now());
      const callback = {
        headers: headersFromRaw(request.raw.rawHeaders),
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      };
      const verification = await verifyCallback(callback, options.verifier);
      if (!verification.ok) return reject(request, reply, verification);

      const entry = toInboxEntry(verification.notification, callback, receivedAt);
      try {
        await options.inbox.recordInbox(entry);
      } catch (error) {
        const code =
          error instanceof Error ? ((error as Error & { code?: unknown }).code ?? error.name) : 'unknown';
        // A store that cannot commit now is a 503 (Partner Center retries); anything else is our bug.
        const reason = code === 'store_unavailable' ? 'store_unavailable' : 'internal_error';
        return reject(request, reply, { reason, detail: String(code) });
      }
      counters.accepted[entry.kind] += 1;
      // The app's logger, not the request's: touching that one would build it (see lazyChildLogger).
      (options.logger ?? app.log).debug(
        { reqId: request.id, eventName: entry.eventName, kind: entry.kind, referralId: entry.referralId },
        'partner center callback accepted',
      );
      return reply.code(200).send({ accepted: true, kind: entry.kind });
    });
  };
}

/** The certificate host is worth logging; the URL's path and query, like the signature, are not needed. */
function certificateHost(request: FastifyRequest): string | undefined {
  const url = request.headers['x-ms-certificate-url'];
  return typeof url === 'string' ? (URL.parse(url)?.host ?? undefined) : undefined;
}
