/**
 * `referral-connector doctor` and `serve` as a partner runs them: a process reading a configuration file
 * written for the emulators (as `emulate --write-config` writes one), its output and its exit status.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type DoctorWorld, startDoctorWorld } from '../doctor/test-support.ts';

const CLI = new URL('../../bin/referral-connector.js', import.meta.url).pathname;

type Run = { code: number | null; stdout: string; stderr: string };

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `{ 'a.b': 1 }` → `{ a: { b: 1 } }`: the file a person writes. */
function nested(settings: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1) as string] = value;
  }
  return root;
}

let dw: DoctorWorld;
let configFile: string;
beforeAll(async () => {
  dw = await startDoctorWorld({ seed: 'doctor-cli' });
  configFile = dw.file('referral-connector.yaml', stringify(nested(dw.settings)));
});
afterAll(() => dw?.close());

describe('referral-connector doctor', () => {
  it('exits 0 with every check passed against the emulators, and prints JSON for scripts', async () => {
    const result = await run(['doctor', '--config', configFile, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; counts: Record<string, number> };
    expect(report).toMatchObject({ ok: true, counts: { fail: 0, skip: 0, warn: 1 } });
  });

  it('exits non-zero with the ✗ line and its fix when change tracking is off', async () => {
    dw.world.dataverse.setSetup({ changeTracking: false });
    try {
      const result = await run(['doctor', '--config', configFile]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^ {2}✗ change tracking on lead: .* → turn on Track changes/m);
      expect(result.stdout).toMatch(/\nnot ready: 1 failed, /);
    } finally {
      dw.world.dataverse.setSetup({ changeTracking: true });
    }
  });
});

describe('referral-connector serve', () => {
  it('refuses to start on a trust file it cannot use, naming the key and the fix', async () => {
    const broken = dw.file(
      'broken-ca.pem',
      (dw.world.tlsCaPem ?? '').replace(/-----END CERTIFICATE-----\s*$/, ''),
    );
    const result = await run(['serve', '--config', configFile, '--set', `tls.extraCaFile=${broken}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('serve did not start; fix these first');
    expect(result.stderr).toContain(`✗ tls.extraCaFile: names ${broken}, which has a block #1 (CERTIFICATE)`);
  });
});
