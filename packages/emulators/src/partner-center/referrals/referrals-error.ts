/**
 * Errors of the emulated Referrals API, each with the HTTP status and the stable `error.code` of the
 * §3.7 envelope `{"error":{code,message,target?,innerError?}}`. Codes outside the documented list
 * (`tooManyRequests`, `methodNotAllowed`, `unsupportedMediaType`) are our choice, see README.
 */
export type ReferralsErrorCode =
  | 'invalidRequest'
  | 'unauthenticated'
  | 'accessDenied'
  | 'itemNotFound'
  | 'methodNotAllowed'
  | 'preconditionFailed'
  | 'unsupportedMediaType'
  | 'tooManyRequests'
  | 'generalException'
  | 'serviceNotAvailable';

export type InnerError = { code: string; message: string };

export type ErrorEnvelope = {
  error: { code: ReferralsErrorCode; message: string; target?: string; innerError?: InnerError };
};

export class ReferralsError extends Error {
  readonly status: number;
  readonly code: ReferralsErrorCode;
  readonly target: string | undefined;
  readonly innerError: InnerError | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: ReferralsErrorCode,
    message: string,
    extra: { target?: string; innerError?: InnerError; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ReferralsError';
    this.status = status;
    this.code = code;
    this.target = extra.target;
    this.innerError = extra.innerError;
    this.headers = extra.headers ?? {};
  }

  envelope(): ErrorEnvelope {
    return {
      error: {
        code: this.code,
        message: this.message.slice(0, 1024),
        ...(this.target ? { target: this.target } : {}),
        ...(this.innerError ? { innerError: this.innerError } : {}),
      },
    };
  }
}

export const invalidRequest = (message: string, target = 'referral'): ReferralsError =>
  new ReferralsError(400, 'invalidRequest', message, { target });

export const referralNotFound = (id: string): ReferralsError =>
  new ReferralsError(404, 'itemNotFound', `Referral '${id}' was not found.`, { target: 'referral' });

/** The error a status code maps to when something other than our own code produced it (fastify, faults). */
export function errorForStatus(status: number, message: string): ReferralsError {
  if (status === 404) return new ReferralsError(404, 'itemNotFound', message);
  if (status === 405) return new ReferralsError(405, 'methodNotAllowed', message);
  if (status === 415) return new ReferralsError(415, 'unsupportedMediaType', message);
  if (status === 429) return new ReferralsError(429, 'tooManyRequests', message);
  if (status === 503) return new ReferralsError(503, 'serviceNotAvailable', message);
  if (status >= 400 && status < 500) return new ReferralsError(status, 'invalidRequest', message);
  return new ReferralsError(Math.max(status, 500), 'generalException', message);
}
