/**
 * Certificate credentials (RFC 7523 client assertions) as Entra checks them: the JWT names the
 * certificate by thumbprint (`x5t#S256`, or SHA-1 `x5t`), is signed with its key (RS256 or PS256),
 * has `iss` = `sub` = the client id, an `aud` that is this tenant's token endpoint, and is in date.
 */
import { X509Certificate } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { type EntraError, entraErrors } from './entra-error.ts';
import type { EntraApp } from './entra-state.ts';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A certificate uploaded to an app registration, with the thumbprints clients name it by. */
export type EntraCertificate = {
  certPem: string;
  /** Upper-case hex, as the Azure portal shows them. */
  thumbprintSha1: string;
  thumbprintSha256: string;
};

export function describeCertificate(certPem: string): EntraCertificate {
  const certificate = new X509Certificate(certPem);
  return {
    certPem,
    thumbprintSha1: certificate.fingerprint.replaceAll(':', ''),
    thumbprintSha256: certificate.fingerprint256.replaceAll(':', ''),
  };
}

export async function verifyClientAssertion(
  assertion: string,
  expected: { app: EntraApp; audiences: string[]; now: number },
): Promise<EntraError | undefined> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return entraErrors.clientAssertionInvalid('The assertion is not a JWT.');
  }
  const sha256 = typeof header['x5t#S256'] === 'string' ? base64UrlToHex(header['x5t#S256']) : undefined;
  const sha1 = typeof header.x5t === 'string' ? base64UrlToHex(header.x5t) : undefined;
  const certificate = expected.app.certificates.find(
    (candidate) => candidate.thumbprintSha256 === sha256 || candidate.thumbprintSha1 === sha1,
  );
  if (!certificate) {
    return entraErrors.clientAssertionInvalid(
      `The key was not found., Thumbprint of key used by client: '${sha256 ?? sha1 ?? ''}'`,
    );
  }

  try {
    const { payload } = await jwtVerify(assertion, new X509Certificate(certificate.certPem).publicKey, {
      algorithms: ['RS256', 'PS256'],
      currentDate: new Date(expected.now),
      // Entra tolerates five minutes of clock skew on assertions.
      clockTolerance: 300,
    });
    const clientId = expected.app.clientId;
    if (payload.iss?.toLowerCase() !== clientId || payload.sub?.toLowerCase() !== clientId) {
      return entraErrors.clientAssertionWrongClient();
    }
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    if (!audiences.some((audience) => expected.audiences.includes(audience.toLowerCase()))) {
      return entraErrors.clientAssertionInvalid(`Invalid audience '${audiences.join(' ')}'.`);
    }
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      return entraErrors.clientAssertionOutOfDate(new Date(expected.now));
    }
    return entraErrors.clientAssertionInvalid('Signature validation failed.');
  }
}

function base64UrlToHex(value: string): string {
  return Buffer.from(value, 'base64url').toString('hex').toUpperCase();
}
