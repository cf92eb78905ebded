/**
 * A certificate credential for msal-node, from the PEM file holding the app's private key and (usually)
 * its certificate. Entra finds the certificate by the thumbprint in the assertion's header: `x5t#S256`
 * for a SHA-256 thumbprint (what Microsoft recommends; msal then signs PS256) or `x5t` for a SHA-1 one
 * (msal signs RS256). Which one a configured thumbprint is follows from its length, 64 or 40 hex digits;
 * without one, the SHA-256 thumbprint is computed from the certificate in the file.
 */
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { AuthConfigurationError } from './auth-configuration-error.ts';
import type { CredentialKeys } from './credential-keys.ts';

/** msal-node's `clientCertificate`: exactly one of the two thumbprints. */
export type MsalCertificate = { privateKey: string; x5c?: string } & (
  | { thumbprintSha256: string }
  | { thumbprint: string }
);

type Thumbprint = { algorithm: 'sha256' | 'sha1'; hex: string };

export function certificateCredentialFromPem(
  pem: string,
  configuredThumbprint: string | undefined,
  keys: Pick<CredentialKeys, 'certificateFile' | 'certificateThumbprint'>,
): MsalCertificate {
  const privateKey = readPrivateKey(pem, keys);
  const certificate = certificateOfKey(pem, privateKey);
  const configured =
    configuredThumbprint === undefined ? undefined : parseThumbprint(configuredThumbprint, keys);
  if (!configured && !certificate) {
    throw new AuthConfigurationError(
      `${keys.certificateFile} holds no certificate for its private key: add the certificate to the file, ` +
        `or set ${keys.certificateThumbprint}`,
      [keys.certificateFile, keys.certificateThumbprint],
    );
  }
  // A thumbprint of another certificate would only be refused by Entra (AADSTS700027), much later.
  if (configured && certificate && configured.hex !== thumbprintOf(certificate, configured.algorithm)) {
    throw new AuthConfigurationError(
      `${keys.certificateThumbprint} is not the ${configured.algorithm.toUpperCase()} thumbprint of the ` +
        `certificate in ${keys.certificateFile} (that one is ${thumbprintOf(certificate, configured.algorithm)})`,
      [keys.certificateThumbprint, keys.certificateFile],
    );
  }
  const thumbprint = configured ?? {
    algorithm: 'sha256' as const,
    hex: thumbprintOf(certificate as X509Certificate, 'sha256'),
  };
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const x5c = certificate ? { x5c: certificate.toString() } : {};
  return thumbprint.algorithm === 'sha256'
    ? { privateKey: key, thumbprintSha256: thumbprint.hex, ...x5c }
    : { privateKey: key, thumbprint: thumbprint.hex, ...x5c };
}

/** Hex digits, upper case; colons and spaces (as Windows and openssl print them) are dropped. */
export function parseThumbprint(
  value: string,
  keys: Pick<CredentialKeys, 'certificateThumbprint'>,
): Thumbprint {
  const hex = value.replace(/[\s:]/g, '').toUpperCase();
  if (/^[0-9A-F]{64}$/.test(hex)) return { algorithm: 'sha256', hex };
  if (/^[0-9A-F]{40}$/.test(hex)) return { algorithm: 'sha1', hex };
  throw new AuthConfigurationError(
    `${keys.certificateThumbprint} must be a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) thumbprint`,
    [keys.certificateThumbprint],
  );
}

function readPrivateKey(pem: string, keys: Pick<CredentialKeys, 'certificateFile'>): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new AuthConfigurationError(
      `${keys.certificateFile} holds no readable private key (an unencrypted PEM key is needed)`,
      [keys.certificateFile],
    );
  }
}

/** The certificate in the file whose public key is the private key's (a file may hold a chain). */
function certificateOfKey(pem: string, privateKey: KeyObject): X509Certificate | undefined {
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  for (const block of blocks) {
    try {
      const certificate = new X509Certificate(block);
      if (certificate.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKey)) return certificate;
    } catch {
      // Not a certificate we can read; another block may be.
    }
  }
  return undefined;
}

function thumbprintOf(certificate: X509Certificate, algorithm: Thumbprint['algorithm']): string {
  return (algorithm === 'sha256' ? certificate.fingerprint256 : certificate.fingerprint).replaceAll(':', '');
}
