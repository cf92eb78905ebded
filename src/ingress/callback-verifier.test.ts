import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersFromRecord } from './callback-headers.ts';
import { verifyCallback } from './callback-verifier.ts';
import type { CertificateSource } from './certificate-source.ts';
import {
  type CallbackParts,
  callbackHeaders,
  createSigningWorld,
  createWorldCertificateSource,
  genuineCallback,
  REFERRAL_ID,
  type SigningWorld,
  signBody,
} from './test-support.ts';

let world: SigningWorld;
let source: CertificateSource;
const clock = Date.now();

beforeAll(async () => {
  world = await createSigningWorld();
  source = createWorldCertificateSource(world);
});

afterAll(async () => {
  await source.close();
  await world.close();
});

function verify(parts: CallbackParts, now = clock, certificates: CertificateSource = source) {
  return verifyCallback(
    { headers: headersFromRecord(callbackHeaders(parts)), rawBody: parts.body },
    { lookupCertificate: certificates.lookup, now: () => now },
  );
}

describe('a genuinely signed callback', () => {
  it('is accepted with the referral to sync', async () => {
    const result = await verify(genuineCallback(world));
    expect(result).toMatchObject({
      ok: true,
      notification: { eventName: 'referral-updated', kind: 'sync', referralId: REFERRAL_ID },
    });
  });

  it('is accepted with the signature in x-ms-signature, bare', async () => {
    const result = await verify({ ...genuineCallback(world), mode: 'x-ms-signature' });
    expect(result.ok).toBe(true);
  });

  it('is accepted with the signature in x-ms-signature behind a "Signature " prefix', async () => {
    const result = await verify({ ...genuineCallback(world), mode: 'x-ms-signature-prefixed' });
    expect(result.ok).toBe(true);
  });

  it('is accepted after fetching the missing intermediate once through the leaf AIA URL', async () => {
    const fresh = createWorldCertificateSource(world);
    const before = world.hits(world.intermediatePath);
    const results = [
      await verify(genuineCallback(world), clock, fresh),
      await verify(genuineCallback(world), clock, fresh),
    ];
    await fresh.close();
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    expect(world.hits(world.intermediatePath) - before).toBe(1);
  });
});

describe('a genuinely signed callback changed in one thing', () => {
  it('rejects a body changed after signing by one byte', async () => {
    const parts = genuineCallback(world);
    const body = Buffer.from(parts.body);
    body[body.length - 2] = (body[body.length - 2] ?? 0) ^ 0x01;
    expect(await verify({ ...parts, body })).toMatchObject({
      ok: false,
      status: 401,
      reason: 'signature_invalid',
    });
  });

  it('rejects a signature made over another body', async () => {
    const parts = genuineCallback(world);
    const signature = signBody('{"EventName":"referral-created"}', world.leaf.keyPem);
    expect(await verify({ ...parts, signature })).toMatchObject({ reason: 'signature_invalid' });
  });

  it('rejects an algorithm other than rsa-sha256', async () => {
    const parts = { ...genuineCallback(world), algorithm: 'rsa-sha1' };
    expect(await verify(parts)).toMatchObject({ ok: false, status: 401, reason: 'algorithm_unsupported' });
  });

  it('rejects the signature under another Authorization scheme', async () => {
    const parts = genuineCallback(world);
    const headers = { ...callbackHeaders(parts), authorization: `Bearer ${parts.signature}` };
    const result = await verifyCallback(
      { headers: headersFromRecord(headers), rawBody: parts.body },
      { lookupCertificate: source.lookup, now: () => clock },
    );
    expect(result).toMatchObject({ ok: false, status: 401, reason: 'signature_scheme' });
  });

  it('rejects a certificate URL on a host that is not allow-listed', async () => {
    const parts = { ...genuineCallback(world), certificateUrl: 'https://certs.example.net/cert/leaf.cer' };
    expect(await verify(parts)).toMatchObject({
      ok: false,
      status: 403,
      reason: 'certificate_host_not_allowed',
    });
  });

  it('rejects an expired certificate', async () => {
    const parts = genuineCallback(world);
    const expired = {
      ...parts,
      certificateUrl: world.urls.expiredLeaf,
      signature: signBody(parts.body, world.expiredLeaf.keyPem),
    };
    expect(await verify(expired)).toMatchObject({ ok: false, status: 401, reason: 'certificate_expired' });
  });

  it('rejects the same certificate once the clock passes its end date', async () => {
    const after = world.leaf.certificate.notAfter.getTime() + 1000;
    expect(await verify(genuineCallback(world), after)).toMatchObject({ reason: 'certificate_expired' });
  });

  it('rejects the same certificate before its start date', async () => {
    const before = world.leaf.certificate.notBefore.getTime() - 1000;
    expect(await verify(genuineCallback(world), before)).toMatchObject({
      reason: 'certificate_not_yet_valid',
    });
  });

  it('rejects a certificate of another organization', async () => {
    const parts = genuineCallback(world);
    const foreign = {
      ...parts,
      certificateUrl: world.urls.foreignLeaf,
      signature: signBody(parts.body, world.foreignLeaf.keyPem),
    };
    expect(await verify(foreign)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'certificate_organization',
    });
  });

  it('rejects a certificate that chains to an untrusted root', async () => {
    const parts = genuineCallback(world);
    const stranger = {
      ...parts,
      certificateUrl: world.urls.strangerLeaf,
      signature: signBody(parts.body, world.strangerLeaf.keyPem),
    };
    expect(await verify(stranger)).toMatchObject({ ok: false, status: 401, reason: 'certificate_untrusted' });
  });

  it('rejects a certificate whose issuer is unknown and has no AIA URL', async () => {
    const parts = genuineCallback(world);
    const orphan = {
      ...parts,
      certificateUrl: world.urls.orphanLeaf,
      signature: signBody(parts.body, world.orphanLeaf.keyPem),
    };
    expect(await verify(orphan)).toMatchObject({ ok: false, status: 401, reason: 'certificate_untrusted' });
  });

  it('rejects an elliptic-curve certificate under rsa-sha256, even with a valid ECDSA signature', async () => {
    const parts = genuineCallback(world);
    const ec = {
      ...parts,
      certificateUrl: world.urls.ecLeaf,
      signature: signBody(parts.body, world.ecLeaf.keyPem),
    };
    expect(await verify(ec)).toMatchObject({ ok: false, status: 401, reason: 'certificate_key_unsupported' });
  });

  it('rejects a signature made with a key other than the certificate one', async () => {
    const parts = genuineCallback(world);
    const signature = signBody(parts.body, world.foreignLeaf.keyPem);
    expect(await verify({ ...parts, signature })).toMatchObject({ reason: 'signature_invalid' });
  });

  it('rejects a truncated signature', async () => {
    const parts = genuineCallback(world);
    expect(await verify({ ...parts, signature: parts.signature.slice(0, 20) })).toMatchObject({
      reason: 'signature_invalid',
    });
  });
});

describe('a missing intermediate', () => {
  it('is taken from the configured intermediates bundle without an AIA download', async () => {
    const bundled = createWorldCertificateSource(world, { intermediatesPem: world.intermediate.certPem });
    const before = world.hits(world.intermediatePath);
    const result = await verify(genuineCallback(world), clock, bundled);
    expect(result.ok).toBe(true);
    expect(world.hits(world.intermediatePath)).toBe(before);
    await bundled.close();
  });

  it('makes the certificate untrusted when its AIA URL serves nothing', async () => {
    const path = '/cert/leaf-copy.cer';
    world.serve(path, { body: world.leaf.certDer });
    world.serve(world.intermediatePath, { status: 404, body: 'gone' });
    const fresh = createWorldCertificateSource(world);
    const parts = { ...genuineCallback(world), certificateUrl: `${world.origin}${path}` };
    const result = await verify(parts, clock, fresh);
    world.serve(world.intermediatePath, { body: world.intermediate.certDer });
    await fresh.close();
    expect(result).toMatchObject({ ok: false, reason: 'certificate_untrusted' });
  });
});
