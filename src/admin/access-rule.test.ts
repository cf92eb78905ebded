import { describe, expect, it } from 'vitest';
import { type AccessRule, decideAccess } from './access-rule.ts';

const TENANT = '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091';
const rule: AccessRule = {
  tenantId: TENANT,
  clientId: 'console-app',
  issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  allowedUsers: ['Dana@Contoso.example', '8a9b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d'],
  allowedRole: 'Console.Operator',
};
const now = 1_767_225_600;
const claims = {
  aud: 'console-app',
  iss: rule.issuer,
  tid: TENANT,
  exp: now + 3600,
  nbf: now,
  nonce: 'n-1',
  oid: '11111111-2222-4333-8444-555555555555',
  preferred_username: 'someone@contoso.example',
};
const decide = (changes: Record<string, unknown>, overrides: Partial<AccessRule> = {}) =>
  decideAccess({ ...claims, ...changes }, { ...rule, ...overrides }, { nonce: 'n-1', nowSeconds: now });

describe('who may enter the console with Microsoft', () => {
  it('lets in a listed UPN (any case), a listed object id, or a holder of the role', () => {
    expect(decide({ preferred_username: 'dana@contoso.example' })).toMatchObject({
      ok: true,
      user: { name: 'dana@contoso.example', via: 'microsoft' },
    });
    expect(decide({ oid: '8A9B0C1D-2E3F-4A5B-8C6D-7E8F9A0B1C2D' }).ok).toBe(true);
    expect(decide({ roles: ['Console.Operator'] }).ok).toBe(true);
  });

  it('refuses everyone else in the tenant, and a role when no role is configured', () => {
    expect(decide({})).toEqual({ ok: false, reason: 'not_allowed' });
    expect(decide({ roles: ['Console.Reader'] })).toEqual({ ok: false, reason: 'not_allowed' });
    expect(decide({ roles: ['Console.Operator'] }, { allowedRole: undefined })).toEqual({
      ok: false,
      reason: 'not_allowed',
    });
  });

  it('refuses a token for another app, tenant or issuer, an expired one, and another sign-in’s nonce', () => {
    const listed = { preferred_username: 'dana@contoso.example' };
    expect(decide({ ...listed, aud: 'other-app' })).toEqual({ ok: false, reason: 'wrong_audience' });
    expect(decide({ ...listed, tid: 'another-tenant' })).toEqual({ ok: false, reason: 'wrong_tenant' });
    expect(decide({ ...listed, iss: 'https://sts.windows.net/x/' })).toEqual({
      ok: false,
      reason: 'wrong_issuer',
    });
    expect(decide({ ...listed, exp: now - 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(decide({ ...listed, nonce: 'n-2' })).toEqual({ ok: false, reason: 'nonce_mismatch' });
    expect(decide({ ...listed, nonce: undefined })).toEqual({ ok: false, reason: 'nonce_mismatch' });
  });
});
