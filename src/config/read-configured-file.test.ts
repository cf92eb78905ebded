import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './load-config.ts';
import { readConfiguredFile } from './read-configured-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'rc-configured-file-'));
const configWith = (overrides: Record<string, unknown>) =>
  loadConfig({ env: {}, ignoreDefaultFile: true, overrides });

function failureOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfiguredFile', () => {
  it("returns the file's text", () => {
    const file = join(dir, 'ca.pem');
    writeFileSync(file, 'PEM\n');
    expect(readConfiguredFile(configWith({ 'tls.extraCaFile': file }), 'tls.extraCaFile')).toBe('PEM\n');
  });

  it('returns undefined when the key is not set', () => {
    expect(readConfiguredFile(configWith({}), 'partnerCenter.trustedRootsFile')).toBeUndefined();
  });

  it.each([
    'tls.extraCaFile',
    'partnerCenter.trustedRootsFile',
    'partnerCenter.intermediatesFile',
    'crm.dynamics.certificateFile',
  ] as const)('names %s and its file when the file does not exist, not a bare ENOENT', (key) => {
    const file = join(dir, 'missing', 'file.pem');
    const failure = failureOf(() => readConfiguredFile(configWith({ [key]: file }), key));
    expect(failure.problems.map((p) => p.path)).toEqual([key]);
    expect(failure.message).toContain(`  - ${key}: names ${file}, which does not exist (point \`${key}\``);
    expect(failure.message).not.toContain('ENOENT');
  });

  it('shows where a relative path led', () => {
    const failure = failureOf(() =>
      readConfiguredFile(configWith({ 'tls.extraCaFile': 'certs/ca.pem' }), 'tls.extraCaFile'),
    );
    expect(failure.message).toContain(`names certs/ca.pem (${join(process.cwd(), 'certs/ca.pem')})`);
  });

  // Skipped as root, who reads any file whatever its mode.
  it.runIf(process.getuid?.() !== 0)('says why a file that exists cannot be read', () => {
    const file = join(dir, 'locked.pem');
    writeFileSync(file, 'PEM\n');
    chmodSync(file, 0o000);
    expect(
      failureOf(() => readConfiguredFile(configWith({ 'tls.extraCaFile': file }), 'tls.extraCaFile')).message,
    ).toContain(`names ${file}, which cannot be read (EACCES)`);
  });

  it('reads a directory as a problem of the key, too', () => {
    expect(
      failureOf(() => readConfiguredFile(configWith({ 'tls.extraCaFile': dir }), 'tls.extraCaFile')).message,
    ).toContain(`names ${dir}, which cannot be read (EISDIR)`);
  });
});
