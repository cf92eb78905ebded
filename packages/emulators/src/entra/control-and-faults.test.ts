import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type EntraFixture, jwtPayload, startEntra } from './test-support.ts';

const { tenant, clientId, clientSecret } = DEV_CREDENTIALS;
const PARTNER_CENTER = 'https://api.partner.microsoft.com';
const v2Token = `/${tenant}/oauth2/v2.0/token`;

describe('control API, lifetimes and injected faults', () => {
  let entra: EntraFixture;
  beforeAll(async () => {
    entra = await startEntra();
  });
  afterAll(() => entra.close());

  const clientCredentials = (scope = `${PARTNER_CENTER}/.default`) =>
    entra.postForm(v2Token, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope,
    });

  it('issues tokens that resource servers reject once their short lifetime has passed', async () => {
    const settings = await entra.control('PATCH', '/settings', { tokenLifetimeSeconds: 60 });
    expect(settings.status).toBe(200);
    expect(settings.body.tokenLifetimeSeconds).toBe(60);

    const token = await clientCredentials();
    expect(token.body.expires_in).toBe(60);
    const claims = jwtPayload(token.body.access_token);
    expect(Number(claims.exp) - Math.floor(entra.clock.now() / 1000)).toBeLessThanOrEqual(60);

    expect((await entra.ctx.tokens.check(`Bearer ${token.body.access_token}`, PARTNER_CENTER)).ok).toBe(true);
    entra.clock.advance(61_000);
    expect(await entra.ctx.tokens.check(`Bearer ${token.body.access_token}`, PARTNER_CENTER)).toEqual({
      ok: false,
      reason: 'expired',
    });
    entra.state.setTokenLifetime(3600);
  });

  it('adds an app, a user and a resource at runtime and issues tokens with them', async () => {
    const app = await entra.control('POST', '/apps', {
      clientId: '55555555-5555-4555-8555-555555555555',
      displayName: 'Second connector',
      secret: 'second-secret',
      appRoles: { 'https://contoso.crm4.dynamics.com': ['Leads.ReadWrite'] },
    });
    expect(app.status).toBe(201);
    expect(app.body).toMatchObject({ clientId: '55555555-5555-4555-8555-555555555555', secretCount: 1 });
    expect(JSON.stringify(app.body)).not.toContain('second-secret');

    const resource = await entra.control('POST', '/resources', {
      audience: 'https://contoso.crm4.dynamics.com/',
    });
    expect(resource.status).toBe(201);
    const user = await entra.control('POST', '/users', {
      username: 'seller@contoso-partner.example',
      password: 'pw-1',
    });
    expect(user.status).toBe(201);
    expect(user.body.password).toBeUndefined();

    const appToken = await entra.postForm(v2Token, {
      grant_type: 'client_credentials',
      client_id: '55555555-5555-4555-8555-555555555555',
      client_secret: 'second-secret',
      scope: 'https://contoso.crm4.dynamics.com//.default',
    });
    expect(appToken.status).toBe(200);
    expect(jwtPayload(appToken.body.access_token)).toMatchObject({
      aud: 'https://contoso.crm4.dynamics.com',
      roles: ['Leads.ReadWrite'],
    });

    const userToken = await entra.postForm(v2Token, {
      grant_type: 'password',
      client_id: clientId,
      scope: 'https://contoso.crm4.dynamics.com/user_impersonation',
      username: 'seller@contoso-partner.example',
      password: 'pw-1',
    });
    expect(userToken.status).toBe(200);
    expect(jwtPayload(userToken.body.access_token).upn).toBe('seller@contoso-partner.example');
  });

  it('shows the tenant without passwords or secrets', async () => {
    const state = await entra.control('GET', '/state');
    expect(state.status).toBe(200);
    expect(state.body.tenantId).toBe(tenant);
    const text = JSON.stringify(state.body);
    expect(text).not.toContain(clientSecret);
    expect(text).not.toContain(DEV_CREDENTIALS.password);
  });

  it('rejects a bad control body with a 400 naming the field', async () => {
    const response = await entra.control('POST', '/users', { username: 'x@y.example' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_body');
    expect(response.body.error.message).toContain('password');
  });

  it('renders an injected 429 in Entra format with Retry-After and counts it', async () => {
    entra.ctx.traffic.setFaults({ entra: { '429': 1, retryAfterSeconds: 7 } });
    try {
      const response = await clientCredentials();
      expect(response.status).toBe(429);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.body).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90055] });
    } finally {
      entra.ctx.traffic.setFaults({});
    }
    const counters = entra.ctx.traffic.counters().entra;
    expect(counters.injected['429']).toBe(1);
    expect(counters.byEndpoint['POST /:tenant/oauth2/v2.0/token']?.byStatus['429']).toBe(1);
  });

  it('renders an injected 5xx in Entra format', async () => {
    entra.ctx.traffic.setFaults({
      entra: { endpoints: { 'POST /:tenant/oauth2/v2.0/token': { '5xx': 1 } } },
    });
    try {
      const response = await clientCredentials();
      expect([500, 503]).toContain(response.status);
      expect(response.body).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] });
    } finally {
      entra.ctx.traffic.setFaults({});
    }
  });
});
