/**
 * Every way the callback ingress refuses a request, each with the HTTP status it answers. The codes are
 * stable: logs, counters, dashboards and tests key on them, never on messages.
 *
 * Status families: 400 the request is malformed; 401 the sender is not authenticated (signature or the
 * certificate behind it); 403 the request points us at a certificate location we refuse to contact;
 * 413/415 body size and media type; 422 authenticated and well-formed JSON, but not a notification we
 * can act on; 503 we could not decide or record it now and Partner Center should retry.
 */
export const REJECTION_STATUS = {
  content_type_unsupported: 415,
  body_too_large: 413,
  request_malformed: 400,
  header_duplicated: 400,
  signature_missing: 401,
  signature_scheme: 401,
  signature_ambiguous: 400,
  signature_malformed: 401,
  algorithm_missing: 400,
  algorithm_unsupported: 401,
  certificate_url_missing: 400,
  certificate_url_invalid: 400,
  certificate_url_not_https: 403,
  certificate_url_userinfo: 403,
  certificate_url_query: 403,
  certificate_url_ip_literal: 403,
  certificate_host_not_allowed: 403,
  certificate_url_port: 403,
  certificate_url_path: 403,
  certificate_redirected: 403,
  certificate_not_found: 401,
  certificate_too_large: 401,
  certificate_malformed: 401,
  certificate_fetch_failed: 503,
  certificate_download_budget: 503,
  certificate_untrusted: 401,
  certificate_expired: 401,
  certificate_not_yet_valid: 401,
  certificate_organization: 401,
  certificate_key_unsupported: 401,
  signature_invalid: 401,
  body_not_json: 400,
  payload_invalid: 422,
  resource_uri_invalid: 422,
  store_unavailable: 503,
  internal_error: 500,
} as const;

export type RejectionReason = keyof typeof REJECTION_STATUS;

export const REJECTION_REASONS = Object.keys(REJECTION_STATUS) as RejectionReason[];

/**
 * Why a step said no. `detail` is for logs only (never a secret, never matched on). `retryAfterSeconds`
 * when the refusal knows better than the default when a retry can succeed.
 */
export type Refusal = { ok: false; reason: RejectionReason; detail?: string; retryAfterSeconds?: number };

export function refuse(reason: RejectionReason, detail?: string): Refusal {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}

/** Rejections that mean "try again later" rather than "this request is wrong". */
export function isRetryable(reason: RejectionReason): boolean {
  return REJECTION_STATUS[reason] === 503;
}
