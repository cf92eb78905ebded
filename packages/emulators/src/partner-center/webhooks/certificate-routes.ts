/**
 * The emulated certificate "blob host" (`3psostorageacct.blob.core.windows.net`) at the documented paths:
 * the signing leaf at `/cert/…` (the URL sent in `x-ms-certificate-url`), and the intermediate at the
 * leaf's AIA URL under `/pki/` (its only source). Misses and injected faults answer in Azure Blob
 * Storage's XML error format.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { IssuedCertificate } from '../../shared/certificates.ts';
import type { InjectedFault, Traffic } from '../../shared/traffic.ts';
import { installTrafficHooks } from '../../shared/traffic-hooks.ts';
import { CERTIFICATE_FOLDERS, INTERMEDIATE_PATH, LEAF_PATH, type SigningChain } from './signing-chain.ts';
import type { WebhooksKnobs } from './webhooks-knobs.ts';

export type CertificateRoutesDeps = {
  traffic: Traffic;
  chain: SigningChain;
  origin: () => string;
  knobs: () => WebhooksKnobs;
};

export function certificateRoutes(deps: CertificateRoutesDeps) {
  return async function certificateHost(app: FastifyInstance): Promise<void> {
    installTrafficHooks(app, {
      service: 'webhooks',
      traffic: deps.traffic,
      renderFault: renderBlobFault,
    });

    const sendCertificate = (reply: FastifyReply, issued: IssuedCertificate) => {
      reply.header('x-ms-blob-type', 'BlockBlob').header('x-ms-version', '2021-08-06');
      return deps.knobs().certificateEncoding === 'pem'
        ? reply.header('content-type', 'application/x-pem-file').send(issued.certPem)
        : reply.header('content-type', 'application/pkix-cert').send(issued.certDer);
    };

    app.get(LEAF_PATH, async (_request, reply) => {
      const leaf = await deps.chain.leaf(deps.origin());
      return sendCertificate(reply, leaf.certificate);
    });

    app.get(INTERMEDIATE_PATH, async (_request, reply) => sendCertificate(reply, deps.chain.intermediate));

    for (const folder of CERTIFICATE_FOLDERS) {
      app.all(`${folder}/*`, async (_request, reply) =>
        sendBlobError(reply, 404, 'BlobNotFound', 'The specified blob does not exist.'),
      );
    }
  };
}

function renderBlobFault(reply: FastifyReply, fault: InjectedFault): FastifyReply {
  // Blob storage throttles with 503 ServerBusy, never 429.
  if (fault.kind === '429') {
    reply.header('retry-after', String(fault.retryAfterSeconds));
    return sendBlobError(reply, 503, 'ServerBusy', 'The server is busy.');
  }
  return fault.status === 503
    ? sendBlobError(reply, 503, 'ServerBusy', 'The server is busy.')
    : sendBlobError(
        reply,
        500,
        'InternalError',
        'The server encountered an internal error. Please retry the request.',
      );
}

function sendBlobError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  const requestId = crypto.randomUUID();
  const body =
    `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code>` +
    `<Message>${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`;
  return reply
    .code(status)
    .header('content-type', 'application/xml')
    .header('x-ms-request-id', requestId)
    .header('x-ms-error-code', code)
    .send(body);
}
