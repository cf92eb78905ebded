/**
 * The one HTTP client every remote call goes through: a connection pool per remote, timeouts, a
 * client request id on every call, extra trusted CAs, and a concurrency limit per remote. It returns
 * every HTTP status as data; what a status means is decided once per remote by its classifier.
 * It never logs or echoes header values, so tokens cannot leak from here.
 */
import { randomUUID } from 'node:crypto';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { Agent, errors, request } from 'undici';
import { explainTransportFailure, shownUrl } from './explain-error.ts';
import { createRequestBudget, type RequestBudgetOptions } from './request-budget.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type HttpRequest = {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** Largest response body read; larger bodies fail with `response_too_large`. */
  maxBodyBytes?: number;
};

export type HttpResponse = {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text(): string;
  json(): unknown;
  /** The client request id sent with the call (for correlation in logs and errors). */
  requestId: string;
};

/** `tls`: the remote's certificate is not trusted (a configuration problem, not a passing one). */
export type TransportFailure = 'timeout' | 'connection' | 'tls' | 'response_too_large';

/**
 * The remote could not be reached or did not answer in time; no HTTP status exists. The message says
 * what failed at which URL and the likely fix (explain-error.ts); the socket's error is the `cause`.
 */
export class TransportError extends Error {
  readonly code: TransportFailure;
  readonly remote: string;
  /** The request's URL without its query. */
  readonly url: string;
  /** Node's or undici's code behind it (ENOTFOUND, UNABLE_TO_VERIFY_LEAF_SIGNATURE…). */
  readonly detail: string;
  readonly problem: string;
  readonly fix: string;
  constructor(
    remote: string,
    code: TransportFailure,
    detail: string,
    options: { cause?: unknown; url?: string; timeoutMs?: number } = {},
  ) {
    const url = options.url ? shownUrl(options.url) : remote;
    const explanation = explainTransportFailure({
      kind: code,
      code: detail,
      remote,
      url,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    super(`${remote}: ${explanation.problem}; ${explanation.fix}`, { cause: options.cause });
    this.code = code;
    this.remote = remote;
    this.url = url;
    this.detail = detail;
    this.problem = explanation.problem;
    this.fix = explanation.fix;
  }
}

export type HttpClientOptions = {
  /** Name of the remote, used in errors and metrics ("referrals", "dataverse"…). */
  remote: string;
  timeoutMs?: number;
  /** PEM of CAs trusted in addition to Node's bundled roots. */
  extraCaPem?: string;
  maxConnections?: number;
  /** Requests in flight at once, and per-window limits, for this remote (default: 64 in flight). */
  budget?: Omit<RequestBudgetOptions, 'now'>;
  userAgent?: string;
};

export type HttpClient = {
  readonly remote: string;
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Holds every request to this remote for `ms` (it answered 429 with Retry-After). */
  pauseFor(ms: number): void;
  close(): Promise<void>;
};

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

const secureContexts = new Map<string, SecureContext>();

/**
 * One TLS context per extra CA, shared by every connection. Passed as `ca`, each new connection would
 * build its own context and parse Node's ~145 bundled roots again: measured here under load, the malloc
 * heap held 127 MB that way and 27 MB with one shared context.
 */
function secureContextTrusting(extraCaPem: string): SecureContext {
  let context = secureContexts.get(extraCaPem);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, extraCaPem] });
    secureContexts.set(extraCaPem, context);
  }
  return context;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const agent = new Agent({
    connections: options.maxConnections ?? 64,
    keepAliveTimeout: 30_000,
    connect: options.extraCaPem ? { secureContext: secureContextTrusting(options.extraCaPem) } : {},
  });
  const budget = createRequestBudget(options.budget ?? { concurrency: 64 });
  const userAgent = options.userAgent ?? 'referral-connector';

  async function send(call: HttpRequest): Promise<HttpResponse> {
    const requestId = call.headers?.['client-request-id'] ?? randomUUID();
    const headers = { 'user-agent': userAgent, 'client-request-id': requestId, ...call.headers };
    const callTimeout = call.timeoutMs ?? timeoutMs;
    const maxBody = call.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const release = await budget.acquire();
    try {
      const response = await request(call.url, {
        dispatcher: agent,
        method: call.method,
        headers,
        body: call.body ?? null,
        headersTimeout: callTimeout,
        bodyTimeout: callTimeout,
        signal: AbortSignal.timeout(callTimeout),
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > maxBody) {
          response.body.destroy();
          throw new TransportError(options.remote, 'response_too_large', `more than ${maxBody} bytes`, {
            url: call.url,
          });
        }
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks);
      return {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body,
        text: () => body.toString('utf8'),
        json: () => JSON.parse(body.toString('utf8')) as unknown,
        requestId,
      };
    } catch (error) {
      throw toTransportError(options.remote, error, { url: call.url, timeoutMs: callTimeout });
    } finally {
      release();
    }
  }

  return { remote: options.remote, send, pauseFor: (ms) => budget.pauseFor(ms), close: () => agent.close() };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function toTransportError(
  remote: string,
  error: unknown,
  call: { url: string; timeoutMs: number },
): TransportError {
  if (error instanceof TransportError) return error;
  const name = (error as { name?: string }).name;
  if (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError ||
    name === 'TimeoutError' ||
    name === 'AbortError'
  ) {
    return new TransportError(remote, 'timeout', 'no answer in time', { cause: error, ...call });
  }
  const code =
    (error as { code?: string }).code ??
    (error as { cause?: { code?: string } }).cause?.code ??
    (error as Error).message;
  const failure = TLS_TRUST_CODES.has(String(code)) ? 'tls' : 'connection';
  return new TransportError(remote, failure, String(code), { cause: error, url: call.url });
}
