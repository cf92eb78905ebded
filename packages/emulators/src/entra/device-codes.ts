/**
 * Device-code sign-ins in flight (RFC 8628 as Entra runs it): issued by the devicecode endpoint,
 * approved by a user (here: the control API, the `/devicelogin` page or auto-approval), then redeemed
 * once at the token endpoint. Until approval the token endpoint answers `authorization_pending`; after
 * the code's lifetime, `expired_token`.
 */
import { type EntraError, entraErrors } from './entra-error.ts';
import type { TokenTarget } from './token-target.ts';

export type DeviceCodeApproval = {
  /** Lower-cased username. */
  username: string;
  amr: string[];
  /** Epoch ms. */
  at: number;
};

export type DeviceCodeRecord = {
  deviceCode: string;
  userCode: string;
  clientId: string;
  /** The tenant segment of the devicecode request (a GUID, a domain, `common` or `organizations`). */
  tenant: string;
  version: 'v1' | 'v2';
  target: TokenTarget;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms. */
  expiresAt: number;
  approval?: DeviceCodeApproval;
};

export type ApproveOutcome =
  | { ok: true; record: DeviceCodeRecord }
  | { ok: false; reason: 'unknown_code' | 'expired' | 'already_approved' };

export type DeviceCodes = {
  issue(
    request: Omit<DeviceCodeRecord, 'deviceCode' | 'userCode' | 'issuedAt' | 'expiresAt'>,
    lifetimeSeconds: number,
  ): DeviceCodeRecord;
  approve(userCode: string, approval: DeviceCodeApproval): ApproveOutcome;
  /** Settles a poll: the approved record (consumed), or the error to answer with. */
  redeem(deviceCode: string, clientId: string): DeviceCodeRecord | EntraError;
  /** Codes neither redeemed nor expired. */
  pending(): DeviceCodeRecord[];
};

export function createDeviceCodes(options: {
  now: () => number;
  mintDeviceCode: () => string;
  mintUserCode: () => string;
}): DeviceCodes {
  const byDeviceCode = new Map<string, DeviceCodeRecord>();
  const findByUserCode = (userCode: string) =>
    [...byDeviceCode.values()].find((record) => record.userCode === userCode.trim().toUpperCase());

  return {
    issue(request, lifetimeSeconds) {
      const issuedAt = options.now();
      let userCode = options.mintUserCode();
      while (findByUserCode(userCode)) userCode = options.mintUserCode();
      const record: DeviceCodeRecord = {
        ...request,
        deviceCode: options.mintDeviceCode(),
        userCode,
        issuedAt,
        expiresAt: issuedAt + lifetimeSeconds * 1000,
      };
      byDeviceCode.set(record.deviceCode, record);
      return record;
    },
    approve(userCode, approval) {
      const record = findByUserCode(userCode);
      if (!record) return { ok: false, reason: 'unknown_code' };
      if (options.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
      if (record.approval) return { ok: false, reason: 'already_approved' };
      record.approval = { ...approval, username: approval.username.toLowerCase() };
      return { ok: true, record };
    },
    redeem(deviceCode, clientId) {
      const record = byDeviceCode.get(deviceCode);
      if (!record || record.clientId.toLowerCase() !== clientId.toLowerCase())
        return entraErrors.unknownDeviceCode();
      if (options.now() >= record.expiresAt) {
        byDeviceCode.delete(deviceCode);
        return entraErrors.deviceCodeExpired();
      }
      if (!record.approval) return entraErrors.authorizationPending();
      byDeviceCode.delete(deviceCode);
      return record;
    },
    pending() {
      const now = options.now();
      return [...byDeviceCode.values()].filter((record) => now < record.expiresAt);
    },
  };
}
