import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS, DEV_HUBSPOT, DEV_SALESFORCE } from '../credentials.ts';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Announcement = {
  entra: string;
  referrals: string;
  webhooks: string;
  dataverse: string;
  hubspot: string;
  salesforce: string;
  control: string;
  credentials: Record<string, string> & {
    hubspot?: { accessToken: string };
    salesforce?: { clientId: string; clientSecret: string; username: string; jwtKeyFile: string };
  };
  trust: { tlsCaFile?: string; signingRootFile: string };
};

let child: ChildProcess;
let firstLine: string;
let linesAfter: string[];

beforeAll(async () => {
  // The package's own command, on the Node that runs this test (24, which strips the sources' types).
  child = spawn(process.execPath, ['bin/emulate.js', '--port', '0'], {
    cwd: PACKAGE,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = child.stdout;
  if (!stdout) throw new Error('no stdout');
  const lines = createInterface({ input: stdout });
  linesAfter = [];
  firstLine = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('exit', (code) => reject(new Error(`emulate exited with ${code}: ${stderr}`)));
    lines.once('line', resolve);
  });
  lines.on('line', (line) => linesAfter.push(line));
}, 30_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

describe('referral-connector-emulators (emulate)', () => {
  it('announces itself with exactly one JSON line: URLs, development credentials and trust files', () => {
    const announced = JSON.parse(firstLine) as Announcement;
    expect(Object.keys(announced).toSorted()).toEqual(
      [
        'control',
        'credentials',
        'dataverse',
        'entra',
        'hubspot',
        'referrals',
        'salesforce',
        'trust',
        'webhooks',
      ].toSorted(),
    );
    const origin = new URL(announced.entra).origin;
    expect(origin).toMatch(/^https:\/\/localhost:\d+$/);
    expect(announced).toMatchObject({
      referrals: `${origin}/partner-center/v1.0/engagements/referrals`,
      webhooks: `${origin}/partner-center/webhooks/v1`,
      dataverse: `${origin}/dataverse/api/data/v9.2`,
      hubspot: `${origin}/hubspot`,
      salesforce: `${origin}/salesforce`,
      control: `${origin}/control`,
    });
    expect(announced.credentials).toEqual({
      tenant: DEV_CREDENTIALS.tenant,
      clientId: DEV_CREDENTIALS.clientId,
      clientSecret: DEV_CREDENTIALS.clientSecret,
      username: DEV_CREDENTIALS.username,
      password: DEV_CREDENTIALS.password,
      hubspot: { accessToken: DEV_HUBSPOT.accessToken },
      salesforce: {
        clientId: DEV_SALESFORCE.clientId,
        clientSecret: DEV_SALESFORCE.clientSecret,
        username: DEV_SALESFORCE.username,
        jwtKeyFile: expect.stringMatching(/salesforce-jwt-key\.pem$/),
      },
    });
    expect(readFileSync(announced.credentials.salesforce?.jwtKeyFile ?? '', 'utf8')).toBe(
      DEV_SALESFORCE.jwtPrivateKeyPem,
    );
    expect(readFileSync(announced.trust.signingRootFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(linesAfter).toEqual([]);
  });

  it('serves the control API over https trusted through the announced CA file', async () => {
    const announced = JSON.parse(firstLine) as Announcement;
    const ca = readFileSync(announced.trust.tlsCaFile ?? '', 'utf8');
    const agent = new Agent({ connect: { ca } });
    try {
      const response = await request(`${announced.control}/counters`, { dispatcher: agent });
      expect(response.statusCode).toBe(200);
      expect(Object.keys((await response.body.json()) as object)).toEqual(
        expect.arrayContaining(['entra', 'referrals', 'webhooks', 'dataverse']),
      );
    } finally {
      await agent.close();
    }
  });

  it('serves HubSpot at the announced base URL to the announced token', async () => {
    const announced = JSON.parse(firstLine) as Announcement;
    const ca = readFileSync(announced.trust.tlsCaFile ?? '', 'utf8');
    const agent = new Agent({ connect: { ca } });
    try {
      const response = await request(`${announced.hubspot}/crm/v3/objects/contacts`, {
        dispatcher: agent,
        headers: { authorization: `Bearer ${announced.credentials.hubspot?.accessToken}` },
      });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toEqual({ results: [] });
    } finally {
      await agent.close();
    }
  });

  it('serves the Salesforce token endpoint at the announced My Domain to the announced credentials', async () => {
    const announced = JSON.parse(firstLine) as Announcement;
    const ca = readFileSync(announced.trust.tlsCaFile ?? '', 'utf8');
    const agent = new Agent({ connect: { ca } });
    try {
      const response = await request(`${announced.salesforce}/services/oauth2/token`, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: announced.credentials.salesforce?.clientId ?? '',
          client_secret: announced.credentials.salesforce?.clientSecret ?? '',
        }).toString(),
      });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toMatchObject({ instance_url: announced.salesforce });
    } finally {
      await agent.close();
    }
  });

  it('exits cleanly on SIGTERM', async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
