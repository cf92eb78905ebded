import { type Refusal, refuse } from './rejection-reasons.ts';

/**
 * Request headers by lower-case name with every occurrence kept: a duplicated security header is a
 * rejection, not something to join with ", " (node:http) or silently drop (node:http for Authorization).
 */
export type CallbackHeaders = ReadonlyMap<string, readonly string[]>;

/** From `IncomingMessage.rawHeaders` (name, value, name, value, …). */
export function headersFromRaw(rawHeaders: readonly string[]): CallbackHeaders {
  const headers = new Map<string, string[]>();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    const value = (rawHeaders[index + 1] ?? '').trim();
    const values = headers.get(name);
    if (values) values.push(value);
    else headers.set(name, [value]);
  }
  return headers;
}

export function headersFromRecord(
  record: Record<string, string | readonly string[] | undefined>,
): CallbackHeaders {
  const headers = new Map<string, string[]>();
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : [...value];
    headers.set(name.toLowerCase(), [...(headers.get(name.toLowerCase()) ?? []), ...values]);
  }
  return headers;
}

export type SignatureAlgorithm = 'rsa-sha256';

export type CallbackCredentials = {
  ok: true;
  /** The decoded PKCS#1 v1.5 signature bytes. */
  signature: Buffer;
  certificateUrl: string;
  algorithm: SignatureAlgorithm;
};

type SingleHeader = { ok: true; value: string | undefined } | Refusal;

function single(headers: CallbackHeaders, name: string): SingleHeader {
  const values = headers.get(name) ?? [];
  if (values.length > 1) return refuse('header_duplicated', name);
  const value = values[0];
  return { ok: true, value: value === undefined || value === '' ? undefined : value };
}

/** `application/json`, with any parameters; the body's bytes are checked as strict UTF-8 later. */
export function checkMediaType(headers: CallbackHeaders): { ok: true } | Refusal {
  const contentType = single(headers, 'content-type');
  if (!contentType.ok) return contentType;
  const mediaType = (contentType.value ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json'
    ? { ok: true }
    : refuse('content_type_unsupported', mediaType || '(none)');
}

const SIGNATURE_PREFIX = /^signature\s+/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The signature, certificate URL and algorithm of a callback (spec §5.1–2). The signature comes from
 * `Authorization: Signature <b64>` or from `x-ms-signature`, with or without the `Signature ` prefix
 * (unconfirmed which, so both). Auth schemes are case-insensitive (RFC 9110 §11.1).
 */
export function readCallbackCredentials(headers: CallbackHeaders): CallbackCredentials | Refusal {
  const authorization = single(headers, 'authorization');
  if (!authorization.ok) return authorization;
  const msSignature = single(headers, 'x-ms-signature');
  if (!msSignature.ok) return msSignature;

  const fromAuthorization =
    authorization.value && SIGNATURE_PREFIX.test(authorization.value)
      ? authorization.value.replace(SIGNATURE_PREFIX, '')
      : undefined;
  const fromMsSignature = msSignature.value?.replace(SIGNATURE_PREFIX, '');
  // A gateway in front of us may use Authorization for its own scheme while Partner Center signs in
  // x-ms-signature; only two different signatures are a contradiction.
  if (fromAuthorization && fromMsSignature && fromAuthorization !== fromMsSignature) {
    return refuse('signature_ambiguous');
  }
  const token = fromAuthorization ?? fromMsSignature;
  if (!token) return authorization.value ? refuse('signature_scheme') : refuse('signature_missing');
  if (token.length % 4 !== 0 || !BASE64.test(token)) return refuse('signature_malformed');

  const certificateUrl = single(headers, 'x-ms-certificate-url');
  if (!certificateUrl.ok) return certificateUrl;
  if (!certificateUrl.value) return refuse('certificate_url_missing');

  const algorithm = single(headers, 'x-ms-signature-algorithm');
  if (!algorithm.ok) return algorithm;
  if (!algorithm.value) return refuse('algorithm_missing');
  if (algorithm.value.toLowerCase() !== 'rsa-sha256') return refuse('algorithm_unsupported');

  return {
    ok: true,
    signature: Buffer.from(token, 'base64'),
    certificateUrl: certificateUrl.value,
    algorithm: 'rsa-sha256',
  };
}
