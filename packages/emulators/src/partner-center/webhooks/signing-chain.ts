/**
 * The chain Partner Center signs notifications with, made at start-up: a self-signed root, an
 * intermediate, and the RSA-2048 leaf whose certificate URL goes out in `x-ms-certificate-url`.
 * The leaf carries an AIA caIssuers URL on the emulated blob host, and only that URL serves the
 * intermediate, so a receiver must build the chain the way it would against the real service.
 *
 * Root and intermediate do not depend on where the emulator listens; the leaf does (its AIA URL), so it
 * is issued at the first need, once `ctx.origin()` is known, and memoised per origin.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { type IssuedCertificate, issueCertificate } from '../../shared/certificates.ts';

/**
 * The emulator's origin stands in for `https://3psostorageacct.blob.core.windows.net`, with the
 * documented path (spec partner-center.md §4.3, §5.5): `/cert/<file>.cer`, which receivers may pin.
 * The intermediate sits beside it under `/pki/` (real AIA URLs are on Microsoft's PKI hosts; their
 * paths are not documented and receivers do not pin them).
 */
export const LEAF_FILE = 'pcnotifications-dispatch.microsoft.com.cer';
export const INTERMEDIATE_FILE = 'emulated-microsoft-notifications-issuing-ca-01.cer';
export const LEAF_PATH = `/cert/${LEAF_FILE}`;
export const INTERMEDIATE_PATH = `/pki/${INTERMEDIATE_FILE}`;
/** The folders the emulated blob host answers under; anything else there is BlobNotFound. */
export const CERTIFICATE_FOLDERS = ['/cert', '/pki'] as const;

const ROOT_SUBJECT = 'CN=Emulated Microsoft Notifications Root CA, O=Microsoft Corporation, C=US';
const INTERMEDIATE_SUBJECT =
  'CN=Emulated Microsoft Notifications Issuing CA 01, O=Microsoft Corporation, C=US';
/** .NET prints stateOrProvinceName as `S=`; in an RFC 4514 string (and in Node's output) it is `ST=`. */
export const LEAF_SUBJECT =
  'CN=pcnotifications-dispatch.microsoft.com, O=Microsoft Corporation, L=Redmond, ST=Washington, C=US';

export type SigningLeaf = {
  certificate: IssuedCertificate;
  privateKey: KeyObject;
  /** Absolute URL a receiver downloads the leaf from. */
  certificateUrl: string;
};

export type SigningChain = {
  rootPem: string;
  intermediate: IssuedCertificate;
  leaf(origin: string): Promise<SigningLeaf>;
};

export async function createSigningChain(): Promise<SigningChain> {
  const root = await issueCertificate({ subject: ROOT_SUBJECT, isCa: true });
  const intermediate = await issueCertificate({ subject: INTERMEDIATE_SUBJECT, isCa: true, issuer: root });
  const leaves = new Map<string, Promise<SigningLeaf>>();

  return {
    rootPem: root.certPem,
    intermediate,
    leaf(origin) {
      const known = leaves.get(origin);
      if (known) return known;
      const made = issueLeaf(origin, intermediate);
      leaves.set(origin, made);
      return made;
    },
  };
}

async function issueLeaf(origin: string, intermediate: IssuedCertificate): Promise<SigningLeaf> {
  const certificate = await issueCertificate({
    subject: LEAF_SUBJECT,
    key: 'rsa-2048',
    issuer: intermediate,
    caIssuersUrl: `${origin}${INTERMEDIATE_PATH}`,
  });
  return {
    certificate,
    privateKey: createPrivateKey(certificate.keyPem),
    certificateUrl: `${origin}${LEAF_PATH}`,
  };
}
