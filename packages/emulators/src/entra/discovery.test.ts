import { importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type EntraFixture, startEntra } from './test-support.ts';

const { tenant, clientId, clientSecret } = DEV_CREDENTIALS;

describe('discovery endpoints', () => {
  let entra: EntraFixture;
  beforeAll(async () => {
    entra = await startEntra();
  });
  afterAll(() => entra.close());

  it('serves the v2 OpenID configuration of the tenant with the emulator as issuer host', async () => {
    const response = await entra.getJson(`/${tenant}/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      issuer: `${entra.origin}/${tenant}/v2.0`,
      token_endpoint: `${entra.origin}/${tenant}/oauth2/v2.0/token`,
      authorization_endpoint: `${entra.origin}/${tenant}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${entra.origin}/${tenant}/oauth2/v2.0/devicecode`,
      jwks_uri: `${entra.origin}/${tenant}/discovery/v2.0/keys`,
      tenant_region_scope: 'NA',
    });
  });

  it('answers a verified domain with the tenant id and common with the {tenantid} issuer placeholder', async () => {
    const byDomain = await entra.getJson('/contoso-partner.example/v2.0/.well-known/openid-configuration');
    expect(byDomain.body.token_endpoint).toBe(`${entra.origin}/${tenant}/oauth2/v2.0/token`);

    const common = await entra.getJson('/common/v2.0/.well-known/openid-configuration');
    expect(common.body).toMatchObject({
      issuer: `${entra.origin}/{tenantid}/v2.0`,
      token_endpoint: `${entra.origin}/common/oauth2/v2.0/token`,
      tenant_region_scope: null,
    });
  });

  it('serves the v1 OpenID configuration with the sts.windows.net issuer', async () => {
    const response = await entra.getJson(`/${tenant}/.well-known/openid-configuration`);
    expect(response.body).toMatchObject({
      issuer: `https://sts.windows.net/${tenant}/`,
      token_endpoint: `${entra.origin}/${tenant}/oauth2/token`,
      device_authorization_endpoint: `${entra.origin}/${tenant}/oauth2/devicecode`,
    });
  });

  it('answers an unknown tenant with invalid_tenant AADSTS90002', async () => {
    const response = await entra.getJson('/unknown.example/v2.0/.well-known/openid-configuration');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });

  it('publishes keys that verify the tokens it issues', async () => {
    const keys = await entra.getJson(`/${tenant}/discovery/v2.0/keys`);
    expect(keys.body).toEqual(entra.ctx.tokens.jwks());

    const token = await entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: 'https://api.partner.microsoft.com/.default',
    });
    const [jwk] = keys.body.keys;
    if (!jwk) throw new Error('the JWKS has no key');
    const { payload, protectedHeader } = await jwtVerify(
      token.body.access_token,
      await importJWK(jwk, 'RS256'),
    );
    expect(protectedHeader.kid).toBe(jwk.kid);
    expect(payload.aud).toBe('https://api.partner.microsoft.com');
  });

  it('vouches for its own host in cloud instance discovery and for no other', async () => {
    const host = new URL(entra.origin).host;
    const authorize = encodeURIComponent(`${entra.origin}/${tenant}/oauth2/v2.0/authorize`);
    const response = await entra.getJson(
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      tenant_discovery_endpoint: `${entra.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });

    const other = encodeURIComponent('https://login.example.net/common/oauth2/v2.0/authorize');
    const rejected = await entra.getJson(
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${other}`,
    );
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({ error: 'invalid_instance', error_codes: [50049] });
  });
});
