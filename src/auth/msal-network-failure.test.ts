/**
 * msal says only `endpoints_resolution_error` when it cannot reach Entra; the connector words it with
 * the URL, the reason and the fix, and keeps msal's error (and the socket's under it) as the cause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../test/support/connector-world.ts';
import { createHttpClient, TransportError } from '../net/http-client.ts';
import { loginWithDeviceCode } from './device-code-login.ts';
import { createMsalApp, createMsalPublicApp } from './msal-app.ts';
import { AuthError, createAppTokenProvider } from './token-provider.ts';

let cw: ConnectorWorld;
beforeAll(async () => {
  cw = await startConnectorWorld({ seed: 'msal-network-failure' });
});
afterAll(() => cw?.close());

async function failureOf(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

const NO_CACHE = { beforeCacheAccess: async () => {}, afterCacheAccess: async () => {} };

describe('an Entra sign-in host the connector cannot reach', () => {
  it('is worded with the metadata URL, the untrusted certificate and tls.extraCaFile, msal kept as cause', async () => {
    // A client without the emulators' CA: what a trust file missing the CA (or glued badly) gave.
    const http = createHttpClient({ remote: 'entra' });
    try {
      const app = createMsalApp(cw.registration, http);
      const failure = await failureOf(
        createAppTokenProvider(app, 'https://api.partnercenter.microsoft.com').token(),
      );
      const metadata = `${cw.world.urls.entra}/${cw.world.credentials.tenant}/v2.0/.well-known/openid-configuration`;
      expect(failure.message).toBe(
        `token for https://api.partnercenter.microsoft.com failed: msal could not reach Entra ID (endpoints_resolution_error): ` +
          `${metadata}: localhost's certificate is signed by a CA this machine does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE); ` +
          'if a private CA or a TLS-inspecting proxy signs it, put that CA (PEM) in `tls.extraCaFile`; `referral-connector doctor` checks the file',
      );
      expect(failure.fix).toContain('tls.extraCaFile');
      const msalError = failure.cause as { errorCode?: string; cause?: unknown };
      expect(msalError.errorCode).toBe('endpoints_resolution_error');
      expect(msalError.cause).toBeInstanceOf(TransportError);
      expect((msalError.cause as TransportError).detail).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      await http.close();
    }
  });

  it('is worded the same for a device code sign-in (`auth login`)', async () => {
    const http = createHttpClient({ remote: 'entra' });
    try {
      const app = createMsalPublicApp(cw.registration, http, NO_CACHE);
      const failure = await failureOf(
        loginWithDeviceCode(app, 'https://api.partner.microsoft.com', () => {}),
      );
      expect(failure.message).toContain('(UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
      expect(failure.message).toContain('/v2.0/.well-known/openid-configuration');
    } finally {
      await http.close();
    }
  });

  it('names a host that does not resolve, and the key holding it', async () => {
    const app = createMsalApp(
      { ...cw.registration, authorityHost: 'https://login.no-such-host.invalid' },
      cw.http('entra'),
    );
    const failure = await failureOf(
      createAppTokenProvider(app, 'https://api.partnercenter.microsoft.com').token(),
    );
    expect(failure.message).toContain(
      'https://login.no-such-host.invalid/8f3c2a10-5d4e-4b7a-9c21-6e0d1f2a3b4c/v2.0/.well-known/openid-configuration: the host name login.no-such-host.invalid does not resolve',
    );
    expect(failure.fix).toBe(
      "check `entra.authorityHost` for a typo, and this machine's DNS or proxy settings",
    );
  });

  it('names the metadata answer when the tenant is unknown there', async () => {
    const app = createMsalApp({ ...cw.registration, tenantId: 'not-a-tenant.example' }, cw.http('entra'));
    const failure = await failureOf(
      createAppTokenProvider(app, 'https://api.partnercenter.microsoft.com').token(),
    );
    expect(failure.message).toContain(
      '/not-a-tenant.example/v2.0/.well-known/openid-configuration answered 400',
    );
  });
});
