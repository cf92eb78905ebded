/**
 * Builds the msal-node applications for an Entra app registration. All token traffic goes through our
 * HTTP client; a non-Microsoft authority host (an emulator, a sovereign cloud) is declared a known
 * authority so msal does not ask login.microsoftonline.com to discover it.
 */
import { readFileSync } from 'node:fs';
import {
  ConfidentialClientApplication,
  type ICachePlugin,
  LogLevel,
  PublicClientApplication,
} from '@azure/msal-node';
import type { HttpClient } from '../net/http-client.ts';
import { createMsalNetworkClient } from './msal-network-client.ts';

export type AppRegistration = {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret?: string | undefined;
  certificateFile?: string | undefined;
  certificateThumbprint?: string | undefined;
};

export class AuthConfigurationError extends Error {
  readonly code = 'auth_configuration';
}

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
  return new ConfidentialClientApplication({
    auth: { ...authOf(registration), ...credentialOf(registration) },
    system: systemOf(http),
  });
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
  return new PublicClientApplication({
    auth: authOf(registration),
    system: systemOf(http),
    cache: { cachePlugin },
  });
}

function authOf(registration: AppRegistration) {
  const host = new URL(registration.authorityHost).host;
  return {
    clientId: registration.clientId,
    authority: `${registration.authorityHost.replace(/\/$/, '')}/${registration.tenantId}`,
    ...(MICROSOFT_AUTHORITY_HOSTS.has(host) ? {} : { knownAuthorities: [host] }),
  };
}

function systemOf(http: HttpClient) {
  return {
    networkClient: createMsalNetworkClient(http),
    loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
  };
}

function credentialOf(registration: AppRegistration) {
  if (registration.clientSecret) return { clientSecret: registration.clientSecret };
  if (registration.certificateFile && registration.certificateThumbprint) {
    const pem = readFileSync(registration.certificateFile, 'utf8');
    return {
      clientCertificate: {
        thumbprintSha256: registration.certificateThumbprint,
        privateKey: pem,
        x5c: pem,
      },
    };
  }
  throw new AuthConfigurationError(
    'an app-only token needs a client secret or a certificate (certificateFile + certificateThumbprint)',
  );
}
