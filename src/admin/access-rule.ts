/**
 * Who may enter the console after Sign in with Microsoft (spec entra-oidc-and-metadata.md A4, A5, A7):
 * the id_token must be for this app, from the configured tenant, current, and carry this sign-in's nonce
 * (msal-node checks only the nonce); then the user must be listed (object id or UPN) or hold the role.
 * Pure.
 */
import type { ConsoleUser } from './session-registry.ts';

export type AccessRule = {
  tenantId: string;
  clientId: string;
  /** `${authorityHost}/${tenantId}/v2.0`. */
  issuer: string;
  /** Object ids or user principal names, compared case-insensitively. */
  allowedUsers: readonly string[];
  allowedRole: string | undefined;
};

export type AccessRefusal =
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'wrong_tenant'
  | 'expired'
  | 'nonce_mismatch'
  | 'not_allowed';

export type AccessDecision = { ok: true; user: ConsoleUser } | { ok: false; reason: AccessRefusal };

/** Clock skew tolerated on `exp` and `nbf`. */
const SKEW_SECONDS = 300;

export function decideAccess(
  claims: Record<string, unknown>,
  rule: AccessRule,
  sign: { nonce: string; nowSeconds: number },
): AccessDecision {
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  const number = (name: string) => (typeof claims[name] === 'number' ? (claims[name] as number) : undefined);
  if (text('aud') !== rule.clientId) return { ok: false, reason: 'wrong_audience' };
  if (text('tid')?.toLowerCase() !== rule.tenantId.toLowerCase())
    return { ok: false, reason: 'wrong_tenant' };
  if (text('iss') !== rule.issuer) return { ok: false, reason: 'wrong_issuer' };
  const exp = number('exp');
  const nbf = number('nbf');
  if (exp === undefined || exp + SKEW_SECONDS < sign.nowSeconds) return { ok: false, reason: 'expired' };
  if (nbf !== undefined && nbf - SKEW_SECONDS > sign.nowSeconds) return { ok: false, reason: 'expired' };
  if (text('nonce') !== sign.nonce) return { ok: false, reason: 'nonce_mismatch' };

  const oid = text('oid');
  const upn = text('preferred_username') ?? text('upn');
  const listed = new Set(rule.allowedUsers.map((entry) => entry.trim().toLowerCase()));
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((role) => typeof role === 'string') : [];
  const allowed =
    (oid !== undefined && listed.has(oid.toLowerCase())) ||
    (upn !== undefined && listed.has(upn.toLowerCase())) ||
    (rule.allowedRole !== undefined && roles.includes(rule.allowedRole));
  if (!allowed || oid === undefined) return { ok: false, reason: 'not_allowed' };
  return { ok: true, user: { name: upn ?? oid, via: 'microsoft', objectId: oid } };
}
