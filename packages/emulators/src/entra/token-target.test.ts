import { describe, expect, it } from 'vitest';
import { EntraError } from './entra-error.ts';
import { parseV1Resource, parseV2Scope } from './token-target.ts';

describe('parseV2Scope', () => {
  it('reads a resource permission alongside the OpenID scopes MSAL adds', () => {
    expect(
      parseV2Scope('https://api.partner.microsoft.com/user_impersonation openid profile offline_access'),
    ).toEqual({
      resource: 'https://api.partner.microsoft.com',
      permissions: ['user_impersonation'],
      openid: true,
      profile: true,
      email: false,
      offlineAccess: true,
    });
  });

  it('treats the double slash of an org URL with a trailing slash as the same resource', () => {
    const target = parseV2Scope('https://contoso.crm4.dynamics.com//.default');
    expect(target).toMatchObject({
      resource: 'https://contoso.crm4.dynamics.com',
      permissions: ['.default'],
    });
  });

  it('sends bare permission names to Microsoft Graph', () => {
    expect(parseV2Scope('User.Read openid')).toMatchObject({
      resource: 'https://graph.microsoft.com',
      permissions: ['User.Read'],
    });
  });

  it('leaves the resource open when only OpenID scopes are asked for', () => {
    expect(parseV2Scope('openid offline_access')).toMatchObject({ resource: undefined, permissions: [] });
  });

  it('rejects two resources in one request with AADSTS28000', () => {
    const result = parseV2Scope(
      'https://api.partner.microsoft.com/.default https://contoso.crm.dynamics.com/.default',
    );
    expect(result).toBeInstanceOf(EntraError);
    expect((result as EntraError).code).toBe(28000);
  });

  it('asks for the scope parameter when it holds only whitespace', () => {
    expect((parseV2Scope('   ') as EntraError).code).toBe(900144);
  });
});

describe('parseV1Resource', () => {
  it('grants the resource as .default and reads openid from scope', () => {
    expect(parseV1Resource('https://api.partner.microsoft.com/', 'openid')).toEqual({
      resource: 'https://api.partner.microsoft.com',
      resourceAsSent: 'https://api.partner.microsoft.com/',
      permissions: ['.default'],
      openid: true,
      profile: false,
      email: false,
      offlineAccess: true,
    });
  });
});
