/**
 * Authorization codes the authorize page handed out (OIDC code flow, spec entra-oidc-and-metadata.md
 * A1–A3). A code is bound to the client, the tenant path it was asked on, the exact redirect URI and the
 * PKCE challenge; it lives about ten minutes and is redeemed once. The checks run in the order a client
 * can act on: unknown, already redeemed (54005), expired (70008), other redirect URI (500112), verifier
 * (501481). One tenant is emulated, so a code cannot be redeemed on another tenant's path (700005).
 */
import { createHash } from 'node:crypto';
import { type EntraError, entraErrors } from './entra-error.ts';
import type { TokenTarget } from './token-target.ts';

export type CodeChallenge = { value: string; method: 'S256' | 'plain' };

export type AuthorizationCodeRecord = {
  code: string;
  clientId: string;
  redirectUri: string;
  challenge: CodeChallenge | undefined;
  nonce: string | undefined;
  /** What the authorize request asked for; the token request may narrow it. */
  target: TokenTarget;
  /** Lower-cased username of the user who signed in. */
  username: string;
  amr: string[];
  /** Epoch ms of the sign-in. */
  authTime: number;
  issuedAt: number;
  expiresAt: number;
  redeemedAt?: number;
};

export type RedeemRequest = {
  code: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string | undefined;
};

export type AuthorizationCodes = {
  issue(
    record: Omit<AuthorizationCodeRecord, 'code' | 'issuedAt' | 'expiresAt' | 'redeemedAt'>,
    lifetimeSeconds: number,
  ): string;
  /** The record, now spent; or the error Entra answers. A failed redemption does not spend the code. */
  redeem(request: RedeemRequest): AuthorizationCodeRecord | EntraError;
};

export function createAuthorizationCodes(options: {
  now: () => number;
  mint: () => string;
}): AuthorizationCodes {
  const records = new Map<string, AuthorizationCodeRecord>();
  const forget = (now: number) => {
    // Spent and expired codes are kept an hour, long enough to answer 54005/70008 instead of "unknown".
    for (const [code, record] of records) if (record.expiresAt + 3_600_000 < now) records.delete(code);
  };

  return {
    issue(record, lifetimeSeconds) {
      const issuedAt = options.now();
      forget(issuedAt);
      const code = options.mint();
      records.set(code, { ...record, code, issuedAt, expiresAt: issuedAt + lifetimeSeconds * 1000 });
      return code;
    },
    redeem(request) {
      const record = records.get(request.code);
      if (!record || record.clientId !== request.clientId.toLowerCase()) return entraErrors.invalidGrant();
      if (record.redeemedAt !== undefined) return entraErrors.authorizationCodeRedeemed();
      const now = options.now();
      if (now >= record.expiresAt) return entraErrors.authorizationCodeExpired();
      if (record.redirectUri !== request.redirectUri)
        return entraErrors.authorizationCodeRedirectMismatch(request.redirectUri, record.redirectUri);
      if (record.challenge && !verifierMatches(record.challenge, request.codeVerifier))
        return entraErrors.codeVerifierMismatch();
      record.redeemedAt = now;
      return record;
    },
  };
}

/** RFC 7636 §4.6: S256 compares base64url(SHA-256(verifier)); plain compares the verifier itself. */
export function verifierMatches(challenge: CodeChallenge, verifier: string | undefined): boolean {
  if (verifier === undefined || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const derived =
    challenge.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === challenge.value;
}
