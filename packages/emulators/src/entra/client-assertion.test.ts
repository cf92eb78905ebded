import { ConfidentialClientApplication } from '@azure/msal-node';
import { importPKCS8, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';
import { type IssuedCertificate, issueCertificate } from '../shared/certificates.ts';
import { describeCertificate, JWT_BEARER_ASSERTION } from './client-assertion.ts';
import { createMsalNetworkClient, type EntraFixture, jwtPayload, startEntra } from './test-support.ts';

const { tenant } = DEV_CREDENTIALS;
const CERT_APP = '66666666-6666-4666-8666-666666666666';
const PARTNER_CENTER = 'https://api.partner.microsoft.com';

describe('certificate credentials (client assertions)', () => {
  let entra: EntraFixture;
  let registered: IssuedCertificate;
  let stranger: IssuedCertificate;
  beforeAll(async () => {
    entra = await startEntra();
    registered = await issueCertificate({ subject: 'CN=referral-connector', key: 'rsa-2048' });
    stranger = await issueCertificate({ subject: 'CN=someone-else', key: 'rsa-2048' });
    entra.state.addApp({
      clientId: CERT_APP,
      displayName: 'Certificate app',
      certificates: [registered.certPem],
    });
  });
  afterAll(() => entra.close());

  const tokenEndpoint = () => `${entra.origin}/${tenant}/oauth2/v2.0/token`;

  async function assertion(
    certificate: IssuedCertificate,
    claims: JWTPayload = {},
    options: { alg?: string; expiresIn?: number; header?: Record<string, string> } = {},
  ): Promise<string> {
    const now = Math.floor(entra.clock.now() / 1000);
    const thumbprint = Buffer.from(describeCertificate(certificate.certPem).thumbprintSha256, 'hex');
    const alg = options.alg ?? 'PS256';
    const named = options.header ?? { 'x5t#S256': thumbprint.toString('base64url') };
    return new SignJWT({
      aud: tokenEndpoint(),
      iss: CERT_APP,
      sub: CERT_APP,
      jti: crypto.randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg, typ: 'JWT', ...named })
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + (options.expiresIn ?? 600))
      .sign(await importPKCS8(certificate.keyPem, alg));
  }

  const redeem = (clientAssertion: string, extra: Record<string, string> = {}) =>
    entra.postForm(`/${tenant}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: CERT_APP,
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: clientAssertion,
      scope: `${PARTNER_CENTER}/.default`,
      ...extra,
    });

  it('lets msal-node sign in with a certificate and marks the token appidacr 2', async () => {
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: CERT_APP,
        authority: `${entra.origin}/${tenant}`,
        knownAuthorities: [new URL(entra.origin).host],
        clientCertificate: {
          thumbprintSha256: describeCertificate(registered.certPem).thumbprintSha256,
          privateKey: registered.keyPem,
        },
      },
      system: { networkClient: createMsalNetworkClient(entra.agent) },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: [`${PARTNER_CENTER}/.default`] });
    expect(jwtPayload(result?.accessToken ?? '')).toMatchObject({
      appid: CERT_APP,
      appidacr: '2',
      idtyp: 'app',
    });
  });

  it('accepts an RS256 assertion named by SHA-256 thumbprint', async () => {
    const response = await redeem(await assertion(registered, {}, { alg: 'RS256' }));
    expect(response.status).toBe(200);
  });

  it('accepts an RS256 assertion named by SHA-1 thumbprint (x5t)', async () => {
    const sha1 = Buffer.from(describeCertificate(registered.certPem).thumbprintSha1, 'hex');
    const response = await redeem(
      await assertion(registered, {}, { alg: 'RS256', header: { x5t: sha1.toString('base64url') } }),
    );
    expect(response.status).toBe(200);
  });

  it('does not find the key when x5t#S256 carries the SHA-1 thumbprint (AADSTS700027)', async () => {
    // What msal-node sends when a SHA-1 thumbprint is configured as `thumbprintSha256`.
    const sha1 = Buffer.from(describeCertificate(registered.certPem).thumbprintSha1, 'hex');
    const response = await redeem(
      await assertion(registered, {}, { header: { 'x5t#S256': sha1.toString('base64url') } }),
    );
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(response.body.error_description).toContain('The key was not found.');
  });

  it('does not find the key when the header names no thumbprint (AADSTS700027)', async () => {
    const response = await redeem(await assertion(registered, {}, { header: {} }));
    expect(response.status).toBe(401);
    expect(response.body.error_codes).toEqual([700027]);
  });

  it('rejects an assertion signed with a certificate the app does not have (AADSTS700027)', async () => {
    const response = await redeem(await assertion(stranger));
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(response.body.error_description).toContain('The key was not found.');
  });

  it('rejects an assertion for another audience (AADSTS700027)', async () => {
    const response = await redeem(await assertion(registered, { aud: 'https://login.example.net/token' }));
    expect(response.status).toBe(401);
    expect(response.body.error_codes).toEqual([700027]);
  });

  it('rejects an assertion issued for another client (AADSTS700021)', async () => {
    const response = await redeem(await assertion(registered, { iss: DEV_CREDENTIALS.clientId }));
    expect(response.status).toBe(401);
    expect(response.body.error_codes).toEqual([700021]);
  });

  it('rejects an assertion past its expiry and the five-minute skew (AADSTS700024)', async () => {
    const stale = await assertion(registered, {}, { expiresIn: 60 });
    entra.clock.advance(361_000 + 1000);
    const response = await redeem(stale);
    expect(response.status).toBe(401);
    expect(response.body.error_codes).toEqual([700024]);
  });

  it('asks for client_assertion_type when it is missing', async () => {
    const response = await redeem(await assertion(registered), { client_assertion_type: '' });
    expect(response.status).toBe(400);
    expect(response.body.error_codes).toEqual([900144]);
  });
});
