/**
 * Real X.509 certificates for the emulated world, made at start-up: the TLS certificate the emulators
 * serve https with, and the Partner Center webhook-signing chain (root → intermediate → leaf).
 * Built with @peculiar/x509 over Node's WebCrypto.
 */
import 'reflect-metadata'; // @peculiar/x509 resolves its ASN.1 types through tsyringe, which needs it
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

export type KeyKind = 'rsa-2048' | 'ec-p256';

export type IssuedCertificate = {
  certificate: x509.X509Certificate;
  keys: CryptoKeyPair;
  /** PEM of the certificate. */
  certPem: string;
  /** DER bytes of the certificate (what a `.cer` download usually holds). */
  certDer: Buffer;
  /** PKCS#8 PEM of the private key. */
  keyPem: string;
};

export type CertificateRequest = {
  /** Distinguished name, e.g. "CN=leaf, O=Microsoft Corporation, C=US". */
  subject: string;
  key?: KeyKind;
  /** The issuing certificate; omitted for a self-signed root. */
  issuer?: IssuedCertificate;
  isCa?: boolean;
  /** DNS names and IP addresses for a TLS server certificate. */
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Authority Information Access caIssuers URL: where the issuer's certificate can be downloaded. */
  caIssuersUrl?: string;
  notBefore?: Date;
  notAfter?: Date;
};

const ALGORITHMS: Record<KeyKind, webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams> = {
  'rsa-2048': {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  },
  'ec-p256': { name: 'ECDSA', namedCurve: 'P-256' },
};

const DAY_MS = 86_400_000;

export async function issueCertificate(request: CertificateRequest): Promise<IssuedCertificate> {
  const kind = request.key ?? 'rsa-2048';
  const algorithm = ALGORITHMS[kind];
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const issuer = request.issuer;
  const signingKey = issuer ? issuer.keys.privateKey : keys.privateKey;
  const signingAlgorithm =
    signingKey.algorithm.name === 'ECDSA'
      ? { name: 'ECDSA', hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5' };

  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(request.isCa ?? false, request.isCa ? 1 : undefined, true),
    new x509.KeyUsagesExtension(
      request.isCa
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate));
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (altNames.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(altNames));
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
  }
  if (request.caIssuersUrl) {
    extensions.push(
      new x509.AuthorityInfoAccessExtension({
        caIssuers: [new x509.GeneralName('url', request.caIssuersUrl)],
      }),
    );
  }

  const now = Date.now();
  const notBefore = request.notBefore ?? new Date(now - DAY_MS);
  const notAfter = request.notAfter ?? new Date(now + 365 * DAY_MS);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: request.subject,
    issuer: issuer ? issuer.certificate.subject : request.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm,
    extensions,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    certificate,
    keys,
    // @peculiar/x509 ends the PEM without a newline, so `cat a.pem b.pem` would glue two certificates
    // into one line that OpenSSL (and Node's TLS) cannot read; every PEM we hand out ends with one.
    certPem: `${certificate.toString('pem').trimEnd()}\n`,
    certDer: Buffer.from(certificate.rawData),
    keyPem: toPem(pkcs8, 'PRIVATE KEY'),
  };
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive INTEGER
  return Buffer.from(bytes).toString('hex');
}

function toPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
