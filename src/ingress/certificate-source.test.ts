import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateSourceOptions } from './certificate-source.ts';
import { createSigningWorld, createWorldCertificateSource, type SigningWorld } from './test-support.ts';

let world: SigningWorld;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  world = await createSigningWorld();
});

afterAll(async () => {
  for (const close of closers) await close();
  await world.close();
});

function sourceFor(overrides: CertificateSourceOptions = {}) {
  const source = createWorldCertificateSource(world, overrides);
  closers.push(source.close);
  return source;
}

let served = 0;

/** A fresh path for each test, so download counts belong to that test alone. */
function serveOnce(file: Parameters<SigningWorld['serve']>[1]): { path: string; url: string } {
  served += 1;
  const path = `/cert/served-${served}.cer`;
  world.serve(path, file);
  return { path, url: `${world.origin}${path}` };
}

describe('the certificate source', () => {
  it('resolves a DER certificate to its chain up to the trusted root', async () => {
    const result = await sourceFor().lookup(world.urls.leaf);
    if (!result.ok) throw new Error(result.reason);
    expect(result.certificate.chain.map((certificate) => certificate.fingerprint256)).toEqual(
      [world.leaf, world.intermediate, world.root].map((issued) => fingerprint(issued.certPem)),
    );
    expect(result.certificate.publicKey.asymmetricKeyType).toBe('rsa');
  });

  it.each([
    ['PEM', () => world.leaf.certPem],
    ['bare base64 text', () => world.leaf.certDer.toString('base64').replace(/(.{76})/g, '$1\r\n')],
  ])('accepts a certificate served as %s', async (_encoding, body) => {
    const { url } = serveOnce({ body: body(), headers: { 'content-type': 'text/plain' } });
    const result = await sourceFor().lookup(url);
    expect(result.ok && result.certificate.leaf.fingerprint256).toBe(fingerprint(world.leaf.certPem));
  });

  it('downloads a URL once and answers later lookups from its cache', async () => {
    const { path, url } = serveOnce({ body: world.leaf.certDer });
    const source = sourceFor();
    const results = await Promise.all([source.lookup(url), source.lookup(url)]);
    await source.lookup(url);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(world.hits(path)).toBe(1);
  });

  it('downloads again once the cached certificate is older than the cache lifetime', async () => {
    const { path, url } = serveOnce({ body: world.leaf.certDer });
    let now = 1_000_000;
    const source = sourceFor({ cacheTtlMs: 60_000, now: () => now });
    await source.lookup(url);
    now += 60_001;
    await source.lookup(url);
    expect(world.hits(path)).toBe(2);
  });

  it('remembers a failure briefly, then tries again', async () => {
    const { path, url } = serveOnce({ status: 503, body: 'busy' });
    let now = 1_000_000;
    const source = sourceFor({ negativeTtlMs: 5_000, now: () => now });
    expect(await source.lookup(url)).toMatchObject({ ok: false, reason: 'certificate_fetch_failed' });
    expect(await source.lookup(url)).toMatchObject({ ok: false, reason: 'certificate_fetch_failed' });
    expect(world.hits(path)).toBe(1);
    world.serve(path, { body: world.leaf.certDer });
    now += 5_001;
    expect(await source.lookup(url)).toMatchObject({ ok: true });
    expect(world.hits(path)).toBe(2);
  });

  it('does not follow a redirect', async () => {
    const target = serveOnce({ body: world.leaf.certDer });
    const { url } = serveOnce({ status: 301, headers: { location: target.url }, body: '' });
    expect(await sourceFor().lookup(url)).toMatchObject({ ok: false, reason: 'certificate_redirected' });
    expect(world.hits(target.path)).toBe(0);
  });

  it('stops reading a certificate without Content-Length past the size limit', async () => {
    const { url } = serveOnce({ body: Buffer.alloc(200_000, 0x30), chunked: true });
    expect(await sourceFor({ maxBytes: 4096 }).lookup(url)).toMatchObject({
      ok: false,
      reason: 'certificate_too_large',
    });
  });

  it('gives up on a certificate host that does not answer in time', async () => {
    const { url } = serveOnce({ hang: true });
    expect(await sourceFor({ timeoutMs: 200 }).lookup(url)).toMatchObject({
      ok: false,
      reason: 'certificate_fetch_failed',
      detail: expect.any(String),
    });
  });

  it('does not download from an https host whose TLS certificate it cannot verify', async () => {
    const { path, url } = serveOnce({ body: world.leaf.certDer });
    const result = await sourceFor({ downloadCaPem: undefined }).lookup(url);
    expect(result).toMatchObject({ ok: false, reason: 'certificate_fetch_failed' });
    expect(world.hits(path)).toBe(0);
  });

  it('refuses a URL outside the allow-list without connecting', async () => {
    const { path } = serveOnce({ body: world.leaf.certDer });
    const source = sourceFor({ allowedHosts: ['3psostorageacct.blob.core.windows.net'] });
    expect(await source.lookup(`${world.origin}${path}`)).toMatchObject({
      ok: false,
      reason: 'certificate_host_not_allowed',
    });
    expect(world.hits(path)).toBe(0);
  });

  it('allows any host below a "*." allow-list entry', async () => {
    const source = sourceFor({ allowedHosts: ['*.blob.core.windows.net'] });
    expect(
      await source.lookup('https://3psostorageacct.blob.core.windows.net.example/cert/a.cer'),
    ).toMatchObject({
      reason: 'certificate_host_not_allowed',
    });
    expect(await source.lookup('https://blob.core.windows.net/cert/a.cer')).toMatchObject({
      reason: 'certificate_host_not_allowed',
    });
  });

  it('treats an AIA URL on a host outside the issuer allow-list as no path to a root', async () => {
    const { url } = serveOnce({ body: world.leaf.certDer });
    const before = world.hits(world.intermediatePath);
    const result = await sourceFor({ issuerHosts: ['www.microsoft.com'] }).lookup(url);
    expect(result).toMatchObject({ ok: false, reason: 'certificate_untrusted' });
    expect(world.hits(world.intermediatePath)).toBe(before);
  });

  it('does not trust the leaf when only Node bundled roots are trusted', async () => {
    const { url } = serveOnce({ body: world.leaf.certDer });
    const result = await sourceFor({ trustedRootsPem: '' }).lookup(url);
    expect(result).toMatchObject({ ok: false, reason: 'certificate_untrusted' });
  });

  it.each([
    ['a query string', (leaf: string) => `${leaf}?1`],
    ['an empty query', (leaf: string) => `${leaf}?`],
    ['a fragment', (leaf: string) => `${leaf}#x`],
    ['a path outside /cert/', () => `${world.origin}${world.intermediatePath}`],
    ['a port the allow-list does not name', () => `https://localhost:1/cert/leaf.cer`],
  ])('refuses a certificate URL with %s before any download', async (_case, urlOf) => {
    const source = sourceFor();
    const before = world.hits('/cert/leaf.cer') + world.hits(world.intermediatePath);
    const result = await source.lookup(urlOf(world.urls.leaf));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^certificate_url_/) });
    expect(world.hits('/cert/leaf.cer') + world.hits(world.intermediatePath)).toBe(before);
  });

  it('keeps the genuine certificate cached under a flood of distinct URLs', async () => {
    const genuine = serveOnce({ body: world.leaf.certDer });
    const source = sourceFor({ maxEntries: 8, missesPerWindow: 1000 });
    expect(await source.lookup(genuine.url)).toMatchObject({ ok: true });
    for (let i = 0; i < 40; i++) {
      expect(await source.lookup(`${world.origin}/cert/flood-${i}.cer`)).toMatchObject({
        ok: false,
        reason: 'certificate_not_found',
      });
    }
    expect(await source.lookup(genuine.url)).toMatchObject({ ok: true });
    expect(world.hits(genuine.path)).toBe(1);
  });

  it('refuses, without downloading, a URL not in the cache once the miss budget is spent', async () => {
    let now = 1_000_000;
    const source = sourceFor({ missesPerWindow: 2, missWindowMs: 60_000, now: () => now });
    const first = serveOnce({ body: world.leaf.certDer });
    const second = serveOnce({ status: 404, body: 'missing' });
    const third = serveOnce({ body: world.leaf.certDer });
    expect(await source.lookup(first.url)).toMatchObject({ ok: true });
    now += 20_000;
    expect(await source.lookup(second.url)).toMatchObject({ reason: 'certificate_not_found' });

    now += 10_000;
    expect(await source.lookup(third.url)).toEqual({
      ok: false,
      reason: 'certificate_download_budget',
      detail: expect.any(String),
      retryAfterSeconds: 30,
    });
    expect(world.hits(third.path)).toBe(0);
    // Cached answers cost nothing: the spent budget does not touch them.
    expect(await source.lookup(first.url)).toMatchObject({ ok: true });

    now += 30_000;
    expect(await source.lookup(third.url)).toMatchObject({ ok: true });
    expect(world.hits(third.path)).toBe(1);
  });

  it('refreshes a certificate that resolved before even when the miss budget is spent', async () => {
    let now = 1_000_000;
    const genuine = serveOnce({ body: world.leaf.certDer });
    const source = sourceFor({ missesPerWindow: 1, cacheTtlMs: 1_000, now: () => now });
    expect(await source.lookup(genuine.url)).toMatchObject({ ok: true });
    now += 1_001;
    expect(await source.lookup(`${world.origin}/cert/made-up.cer`)).toMatchObject({
      reason: 'certificate_download_budget',
    });
    expect(await source.lookup(genuine.url)).toMatchObject({ ok: true });
    expect(world.hits(genuine.path)).toBe(2);
  });

  it('refuses a trusted-roots bundle that holds no certificate, naming the option', () => {
    expect(() => sourceFor({ trustedRootsPem: 'not a pem' })).toThrow(/trustedRootsPem/);
  });
});

function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}
