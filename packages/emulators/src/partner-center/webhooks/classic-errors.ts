/**
 * Errors in the classic Partner Center shape the webhooks host uses (spec §3.7): `{code, description,
 * data, source}`, `code` a string; throttling answers with the gateway's `{statusCode, message}` body
 * and Retry-After. The code values and `source` are unconfirmed; chosen here once.
 */
import type { FastifyReply } from 'fastify';
import type { InjectedFault } from '../../shared/traffic.ts';

export const CLASSIC_ERROR_SOURCE = 'PartnerFD';

/** Stable codes per failure kind; clients should key on the HTTP status, these are for humans and logs. */
export const CLASSIC_ERROR_CODES = {
  invalidInput: '400',
  unauthorized: '401',
  forbidden: '403',
  notFound: '404',
  methodNotAllowed: '405',
  conflict: '409',
  unsupportedMediaType: '415',
  internal: '500',
  unavailable: '503',
} as const;
export type ClassicErrorKind = keyof typeof CLASSIC_ERROR_CODES;

const STATUS_OF: Record<ClassicErrorKind, number> = {
  invalidInput: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  conflict: 409,
  unsupportedMediaType: 415,
  internal: 500,
  unavailable: 503,
};

export function classicErrorBody(kind: ClassicErrorKind, description: string) {
  return { code: CLASSIC_ERROR_CODES[kind], description, data: [], source: CLASSIC_ERROR_SOURCE };
}

export function sendClassicError(
  reply: FastifyReply,
  kind: ClassicErrorKind,
  description: string,
): FastifyReply {
  return reply
    .code(STATUS_OF[kind])
    .header('content-type', 'application/json; charset=utf-8')
    .send(classicErrorBody(kind, description));
}

export function sendThrottled(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .header('content-type', 'application/json; charset=utf-8')
    .send({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.` });
}

export function renderClassicFault(reply: FastifyReply, fault: InjectedFault): FastifyReply {
  if (fault.kind === '429') return sendThrottled(reply, fault.retryAfterSeconds);
  return fault.status === 503
    ? sendClassicError(reply, 'unavailable', 'The service is temporarily unavailable. Please retry.')
    : sendClassicError(reply, 'internal', 'An internal error occurred while processing the request.');
}
