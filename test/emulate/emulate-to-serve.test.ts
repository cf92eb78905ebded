/**
 * A new user's path from the emulators to a connector syncing referrals, with the commands the emulators'
 * README gives, each run as its own process exactly as typed (only `npx` is replaced by the bin it runs):
 *
 *   referral-connector-emulators --write-config emu.yaml --approve-device-codes
 *   referral-connector auth login --config emu.yaml
 *   referral-connector webhooks register --config emu.yaml
 *   referral-connector serve --config emu.yaml
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EMULATORS_BIN = join(ROOT, 'packages/emulators/bin/emulate.js');
const CONNECTOR_BIN = join(ROOT, 'bin/referral-connector.js');
// Nothing from this test's own environment (SERVER_PORT, DATA_DIR…) may reach the connector's configuration.
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };

type Announcement = {
  control: string;
  trust: { tlsCaFile: string; signingRootFile: string };
  connectorConfig: string;
};

const dir = mkdtempSync(join(tmpdir(), 'rc-emulate-to-serve-'));
const configFile = join(dir, 'emu.yaml');
const children: ChildProcess[] = [];
let announced: Announcement;
let connectorPort: number;
let agent: Agent;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts a long-running command and resolves with its first line that `matches`, on stdout (the
 * emulators' announcement) or stderr (the connector's log).
 */
async function startUntil(args: string[], matches: (line: string) => boolean): Promise<string> {
  const child = spawn(process.execPath, args, { cwd: dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited with ${code}: ${seen.join('\n')}`)),
    );
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        seen.push(line);
        if (matches(line)) resolve(line);
      });
    }
  });
}

async function run(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: dir, env: ENV });
  return stdout;
}

async function control(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}) {
  const response = await request(`${announced.control}${path}`, {
    dispatcher: agent,
    method: init.method ?? 'GET',
    ...(init.body !== undefined
      ? { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  expect(response.statusCode).toBeLessThan(300);
  return response.body.json() as Promise<Record<string, unknown>>;
}

beforeAll(async () => {
  connectorPort = await freePort();
  const line = await startUntil(
    [
      EMULATORS_BIN,
      '--write-config',
      'emu.yaml',
      '--approve-device-codes',
      '--connector-port',
      String(connectorPort),
    ],
    (line) => line.startsWith('{'),
  );
  announced = JSON.parse(line) as Announcement;
  agent = new Agent({ connect: { ca: readFileSync(announced.trust.tlsCaFile, 'utf8') } });
}, 30_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
  await agent?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('from `emulate --write-config` to a connector syncing referrals', () => {
  it('writes a configuration the connector loads and validates, its trust files beside it', () => {
    expect(announced.connectorConfig).toBe(configFile);
    const config = loadConfig({ file: configFile, env: {} });
    const origin = new URL(announced.control).origin;
    expect(config).toMatchObject({
      dataDir: join(dir, 'emu-data'),
      server: { host: '127.0.0.1', port: connectorPort, publicUrl: `http://127.0.0.1:${connectorPort}` },
      entra: { authorityHost: origin },
      partnerCenter: {
        referralsUrl: `${origin}/partner-center/v1.0/engagements/referrals`,
        webhooksUrl: `${origin}/partner-center/webhooks/v1`,
        // The emulators' own host, with its port where the emulators name it so.
        certificateHosts: [expect.stringMatching(/^localhost(:\d+)?$/)],
        trustedRootsFile: join(dir, 'emu.signing-root.pem'),
      },
      crm: { dynamics: { url: `${origin}/dataverse` } },
      tls: { extraCaFile: join(dir, 'emu.tls-ca.pem') },
    });
    expect(announced.trust).toEqual({
      tlsCaFile: join(dir, 'emu.tls-ca.pem'),
      signingRootFile: join(dir, 'emu.signing-root.pem'),
    });
    expect(readFileSync(join(dir, 'emu.signing-root.pem'), 'utf8')).toMatch(/END CERTIFICATE-----\n$/);
    // Every key carries a comment saying why.
    const lines = readFileSync(configFile, 'utf8').split('\n');
    const valued = lines.flatMap((line, i) => (/^\s*[A-Za-z]+: \S/.test(line) ? [i] : []));
    expect(valued.length).toBeGreaterThanOrEqual(15);
    for (const i of valued) expect(lines[i - 1], lines[i]).toMatch(/^\s*# /);
  });

  it('signs in without a browser, registers the webhook, and serves: a new referral becomes a lead', async () => {
    expect(await run([CONNECTOR_BIN, 'auth', 'login', '--config', 'emu.yaml'])).toMatch(
      /^signed in as referrals\.admin@contoso-partner\.example/,
    );
    expect(await run([CONNECTOR_BIN, 'webhooks', 'register', '--config', 'emu.yaml'])).toContain(
      `"webhookUrl":"http://127.0.0.1:${connectorPort}/webhooks/partner-center"`,
    );
    const serving = JSON.parse(
      await startUntil([CONNECTOR_BIN, 'serve', '--config', 'emu.yaml'], (l) => l.includes('"serving"')),
    ) as { url: string; webhook: string };
    // The address it bound, not a host name that may resolve elsewhere.
    expect(serving.url).toBe(`http://127.0.0.1:${connectorPort}`);
    expect(serving.webhook).toBe(`http://127.0.0.1:${connectorPort}/webhooks/partner-center`);

    const referral = await control('/referrals', { method: 'POST', body: {} });
    let written: Record<string, unknown> = {};
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      written = await control(`/referrals/${referral.id}`);
      if (written.externalReferenceId) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const leads = (await control('/dataverse/leads')).value as Array<Record<string, unknown>>;
    expect(leads).toHaveLength(1);
    expect(written.externalReferenceId).toBe(leads[0]?.leadid);
    expect(existsSync(join(dir, 'emu-data'))).toBe(true);
  }, 60_000);
});
