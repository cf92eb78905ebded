import { type IssuedCertificate, issueCertificate } from './certificates.ts';

export type TlsMaterial = {
  /** The emulators' private certificate authority; clients trust this PEM. */
  caPem: string;
  certPem: string;
  keyPem: string;
};

/**
 * A throw-away CA and a server certificate for the loopback names, made at start-up, so the
 * emulators can serve https (msal-node, for one, refuses a plain-http authority).
 */
export async function createTlsMaterial(hosts: {
  dnsNames: string[];
  ipAddresses: string[];
}): Promise<TlsMaterial> {
  const ca: IssuedCertificate = await issueCertificate({
    subject: 'CN=Referral Connector Emulators Local CA, O=Referral Connector Development',
    key: 'ec-p256',
    isCa: true,
  });
  const server = await issueCertificate({
    subject: 'CN=localhost, O=Referral Connector Development',
    key: 'ec-p256',
    issuer: ca,
    dnsNames: hosts.dnsNames,
    ipAddresses: hosts.ipAddresses,
  });
  return { caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem };
}
