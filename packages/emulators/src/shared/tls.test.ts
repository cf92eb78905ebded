import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCertificate } from './certificates.ts';
import { createTlsMaterial } from './tls.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** An https server with `material`'s certificate; answers every request with 204. */
async function serve(material: { certPem: string; keyPem: string }): Promise<string> {
  const server = createServer({ cert: material.certPem, key: material.keyPem }, (_request, response) => {
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `https://localhost:${(server.address() as AddressInfo).port}`;
}

describe('PEM the emulators produce', () => {
  it('ends every certificate and key with a newline', async () => {
    const tls = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const rsa = await issueCertificate({ subject: 'CN=rsa', key: 'rsa-2048' });
    for (const pem of [tls.caPem, tls.certPem, tls.keyPem, rsa.certPem, rsa.keyPem]) {
      expect(pem).toMatch(/-----END [A-Z ]+-----\n$/);
    }
  });

  it('can be concatenated with cat: a client trusting a.pem + b.pem trusts the CA in b.pem too', async () => {
    const first = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const second = await createTlsMaterial({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const origin = await serve(second);
    // What `cat first-ca.pem second-ca.pem > bundle.pem` makes of the two files.
    const agent = new Agent({ connect: { ca: first.caPem + second.caPem } });
    closers.push(() => agent.close());
    const response = await request(origin, { dispatcher: agent });
    expect(response.statusCode).toBe(204);
  });
});
