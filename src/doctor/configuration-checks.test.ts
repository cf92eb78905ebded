import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from '@referral-connector/emulators';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { useTempDirectory } from '../store/sqlite/test-support.ts';
import { checkConfiguredFiles, checkPublicUrl, checkStoreLocation } from './configuration-checks.ts';

const tempDirectory = useTempDirectory();
const configWith = (overrides: Record<string, unknown>) =>
  loadConfig({ env: {}, ignoreDefaultFile: true, overrides });

describe('checkConfiguredFiles', () => {
  it('counts the certificates and the key of each PEM file a key names', async () => {
    const ca = await issueCertificate({ subject: 'CN=CA', isCa: true, key: 'ec-p256' });
    const app = await issueCertificate({ subject: 'CN=app', key: 'rsa-2048' });
    const dir = tempDirectory();
    writeFileSync(join(dir, 'ca.pem'), ca.certPem.trimEnd() + app.certPem);
    writeFileSync(join(dir, 'app.pem'), app.keyPem + app.certPem);
    const checks = checkConfiguredFiles(
      configWith({
        'tls.extraCaFile': join(dir, 'ca.pem'),
        'crm.dynamics.certificateFile': join(dir, 'app.pem'),
      }),
    );
    expect(checks.map(({ name, status, detail }) => ({ name, status, detail }))).toEqual([
      {
        name: 'crm.dynamics.certificateFile',
        status: 'pass',
        detail: `a RSA private key and 1 certificate (${join(dir, 'app.pem')})`,
      },
      { name: 'tls.extraCaFile', status: 'pass', detail: `2 certificates (${join(dir, 'ca.pem')})` },
    ]);
  });

  it('fails a missing file and blocks the start', () => {
    const [check] = checkConfiguredFiles(
      configWith({ 'partnerCenter.trustedRootsFile': '/nowhere/roots.pem' }),
    );
    expect(check).toMatchObject({
      name: 'partnerCenter.trustedRootsFile',
      status: 'fail',
      detail: 'names /nowhere/roots.pem, which does not exist',
      blocksStart: true,
    });
  });

  it('warns about an expired certificate in a trust file', async () => {
    const ca = await issueCertificate({ subject: 'CN=Old CA', isCa: true, key: 'ec-p256' });
    const file = join(tempDirectory(), 'old.pem');
    writeFileSync(file, ca.certPem);
    const later = Date.parse('2200-01-01T00:00:00Z');
    const [check] = checkConfiguredFiles(configWith({ 'tls.extraCaFile': file }), later);
    expect(check).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('certificate #1 (CN=Old CA) expired on'),
    });
  });
});

describe('checkPublicUrl', () => {
  it.each([
    ['https://connector.example.com/', 'pass'],
    ['http://127.0.0.1:8080', 'warn'],
    ['http://localhost:8080', 'warn'],
    ['http://connector.example.com', 'fail'],
  ])('%s: %s', (url, status) => {
    expect(checkPublicUrl(configWith({ 'server.publicUrl': url })).status).toBe(status);
  });

  it('fails when unset, without blocking a start', () => {
    expect(checkPublicUrl(configWith({}))).toMatchObject({ status: 'fail', blocksStart: false });
  });
});

describe('checkStoreLocation', () => {
  it('passes a data directory that does not exist yet under a writable one', () => {
    const dataDir = join(tempDirectory(), 'not', 'yet');
    expect(checkStoreLocation(configWith({ dataDir }))).toMatchObject({
      name: 'dataDir',
      status: 'pass',
      detail: expect.stringContaining('will be created'),
    });
  });

  it('fails a dataDir that is a file, and blocks the start', () => {
    const file = join(tempDirectory(), 'a-file');
    writeFileSync(file, '');
    expect(checkStoreLocation(configWith({ dataDir: file }))).toMatchObject({
      status: 'fail',
      detail: `${file} is a file, not a directory`,
      blocksStart: true,
    });
  });

  it('fails a dataDir below a file', () => {
    const file = join(tempDirectory(), 'plain');
    writeFileSync(file, '');
    expect(checkStoreLocation(configWith({ dataDir: join(file, 'data') })).detail).toBe(
      `${file} is a file, so ${join(file, 'data')} cannot be created`,
    );
  });

  it('leaves a PostgreSQL store to the connection', () => {
    mkdirSync(tempDirectory(), { recursive: true });
    expect(checkStoreLocation(configWith({ 'store.url': 'postgres://rc@db.example/rc' })).status).toBe(
      'skip',
    );
  });
});
