import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { version: string };

describe('referral-connector --version', () => {
  it.each(['--version', '-V'])("prints the package's version for %s", (flag) => {
    const output = execFileSync(process.execPath, ['bin/referral-connector.js', flag], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(output).toBe(`${version}\n`);
  });
});
