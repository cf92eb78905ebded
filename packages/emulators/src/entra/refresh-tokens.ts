/**
 * Refresh tokens the emulator handed out. Like Entra's, they are opaque, bound to one client and one
 * user, usable for any resource (multi-resource refresh tokens), and expire after a window of
 * inactivity. Redeeming one returns a new one that keeps the original sign-in's methods (`amr`) and
 * time; the redeemed one stays valid until it expires or is revoked, as on the real service.
 */
import { type EntraError, entraErrors } from './entra-error.ts';

export type RefreshTokenRecord = {
  token: string;
  clientId: string;
  tenantId: string;
  /** Lower-cased username of the signed-in user. */
  username: string;
  /** Methods of the original sign-in, carried across every rotation. */
  amr: string[];
  /** Epoch ms of the original sign-in. */
  authTime: number;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms; a redemption after this is AADSTS700082. */
  expiresAt: number;
  /** Epoch ms of the revocation that invalidated it (AADSTS50173). */
  revokedAt?: number;
};

export type RefreshTokens = {
  issue(
    record: Omit<RefreshTokenRecord, 'token' | 'issuedAt' | 'expiresAt'>,
    lifetimeSeconds: number,
  ): string;
  /** Finds a token that may be redeemed by `clientId` now, or the error Entra would answer. */
  redeemable(token: string, clientId: string): RefreshTokenRecord | EntraError;
  /** Revokes every live token of a user; returns how many were live. */
  revokeUser(username: string): number;
  list(): RefreshTokenRecord[];
};

export function createRefreshTokens(options: { now: () => number; mint: () => string }): RefreshTokens {
  const records = new Map<string, RefreshTokenRecord>();

  return {
    issue(record, lifetimeSeconds) {
      const token = options.mint();
      const issuedAt = options.now();
      records.set(token, { ...record, token, issuedAt, expiresAt: issuedAt + lifetimeSeconds * 1000 });
      return token;
    },
    redeemable(token, clientId) {
      const record = records.get(token);
      if (!record || record.clientId.toLowerCase() !== clientId.toLowerCase())
        return entraErrors.invalidGrant();
      if (record.revokedAt !== undefined) {
        return entraErrors.refreshTokenRevoked(new Date(record.issuedAt), new Date(record.revokedAt));
      }
      const now = options.now();
      if (now >= record.expiresAt) {
        return entraErrors.refreshTokenExpired(new Date(record.issuedAt), (now - record.issuedAt) / 1000);
      }
      return record;
    },
    revokeUser(username) {
      const now = options.now();
      let revoked = 0;
      for (const record of records.values()) {
        if (record.username !== username.toLowerCase() || record.revokedAt !== undefined) continue;
        if (now >= record.expiresAt) continue;
        record.revokedAt = now;
        revoked += 1;
      }
      return revoked;
    },
    list: () => [...records.values()].map((record) => ({ ...record, amr: [...record.amr] })),
  };
}
