import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS } from '../credentials.ts';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'rc-emulate-flags-'));
const configFile = join(dir, 'nested', 'emu.yaml');

type Announcement = {
  control: string;
  trust: { tlsCaFile: string; signingRootFile: string };
  connectorConfig: string;
};

let child: ChildProcess;
let announced: Announcement;
let agent: Agent;

beforeAll(async () => {
  child = spawn(
    process.execPath,
    [
      'bin/emulate.js',
      '--write-config',
      configFile,
      '--connector-port',
      '9999',
      '--approve-device-codes',
      '--dataverse-limits',
      '100/10s',
    ],
    { cwd: PACKAGE, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulate exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
  });
  announced = JSON.parse(line) as Announcement;
  agent = new Agent({ connect: { ca: readFileSync(announced.trust.tlsCaFile, 'utf8') } });
}, 30_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await agent?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function control(path: string): Promise<Record<string, unknown>> {
  const response = await request(`${announced.control}${path}`, { dispatcher: agent });
  return (await response.body.json()) as Record<string, unknown>;
}

describe('emulate flags', () => {
  it('--write-config writes the configuration and its trust files beside FILE, and announces them', () => {
    expect(announced.connectorConfig).toBe(configFile);
    expect(announced.trust).toEqual({
      tlsCaFile: join(dir, 'nested', 'emu.tls-ca.pem'),
      signingRootFile: join(dir, 'nested', 'emu.signing-root.pem'),
    });
    const yaml = readFileSync(configFile, 'utf8');
    expect(yaml).toContain(`dataDir: ${JSON.stringify(join(dir, 'nested', 'emu-data'))}`);
    expect(yaml).toContain('  publicUrl: "http://127.0.0.1:9999"');
    expect(yaml).toContain(`  extraCaFile: ${JSON.stringify(announced.trust.tlsCaFile)}`);
  });

  it('--dataverse-limits N/WINDOW sets the emulated limits, and the written configuration paces to them', async () => {
    expect(await control('/dataverse/limits')).toEqual({
      requestsPerWindow: 100,
      windowMs: 10_000,
      executionTimeMs: 20_000,
      concurrentRequests: 52,
    });
    const yaml = readFileSync(configFile, 'utf8');
    expect(yaml).toMatch(/\n {4}limits:\n(.*\n)* {6}requestsPerWindow: 100\n/);
    expect(yaml).toMatch(/ {6}windowSeconds: 10\n/);
    expect(yaml).toMatch(/ {6}executionSecondsPerWindow: 20\n/);
  });

  it('--approve-device-codes approves as the development user, polled every second', async () => {
    const state = (await control('/entra/state')) as { settings: Record<string, unknown> };
    expect(state.settings).toMatchObject({
      deviceCodeAutoApprove: DEV_CREDENTIALS.username,
      deviceCodeIntervalSeconds: 1,
    });
  });

  it('keeps the written files when it stops', async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    for (const file of [configFile, announced.trust.tlsCaFile, announced.trust.signingRootFile])
      expect(existsSync(file), file).toBe(true);
  });

  it('refuses a --dataverse-limits it cannot read, with exit code 2 and the syntax', async () => {
    const failure = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/emulate.js', '--dataverse-limits', 'lots'],
        { cwd: PACKAGE },
        (error, _out, stderr) => resolve({ code: (error as { code?: number } | null)?.code ?? 0, stderr }),
      );
    });
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('--dataverse-limits: "lots" is not one of default, off, or N/WINDOW');
  });
});
