/**
 * Builds the msal-node applications for an Entra app registration. All token traffic goes through our
 * HTTP client; a non-Microsoft authority host (an emulator, a sovereign cloud) is declared a known
 * authority so msal does not ask login.microsoftonline.com to discover it.
 */
import {
  ConfidentialClientApplication,
  type ICachePlugin,
  LogLevel,
  PublicClientApplication,
} from '@azure/msal-node';
import { readPemFile } from '../config/read-pem-file.ts';
import type { HttpClient } from '../net/http-client.ts';
import { AuthConfigurationError } from './auth-configuration-error.ts';
import { certificateCredentialFromPem } from './certificate-credential.ts';
import { type CredentialKeys, UNPREFIXED_CREDENTIAL_KEYS } from './credential-keys.ts';
import { createMsalNetworkClient, type MsalNetworkFailure } from './msal-network-client.ts';

export { AuthConfigurationError };

export type AppRegistration = {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret?: string | undefined;
  certificateFile?: string | undefined;
  /** SHA-256 (64 hex) or SHA-1 (40 hex); computed from the certificate in `certificateFile` if absent. */
  certificateThumbprint?: string | undefined;
  /** The configuration keys these came from, named in errors (default: the bare field names). */
  configKeys?: CredentialKeys | undefined;
};

const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** App-only tokens (client credentials): Dataverse and the webhook registration API. */
export function createMsalApp(
  registration: AppRegistration,
  http: HttpClient,
): ConfidentialClientApplication {
  const network = observedNetwork(http);
  const app = new ConfidentialClientApplication({
    auth: { ...authOf(registration), ...credentialOf(registration) },
    system: network.system,
  });
  return remember(app, registration, network.last);
}

/**
 * Delegated (App+User) tokens for the Referrals API: device-code sign-in (MFA-capable) and silent
 * refresh. Device code is a public-client flow ("Allow public client flows" on the app registration).
 * The token cache, with the refresh token, is persisted through `cachePlugin`.
 */
export function createMsalPublicApp(
  registration: AppRegistration,
  http: HttpClient,
  cachePlugin: ICachePlugin,
): PublicClientApplication {
  const network = observedNetwork(http);
  const app = new PublicClientApplication({
    auth: authOf(registration),
    system: network.system,
    cache: { cachePlugin },
  });
  return remember(app, registration, network.last);
}

/** What msal did not say about an app's failures: its authority, and its last failed request. */
export type MsalAppContext = { authority: string; lastNetworkFailure(): MsalNetworkFailure | undefined };

const contexts = new WeakMap<object, MsalAppContext>();

/** The context of an app made by this module (undefined for others, e.g. in tests). */
export function msalAppContext(app: object): MsalAppContext | undefined {
  return contexts.get(app);
}

function remember<T extends object>(
  app: T,
  registration: AppRegistration,
  last: () => MsalNetworkFailure | undefined,
): T {
  contexts.set(app, { authority: authOf(registration).authority, lastNetworkFailure: last });
  return app;
}

function authOf(registration: AppRegistration) {
  const host = new URL(registration.authorityHost).host;
  return {
    clientId: registration.clientId,
    authority: `${registration.authorityHost.replace(/\/$/, '')}/${registration.tenantId}`,
    ...(MICROSOFT_AUTHORITY_HOSTS.has(host) ? {} : { knownAuthorities: [host] }),
  };
}

function observedNetwork(http: HttpClient) {
  let last: MsalNetworkFailure | undefined;
  return {
    system: {
      networkClient: createMsalNetworkClient(http, (failure) => {
        last = failure;
      }),
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
    last: () => last,
  };
}

function credentialOf(registration: AppRegistration) {
  const keys = registration.configKeys ?? UNPREFIXED_CREDENTIAL_KEYS;
  if (registration.clientSecret) return { clientSecret: registration.clientSecret };
  if (registration.certificateFile) {
    // Read by the one PEM loader, as every PEM key is: a bundle glued without a newline works here too.
    const { pem } = readPemFile(keys.certificateFile, registration.certificateFile, 'private-key');
    return {
      clientCertificate: certificateCredentialFromPem(pem, registration.certificateThumbprint, keys),
    };
  }
  throw new AuthConfigurationError(
    `an app-only token needs a client secret or a certificate: set ${keys.clientSecret} or ${keys.certificateFile}`,
    [keys.clientSecret, keys.certificateFile],
  );
}
