import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { useTempDirectory } from '../store/sqlite/test-support.ts';
import { checkBeforeStart, StartRefusedError } from './start-checks.ts';

const tempDirectory = useTempDirectory();
const configWith = (overrides: Record<string, unknown>) =>
  loadConfig({ env: {}, ignoreDefaultFile: true, overrides: { dataDir: tempDirectory(), ...overrides } });

function refusal(run: () => void): StartRefusedError {
  try {
    run();
  } catch (error) {
    if (error instanceof StartRefusedError) return error;
    throw error;
  }
  throw new Error('expected serve to be refused');
}

describe('checkBeforeStart', () => {
  it('refuses to start on a trust file it cannot use, naming the key and the fix', () => {
    const file = join(tempDirectory(), 'ca.pem');
    writeFileSync(file, 'not a certificate');
    const error = refusal(() =>
      checkBeforeStart(configWith({ 'tls.extraCaFile': file }), { warn: () => {} }),
    );
    expect(error.code).toBe('start_refused');
    expect(error.keys).toEqual(['tls.extraCaFile']);
    expect(error.message).toContain(
      `  ✗ tls.extraCaFile: names ${file}, which holds no -----BEGIN CERTIFICATE----- block → convert it to PEM`,
    );
  });

  it('starts with a warning when only the public URL is missing', () => {
    const warnings: string[] = [];
    checkBeforeStart(configWith({}), { warn: (_fields, message) => warnings.push(message) });
    expect(warnings).toEqual([expect.stringMatching(/^server\.publicUrl: not set/)]);
  });
});
