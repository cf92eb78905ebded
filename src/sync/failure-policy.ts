/**
 * What the queue does with a failed sync (pure). Remote errors were classified once by their remote;
 * this only turns the classification into retry-or-dead-letter.
 */
import { AuthError } from '../auth/token-provider.ts';
import { RemoteError } from '../net/remote-error.ts';
import type { JobError } from '../store/ports.ts';
import { WriteBackConflictError } from './write-back-conflict.ts';

export type FailureDecision =
  | { action: 'retry'; error: JobError; notBefore?: Date }
  | { action: 'dead_letter'; error: JobError };

export function decideFailure(error: unknown, now: number): FailureDecision {
  // The referral kept changing under every re-read: someone else is writing it; a person should look.
  if (error instanceof WriteBackConflictError) {
    return { action: 'dead_letter', error: { code: error.code, message: error.message } };
  }
  if (error instanceof RemoteError) {
    const jobError = { code: error.code, message: error.message };
    switch (error.disposition) {
      case 'retry':
        return {
          action: 'retry',
          error: jobError,
          ...(error.retryAfterMs !== undefined ? { notBefore: new Date(now + error.retryAfterMs) } : {}),
        };
      case 'conflict':
        // Optimistic concurrency lost on a call other than the write-back (which the sync settles itself):
        // the next attempt re-reads everything.
        return { action: 'retry', error: jobError };
      default:
        return { action: 'dead_letter', error: jobError };
    }
  }
  if (error instanceof AuthError) {
    const jobError = { code: error.code, message: error.message };
    // Nobody signed in, or Entra refused the app's own credential: every retry would fail the same way
    // until `auth login` or a configuration change, then a replay.
    return error.code === 'token_request_failed'
      ? { action: 'retry', error: jobError }
      : { action: 'dead_letter', error: jobError };
  }
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  // Data we cannot read and secrets we cannot open stay that way until a person acts (then `replay`).
  if (code === 'referral_invalid' || code === 'secret_unreadable') {
    return { action: 'dead_letter', error: { code, message: (error as Error).message } };
  }
  // Unknown failures may be bugs or passing trouble: retried, and dead-lettered when attempts run out.
  const message = error instanceof Error ? error.message : String(error);
  return { action: 'retry', error: { code: 'internal_error', message } };
}
