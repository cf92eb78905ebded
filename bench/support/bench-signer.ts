/**
 * Signs webhook bodies the way Partner Center does, for load the dispatcher could not produce fast
 * enough (saturating the ingress, 20,000 events at once). Its own chain — root → intermediate → leaf
 * with `O=Microsoft Corporation` — is made at start-up; the leaf and, through the leaf's AIA URL, the
 * intermediate are served over https from loopback, so the connector downloads and validates them as
 * it would the real ones. The connector is told to trust `rootPem` and `tlsCaPem`.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  createTlsMaterial,
  issueCertificate,
  LEAF_SUBJECT,
  referralPayload,
  serializePayload,
  signNotification,
} from '@referral-connector/emulators';

export type SignedRequest = { body: string; headers: Record<string, string> };

export type BenchSigner = {
  rootPem: string;
  /** CA of the certificate server's TLS certificate. */
  tlsCaPem: string;
  /** `localhost:PORT` of the certificate server, for the connector's certificate-host allow-lists. */
  certificateHost: string;
  /** A signed `referral-created` / `referral-updated` notification for one referral. */
  signReferralEvent(referralId: string, eventName: 'referral-created' | 'referral-updated'): SignedRequest;
  close(): Promise<void>;
};

const LEAF_PATH = '/cert/bench-notifications-dispatch.cer';
const INTERMEDIATE_PATH = '/pki/bench-notifications-issuing-ca.cer';

export async function startBenchSigner(): Promise<BenchSigner> {
  const tls = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
  const root = await issueCertificate({
    subject: 'CN=Bench Notifications Root CA, O=Microsoft Corporation, C=US',
    isCa: true,
  });
  const intermediate = await issueCertificate({
    subject: 'CN=Bench Notifications Issuing CA, O=Microsoft Corporation, C=US',
    isCa: true,
    issuer: root,
  });
  const files = new Map<string, Buffer>([[INTERMEDIATE_PATH, intermediate.certDer]]);
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (request, response) => {
    const file = files.get(request.url ?? '');
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/pkix-cert' }).end(file);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  const leaf = await issueCertificate({
    subject: LEAF_SUBJECT,
    key: 'rsa-2048',
    issuer: intermediate,
    caIssuersUrl: `${origin}${INTERMEDIATE_PATH}`,
  });
  files.set(LEAF_PATH, leaf.certDer);
  const privateKey: KeyObject = createPrivateKey(leaf.keyPem);
  const certificateUrl = `${origin}${LEAF_PATH}`;
  const changedAt = new Date().toISOString();

  return {
    rootPem: root.certPem,
    tlsCaPem: tls.caPem,
    certificateHost: new URL(origin).host,
    signReferralEvent(referralId, eventName) {
      const body = serializePayload(referralPayload({ eventName, referralId, changedAt }, 'documented'));
      const headers = signNotification(body, {
        privateKey,
        certificateUrl,
        mode: 'authorization',
        prefixMsSignature: false,
      });
      return { body: body.toString('utf8'), headers };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
