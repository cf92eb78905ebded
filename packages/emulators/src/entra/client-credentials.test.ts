import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type EntraFixture, jwtPayload, startEntra } from './test-support.ts';

const { tenant, clientId, clientSecret } = DEV_CREDENTIALS;
const PARTNER_CENTER = 'https://api.partner.microsoft.com';
const v2Token = `/${tenant}/oauth2/v2.0/token`;
const v1Token = `/${tenant}/oauth2/token`;

describe('client credentials', () => {
  let entra: EntraFixture;
  beforeAll(async () => {
    entra = await startEntra({
      apps: [
        {
          clientId,
          secret: clientSecret,
          displayName: 'Referral Connector',
          appRoles: { [PARTNER_CENTER]: ['Referrals.Read.All'] },
        },
      ],
    });
    entra.state.addResource({
      audience: 'https://contoso.crm4.dynamics.com',
      delegatedScopes: ['user_impersonation'],
    });
  });
  afterAll(() => entra.close());

  it('answers v2 with a numeric expires_in and an app-only token for the resource', async () => {
    const response = await entra.postForm(v2Token, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: `${PARTNER_CENTER}/.default`,
    });

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store, no-cache');
    expect(Object.keys(response.body).sort()).toEqual([
      'access_token',
      'expires_in',
      'ext_expires_in',
      'token_type',
    ]);
    expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 });
    const check = await entra.ctx.tokens.check(`Bearer ${response.body.access_token}`, PARTNER_CENTER);
    expect(check.ok).toBe(true);
    expect(jwtPayload(response.body.access_token)).toMatchObject({
      aud: PARTNER_CENTER,
      iss: `https://sts.windows.net/${tenant}/`,
      tid: tenant,
      appid: clientId,
      appidacr: '1',
      idtyp: 'app',
      roles: ['Referrals.Read.All'],
      ver: '1.0',
    });
    const claims = jwtPayload(response.body.access_token);
    expect(claims.oid).toBe(claims.sub);
    expect(claims.scp).toBeUndefined();
  });

  it('answers v1 with numbers as strings, expires_on, not_before and the resource', async () => {
    const response = await entra.postForm(v1Token, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      resource: 'https://contoso.crm4.dynamics.com/',
    });

    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: '3600',
      ext_expires_in: '3600',
      resource: 'https://contoso.crm4.dynamics.com/',
    });
    expect(body.expires_on).toMatch(/^\d+$/);
    expect(body.not_before).toMatch(/^\d+$/);
    expect(body.refresh_token).toBeUndefined();
    const claims = jwtPayload(body.access_token);
    expect(claims).toMatchObject({ aud: 'https://contoso.crm4.dynamics.com', roles: [], idtyp: 'app' });
    expect(String(claims.exp)).toBe(body.expires_on);
  });

  it('accepts the secret in an HTTP Basic header', async () => {
    const basic = Buffer.from(`${clientId}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const response = await entra.postForm(
      v2Token,
      { grant_type: 'client_credentials', scope: `${PARTNER_CENTER}/.default` },
      { authorization: `Basic ${basic}` },
    );
    expect(response.status).toBe(200);
  });

  it('rejects a wrong secret with 401 invalid_client AADSTS7000215 in Entra error format', async () => {
    const response = await entra.postForm(
      v2Token,
      {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: 'not-the-secret',
        scope: `${PARTNER_CENTER}/.default`,
      },
      { 'client-request-id': '5fc87507-4086-4e77-b415-cee677eb232e' },
    );

    expect(response.status).toBe(401);
    const body = response.body;
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([7000215]);
    expect(body.correlation_id).toBe('5fc87507-4086-4e77-b415-cee677eb232e');
    expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
    expect(body.error_description).toBe(
      [
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        `Trace ID: ${body.trace_id}`,
        'Correlation ID: 5fc87507-4086-4e77-b415-cee677eb232e',
        `Timestamp: ${body.timestamp}`,
      ].join('\r\n'),
    );
    expect(body.error_uri).toBe(`${entra.origin}/error?code=7000215`);
    expect(response.headers['x-ms-request-id']).toBe(body.trace_id);
    expect(JSON.stringify(body)).not.toContain('not-the-secret');
  });

  it('answers each misconfiguration with its real AADSTS code', async () => {
    const base = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
    const cases: Array<[string, Record<string, string>, number, string, number]> = [
      [
        v2Token,
        { ...base, client_id: '11111111-1111-1111-1111-111111111111', scope: `${PARTNER_CENTER}/.default` },
        400,
        'unauthorized_client',
        700016,
      ],
      [v2Token, { ...base, scope: 'https://unknown.example.com/.default' }, 400, 'invalid_resource', 500011],
      [v2Token, { ...base, scope: `${PARTNER_CENTER}/user_impersonation` }, 400, 'invalid_scope', 1002012],
      [
        v2Token,
        { ...base, scope: `${PARTNER_CENTER}/.default https://contoso.crm4.dynamics.com/.default` },
        400,
        'invalid_scope',
        28000,
      ],
      [v2Token, { ...base }, 400, 'invalid_request', 900144],
      [v1Token, { ...base }, 400, 'invalid_request', 900144],
      [
        v2Token,
        { ...base, client_secret: '', scope: `${PARTNER_CENTER}/.default` },
        401,
        'invalid_client',
        7000218,
      ],
      [
        '/common/oauth2/v2.0/token',
        { ...base, scope: `${PARTNER_CENTER}/.default` },
        400,
        'invalid_request',
        50059,
      ],
      [
        '/not-a-tenant.example/oauth2/v2.0/token',
        { ...base, scope: `${PARTNER_CENTER}/.default` },
        400,
        'invalid_request',
        90002,
      ],
      [
        v2Token,
        { ...base, grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' },
        400,
        'unsupported_grant_type',
        70003,
      ],
      [
        v2Token,
        {
          ...base,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: 'not-a-jwt',
          scope: `${PARTNER_CENTER}/.default`,
        },
        401,
        'invalid_client',
        700027,
      ],
    ];
    for (const [path, form, status, error, code] of cases) {
      const response = await entra.postForm(path, form);
      expect({
        path,
        code: response.body.error_codes?.[0],
        status: response.status,
        error: response.body.error,
      }).toEqual({
        path,
        code,
        status,
        error,
      });
    }
  });

  it('reads a JSON body as an empty form and asks for grant_type', async () => {
    const response = await entra.postForm(v2Token, {}, { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(response.body.error_description).toMatch(/^AADSTS900144: .*'grant_type'/);
  });

  it('rejects a secret that has expired with AADSTS7000222', async () => {
    entra.state.addApp({
      clientId: '22222222-2222-4222-8222-222222222222',
      secrets: [{ value: 'old-secret', expiresAt: entra.clock.now() - 1000 }],
    });
    const response = await entra.postForm(v2Token, {
      grant_type: 'client_credentials',
      client_id: '22222222-2222-4222-8222-222222222222',
      client_secret: 'old-secret',
      scope: `${PARTNER_CENTER}/.default`,
    });
    expect(response.status).toBe(401);
    expect(response.body.error_codes).toEqual([7000222]);
  });
});
