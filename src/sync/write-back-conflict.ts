import type { RemoteError } from '../net/remote-error.ts';

/**
 * The referral changed under every write-back attempt of one sync (412 each time): someone else keeps
 * writing it, so a person should look. Raised by the sync, not by a remote classifier: a 412 from any
 * other call (a CRM's own concurrency check) is that remote's error, not a write-back conflict.
 */
export class WriteBackConflictError extends Error {
  readonly code = 'write_back_conflict';
  readonly attempts: number;
  constructor(referralId: string, attempts: number, cause: RemoteError) {
    super(`referral ${referralId} changed during each of ${attempts} write-back attempts: ${cause.message}`, {
      cause,
    });
    this.attempts = attempts;
  }
}
