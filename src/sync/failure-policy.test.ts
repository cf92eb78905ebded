import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../auth/secret-box.ts';
import { AuthError } from '../auth/token-provider.ts';
import { type Disposition, RemoteError } from '../net/remote-error.ts';
import { decideFailure } from './failure-policy.ts';
import { WriteBackConflictError } from './write-back-conflict.ts';

const NOW = Date.parse('2026-11-02T09:00:00.000Z');

const remote = (disposition: Disposition, code: string, retryAfterMs?: number) =>
  new RemoteError({ remote: 'dataverse', disposition, code, message: `${code} happened`, retryAfterMs });

describe('decideFailure', () => {
  it.each([
    ['retry', 'dataverse_unavailable', 'retry', 'dataverse_unavailable'],
    ['dead_letter', 'dataverse_forbidden', 'dead_letter', 'dataverse_forbidden'],
    ['not_found', 'referrals_not_found', 'dead_letter', 'referrals_not_found'],
    ['reauthenticate', 'referrals_unauthorized', 'dead_letter', 'referrals_unauthorized'],
    ['conflict', 'dataverse_etag_mismatch', 'retry', 'dataverse_etag_mismatch'],
  ] as const)('turns a RemoteError to %s (%s) into %s with code %s', (disposition, code, action, jobCode) => {
    const decision = decideFailure(remote(disposition, code), NOW);
    expect(decision).toEqual({
      action,
      error: { code: jobCode, message: expect.stringContaining(`${code} happened`) },
    });
  });

  it('dead-letters a write-back that lost every attempt to a changing referral, and only that', () => {
    const lost = new WriteBackConflictError('r-1', 3, remote('conflict', 'referrals_etag_mismatch'));
    expect(decideFailure(lost, NOW)).toEqual({
      action: 'dead_letter',
      error: { code: 'write_back_conflict', message: expect.stringContaining('3 write-back attempts') },
    });
    // A CRM's own 412 is not a write-back conflict: the next attempt re-reads and tries again.
    expect(decideFailure(remote('conflict', 'dataverse_etag_mismatch'), NOW).action).toBe('retry');
  });

  it("retries no earlier than the remote's Retry-After", () => {
    const decision = decideFailure(remote('retry', 'dataverse_throttled', 12_000), NOW);
    expect(decision).toEqual({
      action: 'retry',
      error: { code: 'dataverse_throttled', message: expect.any(String) },
      notBefore: new Date(NOW + 12_000),
    });
  });

  it('leaves the back-off to the queue when the remote said nothing about when', () => {
    expect(decideFailure(remote('retry', 'dataverse_unavailable'), NOW)).not.toHaveProperty('notBefore');
  });

  it('dead-letters while nobody is signed in, and retries a failed token request', () => {
    expect(decideFailure(new AuthError('login_required', 'run auth login'), NOW)).toEqual({
      action: 'dead_letter',
      error: { code: 'login_required', message: 'run auth login' },
    });
    expect(decideFailure(new AuthError('token_request_failed', 'entra down'), NOW)).toEqual({
      action: 'retry',
      error: { code: 'token_request_failed', message: 'entra down' },
    });
  });

  it('dead-letters at once when Entra refuses the app credential (credential_rejected)', () => {
    const refused = new AuthError('credential_rejected', 'fix crm.dynamics.clientSecret', {
      configKeys: ['crm.dynamics.clientSecret'],
    });
    expect(decideFailure(refused, NOW)).toEqual({
      action: 'dead_letter',
      error: { code: 'credential_rejected', message: 'fix crm.dynamics.clientSecret' },
    });
  });

  it('dead-letters a referral that cannot be read (referral_invalid)', () => {
    const invalid = Object.assign(new Error('id is missing'), { code: 'referral_invalid' });
    expect(decideFailure(invalid, NOW)).toEqual({
      action: 'dead_letter',
      error: { code: 'referral_invalid', message: 'id is missing' },
    });
  });

  it('retries anything unknown as internal_error', () => {
    expect(decideFailure(new TypeError('x is undefined'), NOW)).toEqual({
      action: 'retry',
      error: { code: 'internal_error', message: 'x is undefined' },
    });
    expect(decideFailure('a thrown string', NOW)).toMatchObject({
      action: 'retry',
      error: { code: 'internal_error' },
    });
  });

  it('dead-letters an unreadable stored secret with its own code', () => {
    const sealed = createSecretBox({ current: Buffer.alloc(32, 1) }).seal('cache', Buffer.from('{}'));
    const unreadable = (() => {
      try {
        createSecretBox({ current: Buffer.alloc(32, 2) }).open('cache', sealed);
      } catch (error) {
        return error;
      }
    })();
    expect(decideFailure(unreadable, NOW)).toMatchObject({
      action: 'dead_letter',
      error: { code: 'secret_unreadable' },
    });
  });

  it('retries a rejection without a value as internal_error', () => {
    for (const nothing of [undefined, null]) {
      expect(decideFailure(nothing, NOW)).toMatchObject({
        action: 'retry',
        error: { code: 'internal_error' },
      });
    }
  });
});
