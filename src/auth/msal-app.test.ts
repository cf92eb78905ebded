import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IssuedCertificate, issueCertificate } from '@referral-connector/emulators';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../test/support/connector-world.ts';
import { useTempDirectory } from '../store/sqlite/test-support.ts';
import { decideFailure } from '../sync/failure-policy.ts';
import { AuthConfigurationError } from './auth-configuration-error.ts';
import { credentialKeysAt } from './credential-keys.ts';
import { type AppRegistration, createMsalApp } from './msal-app.ts';
import { AuthError, createAppTokenProvider } from './token-provider.ts';

const CERT_APP = '77777777-7777-4777-8777-777777777777';
const KEYS = credentialKeysAt('crm.dynamics');

let cw: ConnectorWorld;
let registered: IssuedCertificate;
let stranger: IssuedCertificate;
const tempDirectory = useTempDirectory();

beforeAll(async () => {
  cw = await startConnectorWorld();
  registered = await issueCertificate({ subject: 'CN=referral-connector-dataverse', key: 'rsa-2048' });
  stranger = await issueCertificate({ subject: 'CN=not-on-the-app', key: 'rsa-2048' });
  // The certificate is uploaded to the app registration, as in the Azure portal.
  cw.world.entra.addApp({
    clientId: CERT_APP,
    displayName: 'Dataverse app',
    certificates: [registered.certPem],
  });
});
afterAll(() => cw?.close());

/** A PEM file as operators make them: private key and certificate together. */
function pemFile(...parts: string[]): string {
  const path = join(tempDirectory(), 'app.pem');
  writeFileSync(path, parts.join(''));
  return path;
}

function thumbprints(certificate: IssuedCertificate) {
  const x509 = new X509Certificate(certificate.certPem);
  return { sha1: x509.fingerprint.replaceAll(':', ''), sha256: x509.fingerprint256.replaceAll(':', '') };
}

function certificateApp(registration: Partial<AppRegistration>) {
  return createMsalApp(
    {
      authorityHost: cw.world.urls.entra,
      tenantId: cw.world.credentials.tenant,
      clientId: CERT_APP,
      configKeys: KEYS,
      ...registration,
    },
    cw.http('entra'),
  );
}

const tokenOf = (registration: Partial<AppRegistration>) =>
  createAppTokenProvider(certificateApp(registration), cw.world.dataverseOrgUrl, {
    credentialKeys: KEYS,
  }).token();

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('certificate sign-in to Entra', () => {
  it('signs in with a SHA-1 thumbprint (40 hex digits), as the portal shows it', async () => {
    const token = await tokenOf({
      certificateFile: pemFile(registered.keyPem, registered.certPem),
      certificateThumbprint: thumbprints(registered).sha1,
    });
    expect(decodeJwt(token)).toMatchObject({ appid: CERT_APP, appidacr: '2' });
  });

  it('signs in with a SHA-256 thumbprint (64 hex digits), in lower case with colons', async () => {
    const colons = (thumbprints(registered).sha256.toLowerCase().match(/../g) ?? []).join(':');
    const token = await tokenOf({
      certificateFile: pemFile(registered.certPem, registered.keyPem),
      certificateThumbprint: colons,
    });
    expect(decodeJwt(token)).toMatchObject({ appid: CERT_APP, appidacr: '2' });
  });

  it('computes the thumbprint from the certificate file when none is configured', async () => {
    const token = await tokenOf({ certificateFile: pemFile(registered.keyPem, registered.certPem) });
    expect(decodeJwt(token)).toMatchObject({ appid: CERT_APP, appidacr: '2' });
  });

  it('signs in with a key-only file when the thumbprint is configured', async () => {
    const token = await tokenOf({
      certificateFile: pemFile(registered.keyPem),
      certificateThumbprint: thumbprints(registered).sha256,
    });
    expect(decodeJwt(token)).toMatchObject({ appidacr: '2' });
  });

  it('refuses, before asking Entra, a thumbprint that is not the file certificate’s', () => {
    const failure = (() => {
      try {
        certificateApp({
          certificateFile: pemFile(registered.keyPem, registered.certPem),
          certificateThumbprint: thumbprints(stranger).sha1,
        });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(AuthConfigurationError);
    expect((failure as AuthConfigurationError).message).toContain('crm.dynamics.certificateThumbprint');
  });

  it.each([
    [
      'a thumbprint of neither length',
      { certificateThumbprint: 'ABCDEF' },
      'crm.dynamics.certificateThumbprint',
    ],
    ['a key-only file without a thumbprint', { keyOnly: true }, 'crm.dynamics.certificateFile'],
    ['a file without a private key', { certificateOnly: true }, 'crm.dynamics.certificateFile'],
  ])('refuses %s, naming the key', (_case, shape, key) => {
    const parts =
      'keyOnly' in shape
        ? [registered.keyPem]
        : 'certificateOnly' in shape
          ? [registered.certPem]
          : [registered.keyPem, registered.certPem];
    const thumbprint =
      'certificateThumbprint' in shape ? { certificateThumbprint: shape.certificateThumbprint } : {};
    expect(() => certificateApp({ certificateFile: pemFile(...parts), ...thumbprint })).toThrow(key);
  });
});

describe('a credential Entra refuses', () => {
  it('is a configuration error naming the certificate keys, dead-lettered at once', async () => {
    const failure = await rejection(tokenOf({ certificateFile: pemFile(stranger.keyPem, stranger.certPem) }));

    expect(failure).toBeInstanceOf(AuthError);
    expect(failure).toMatchObject({
      code: 'credential_rejected',
      entraCode: 700027,
      configKeys: ['crm.dynamics.certificateFile', 'crm.dynamics.certificateThumbprint'],
    });
    expect((failure as Error).message).toContain('crm.dynamics.certificateFile');
    expect(decideFailure(failure, Date.now())).toMatchObject({
      action: 'dead_letter',
      error: { code: 'credential_rejected' },
    });
  });

  it('names the client secret key for a wrong secret (AADSTS7000215), without the secret', async () => {
    const secret = 'not-the-secret-value~123';
    const failure = await rejection(
      createAppTokenProvider(
        createMsalApp({ ...cw.registration, clientSecret: secret, configKeys: KEYS }, cw.http('entra')),
        cw.world.dataverseOrgUrl,
        { credentialKeys: KEYS },
      ).token(),
    );

    expect(failure).toMatchObject({
      code: 'credential_rejected',
      entraCode: 7000215,
      configKeys: ['crm.dynamics.clientSecret'],
    });
    expect((failure as Error).message).toContain('crm.dynamics.clientSecret');
    expect((failure as Error).message).not.toContain(secret);
    expect(decideFailure(failure, Date.now())).toMatchObject({ action: 'dead_letter' });
  });

  it('names the client id for an app the tenant does not have (AADSTS700016)', async () => {
    const failure = await rejection(
      createAppTokenProvider(
        createMsalApp(
          { ...cw.registration, clientId: '00000000-0000-4000-8000-0000000000aa', configKeys: KEYS },
          cw.http('entra'),
        ),
        cw.world.dataverseOrgUrl,
        { credentialKeys: KEYS },
      ).token(),
    );
    expect(failure).toMatchObject({
      code: 'credential_rejected',
      entraCode: 700016,
      configKeys: ['crm.dynamics.clientId', 'crm.dynamics.tenantId'],
    });
  });
});
