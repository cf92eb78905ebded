/**
 * A failed remote call, classified once by the remote's own classifier. The sync engine acts on
 * `disposition` alone and never on status codes or message text.
 *
 * - retry: transient (5xx, timeout, throttling); `retryAfterMs` when the remote said when.
 * - reauthenticate: the token was refused; fetch a new one and retry once.
 * - conflict: optimistic concurrency lost (412); re-read and re-apply.
 * - not_found: the resource does not exist (a deleted referral, an unknown lead).
 * - dead_letter: permanent (validation, permissions, configuration); retrying cannot help.
 */
export type Disposition = 'retry' | 'reauthenticate' | 'conflict' | 'not_found' | 'dead_letter';

export class RemoteError extends Error {
  readonly remote: string;
  readonly disposition: Disposition;
  /** Stable reason code, e.g. "dataverse_throttled", "referral_not_found". */
  readonly code: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** The remote's own error code (e.g. "0x80048408"), when it sent one. */
  readonly remoteCode: string | undefined;

  constructor(fields: {
    remote: string;
    disposition: Disposition;
    code: string;
    message: string;
    status?: number | undefined;
    retryAfterMs?: number | undefined;
    remoteCode?: string | undefined;
    cause?: unknown;
  }) {
    super(`${fields.remote}: ${fields.code}: ${fields.message}`, { cause: fields.cause });
    this.remote = fields.remote;
    this.disposition = fields.disposition;
    this.code = fields.code;
    this.status = fields.status;
    this.retryAfterMs = fields.retryAfterMs;
    this.remoteCode = fields.remoteCode;
  }
}
