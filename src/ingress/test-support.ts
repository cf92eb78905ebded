/**
 * Test fixture: a genuine Partner Center signing world on loopback. A root → intermediate → leaf chain
 * made at start-up, an https server (the emulators' TLS material) that serves the certificates like the
 * blob host does, and helpers to sign a body exactly as Partner Center does (RSA PKCS#1 v1.5, SHA-256).
 */
import { sign } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  createTlsMaterial,
  type IssuedCertificate,
  issueCertificate,
  listenOnLoopback,
  type TlsMaterial,
} from '@referral-connector/emulators';
import Fastify, { type FastifyInstance } from 'fastify';
import type { InboxEntry, RecordInboxResult } from '../store/ports.ts';
import { type CertificateSourceOptions, createCertificateSource } from './certificate-source.ts';

export type ServedFile =
  | { status?: number; headers?: Record<string, string>; body: Buffer | string; chunked?: boolean }
  | { hang: true };

export type SigningWorld = {
  /** https://localhost:PORT of the certificate server. */
  origin: string;
  port: number;
  tls: TlsMaterial;
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
  /** O=Microsoft Corporation, issued by the intermediate, AIA → the intermediate's URL. */
  leaf: IssuedCertificate;
  expiredLeaf: IssuedCertificate;
  foreignLeaf: IssuedCertificate;
  /** Chains to a root nobody trusts. */
  strangerLeaf: IssuedCertificate;
  /** Issued by the intermediate but without an AIA URL. */
  orphanLeaf: IssuedCertificate;
  ecLeaf: IssuedCertificate;
  /** URL of each certificate above, by name. */
  urls: Record<'leaf' | 'expiredLeaf' | 'foreignLeaf' | 'strangerLeaf' | 'orphanLeaf' | 'ecLeaf', string>;
  intermediatePath: string;
  /** Serves (or replaces) a file at `path`. */
  serve: (path: string, file: ServedFile) => void;
  /** How many times `path` was requested. */
  hits: (path: string) => number;
  close: () => Promise<void>;
};

const LEAF_SUBJECT = 'CN=pcnotifications-dispatch.microsoft.com, O=Microsoft Corporation, C=US';
const DAY_MS = 86_400_000;

export async function createSigningWorld(): Promise<SigningWorld> {
  const tls = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
  const files = new Map<string, ServedFile>();
  const hits = new Map<string, number>();
  const server: FastifyInstance = Fastify({ https: { cert: tls.certPem, key: tls.keyPem } });
  server.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const file = files.get(path);
    if (!file) return reply.code(404).send('not found');
    if ('hang' in file) return new Promise<never>(() => {});
    reply.code(file.status ?? 200).headers(file.headers ?? {});
    // A stream has no Content-Length, so the client must enforce its size limit while reading.
    return reply.send(file.chunked ? Readable.from([Buffer.from(file.body)]) : file.body);
  });
  const origin = await listenOnLoopback(server, { https: true });
  const port = Number(new URL(origin).port);

  const intermediatePath = '/pki/intermediate.cer';
  const root = await issueCertificate({
    subject: 'CN=Emulated Microsoft Root, O=Microsoft Corporation',
    isCa: true,
  });
  const intermediate = await issueCertificate({
    subject: 'CN=Emulated Microsoft Issuing CA, O=Microsoft Corporation',
    isCa: true,
    issuer: root,
  });
  const caIssuersUrl = `${origin}${intermediatePath}`;
  const leaf = await issueCertificate({ subject: LEAF_SUBJECT, issuer: intermediate, caIssuersUrl });
  const expiredLeaf = await issueCertificate({
    subject: LEAF_SUBJECT,
    issuer: intermediate,
    caIssuersUrl,
    notBefore: new Date(Date.now() - 400 * DAY_MS),
    notAfter: new Date(Date.now() - DAY_MS),
  });
  const foreignLeaf = await issueCertificate({
    subject: 'CN=pcnotifications-dispatch.microsoft.com, O=Contoso Ltd, C=US',
    issuer: intermediate,
    caIssuersUrl,
  });
  const strangerRoot = await issueCertificate({
    subject: 'CN=Stranger Root, O=Microsoft Corporation',
    isCa: true,
  });
  const strangerLeaf = await issueCertificate({ subject: LEAF_SUBJECT, issuer: strangerRoot });
  const orphanLeaf = await issueCertificate({ subject: LEAF_SUBJECT, issuer: intermediate });
  const ecLeaf = await issueCertificate({
    subject: LEAF_SUBJECT,
    issuer: intermediate,
    caIssuersUrl,
    key: 'ec-p256',
  });

  const named = { leaf, expiredLeaf, foreignLeaf, strangerLeaf, orphanLeaf, ecLeaf };
  const urls = {} as SigningWorld['urls'];
  for (const [name, certificate] of Object.entries(named) as [
    keyof SigningWorld['urls'],
    IssuedCertificate,
  ][]) {
    const path = `/cert/${name}.cer`;
    files.set(path, { body: certificate.certDer, headers: { 'content-type': 'application/pkix-cert' } });
    urls[name] = `${origin}${path}`;
  }
  files.set(intermediatePath, {
    body: intermediate.certDer,
    headers: { 'content-type': 'application/pkix-cert' },
  });

  return {
    origin,
    port,
    tls,
    root,
    intermediate,
    ...named,
    urls,
    intermediatePath,
    serve: (path, file) => files.set(path, file),
    hits: (path) => hits.get(path) ?? 0,
    close: () => server.close(),
  };
}

/** A certificate source that trusts the world's root and downloads from it, as tests configure it. */
export function createWorldCertificateSource(world: SigningWorld, overrides: CertificateSourceOptions = {}) {
  return createCertificateSource({
    allowedHosts: [`localhost:${world.port}`],
    issuerHosts: [`localhost:${world.port}`],
    trustedRootsPem: world.root.certPem,
    downloadCaPem: world.tls.caPem,
    ...overrides,
  });
}

export type HeaderMode = 'authorization' | 'x-ms-signature' | 'x-ms-signature-prefixed';

export type CallbackParts = {
  body: Buffer;
  signature: string;
  mode: HeaderMode;
  certificateUrl: string;
  algorithm: string;
  contentType: string;
};

export function signBody(body: Buffer | string, keyPem: string): string {
  return sign('sha256', Buffer.from(body), keyPem).toString('base64');
}

export const REFERRAL_ID = '3f2a9c1e-8b7d-4e21-9a55-0c6d2b7e4f10';

export function notificationBody(fields: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      EventName: 'referral-updated',
      ResourceUri: `https://api.partnercenter.microsoft.com/engagements/v1/referrals/${REFERRAL_ID}`,
      ResourceName: 'referral',
      AuditUri: null,
      ResourceChangeUtcDate: '2025-03-12T09:01:44.7654321+00:00',
      ...fields,
    }),
  );
}

/** A callback exactly as Partner Center would send it: the body signed with the world's leaf. */
export function genuineCallback(world: SigningWorld, body: Buffer = notificationBody()): CallbackParts {
  return {
    body,
    signature: signBody(body, world.leaf.keyPem),
    mode: 'authorization',
    certificateUrl: world.urls.leaf,
    algorithm: 'rsa-sha256',
    contentType: 'application/json',
  };
}

export function callbackHeaders(parts: CallbackParts): Record<string, string> {
  const signatureHeader: Record<string, string> =
    parts.mode === 'authorization'
      ? { authorization: `Signature ${parts.signature}` }
      : {
          'x-ms-signature':
            parts.mode === 'x-ms-signature' ? parts.signature : `Signature ${parts.signature}`,
        };
  return {
    'content-type': parts.contentType,
    ...signatureHeader,
    'x-ms-certificate-url': parts.certificateUrl,
    'x-ms-signature-algorithm': parts.algorithm,
  };
}

/**
 * An in-memory stand-in for `Store.recordInbox` with the same all-or-nothing promise: a row and its job
 * land together or not at all.
 */
export function createFakeInbox() {
  const rows: InboxEntry[] = [];
  const jobs: string[] = [];
  let unavailable = false;
  return {
    rows,
    jobs,
    setUnavailable(value: boolean) {
      unavailable = value;
    },
    async recordInbox(entry: InboxEntry): Promise<RecordInboxResult> {
      // What the SQLite store throws when it cannot commit (StoreUnavailableError's code).
      if (unavailable)
        throw Object.assign(new Error('store unavailable: busy'), { code: 'store_unavailable' });
      rows.push(entry);
      const referralId = entry.kind === 'sync' ? entry.referralId : null;
      if (referralId !== null) jobs.push(referralId);
      return { inboxId: String(rows.length), jobEnqueued: referralId !== null };
    },
  };
}
