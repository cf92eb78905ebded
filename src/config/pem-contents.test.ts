import { X509Certificate } from 'node:crypto';
import { type IssuedCertificate, issueCertificate } from '@referral-connector/emulators';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPemContents } from './pem-contents.ts';

let root: IssuedCertificate;
let other: IssuedCertificate;

beforeAll(async () => {
  root = await issueCertificate({ subject: 'CN=Test Root', isCa: true, key: 'ec-p256' });
  other = await issueCertificate({ subject: 'CN=Other Root', isCa: true, key: 'ec-p256' });
});

const subjects = (reading: ReturnType<typeof readPemContents>) =>
  reading.ok ? reading.certificates.map((c) => c.subject) : reading;

describe('readPemContents', () => {
  it('reads every certificate of a bundle glued without a newline, and writes each block back whole', () => {
    const glued = root.certPem.trimEnd() + other.certPem;
    expect(glued).toContain('-----END CERTIFICATE----------BEGIN CERTIFICATE-----');

    const reading = readPemContents(glued, 'certificates');

    expect(subjects(reading)).toEqual(['CN=Test Root', 'CN=Other Root']);
    if (!reading.ok) return;
    expect(reading.pem).not.toContain('----------');
    expect(reading.pem.match(/^-----BEGIN CERTIFICATE-----$/gm)).toHaveLength(2);
    // What OpenSSL reads of the written-back text: both certificates (it would drop the second of `glued`).
    expect(
      reading.pem.split(/(?<=-----END CERTIFICATE-----\n)/).map((p) => new X509Certificate(p).subject),
    ).toEqual(['CN=Test Root', 'CN=Other Root']);
  });

  it('reads CRLF line ends and the text openssl prints between blocks', () => {
    const text = `subject=CN = Test Root\r\n${root.certPem.replaceAll('\n', '\r\n')}\r\n# another\r\n${other.certPem}`;
    expect(subjects(readPemContents(text, 'certificates'))).toEqual(['CN=Test Root', 'CN=Other Root']);
  });

  it('names the block whose END line is missing', () => {
    const cut = root.certPem + other.certPem.replace('-----END CERTIFICATE-----', '');
    expect(readPemContents(cut, 'certificates')).toMatchObject({
      ok: false,
      problem: 'has a block #2 (CERTIFICATE) without its -----END CERTIFICATE----- line',
    });
  });

  it('names a certificate block that is not a certificate', () => {
    const broken = root.certPem + other.certPem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nAAAA\n');
    const reading = readPemContents(broken, 'certificates');
    expect(reading).toMatchObject({ ok: false });
    expect(!reading.ok && reading.problem).toMatch(
      /^holds a block #2 \(CERTIFICATE\) that is not a valid X\.509 certificate \(/,
    );
  });

  it('refuses a private key in a file of CA certificates', () => {
    expect(readPemContents(root.certPem + root.keyPem, 'certificates')).toMatchObject({
      ok: false,
      problem: 'holds a block #2 (PRIVATE KEY), where only certificates belong',
    });
  });

  it('says an empty file is empty, and a file without blocks has none', () => {
    expect(readPemContents('  \n', 'certificates')).toMatchObject({ ok: false, problem: 'is empty' });
    expect(readPemContents('hello', 'certificates')).toMatchObject({
      ok: false,
      problem: 'holds no -----BEGIN CERTIFICATE----- block',
    });
  });

  it('recognises a DER certificate and says how to convert it', () => {
    const der = root.certDer.toString('utf8');
    expect(readPemContents(der, 'certificates')).toMatchObject({
      ok: false,
      problem: 'holds no -----BEGIN CERTIFICATE----- block (it looks like binary DER)',
      fix: expect.stringContaining('openssl x509 -inform der'),
    });
  });

  it('takes the private key and its certificates from a key file, in either order, glued or not', () => {
    for (const text of [root.keyPem + root.certPem, root.certPem.trimEnd() + root.keyPem]) {
      const reading = readPemContents(text, 'private-key');
      expect(reading.ok).toBe(true);
      if (!reading.ok) continue;
      expect(reading.certificates).toHaveLength(1);
      expect(reading.privateKeyPem).toMatch(
        /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/,
      );
      expect(reading.privateKey?.asymmetricKeyType).toBe('ec');
    }
  });

  it('refuses a key file without a key, with two keys, or with an encrypted key', () => {
    expect(readPemContents(root.certPem, 'private-key')).toMatchObject({
      ok: false,
      problem: 'holds 1 certificate but no private key',
    });
    expect(readPemContents(root.keyPem + other.keyPem, 'private-key')).toMatchObject({
      ok: false,
      problem: 'holds 2 private keys; which one to use would be a guess',
    });
    const encrypted = root.keyPem.replaceAll('PRIVATE KEY', 'ENCRYPTED PRIVATE KEY');
    expect(readPemContents(encrypted, 'private-key')).toMatchObject({
      ok: false,
      problem: 'holds an encrypted private key (block #1 (ENCRYPTED PRIVATE KEY))',
    });
  });
});
