/**
 * The headers Partner Center puts on a notification: an RSA PKCS#1 v1.5 / SHA-256 signature over the exact
 * body bytes, standard base64, plus where to fetch the certificate and which algorithm was used. Pure
 * apart from the signing itself.
 */
import { type KeyObject, sign } from 'node:crypto';

export type SignatureHeaderMode = 'authorization' | 'x-ms-signature';

export type SignOptions = {
  privateKey: KeyObject;
  certificateUrl: string;
  /** `x-ms-signature` when the registration set SignatureTokenToMsSignatureHeader. */
  mode: SignatureHeaderMode;
  /**
   * Whether `x-ms-signature` keeps the `Signature ` scheme prefix (unconfirmed, spec §5); bare base64
   * unless asked. `Authorization` always carries the prefix.
   */
  prefixMsSignature: boolean;
};

export function signNotification(body: Buffer, options: SignOptions): Record<string, string> {
  const signature = sign('sha256', body, options.privateKey).toString('base64');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-ms-certificate-url': options.certificateUrl,
    'x-ms-signature-algorithm': 'rsa-sha256',
  };
  if (options.mode === 'authorization') {
    headers.authorization = `Signature ${signature}`;
  } else {
    headers['x-ms-signature'] = options.prefixMsSignature ? `Signature ${signature}` : signature;
  }
  return headers;
}
