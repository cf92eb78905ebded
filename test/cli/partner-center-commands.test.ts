/**
 * The commands that talk only to Partner Center need only the Partner Center keys: a new user signs in
 * (README step 3) before any CRM is configured.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEV_CREDENTIALS, type EmulatorWorld, startEmulators } from '@referral-connector/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/referral-connector.js', import.meta.url));

let world: EmulatorWorld;
let dir: string;

beforeAll(async () => {
  world = await startEmulators({ entra: { deviceCodeAutoApprove: DEV_CREDENTIALS.username } });
  dir = mkdtempSync(join(tmpdir(), 'rc-cli-'));
  writeFileSync(join(dir, 'tls-ca.pem'), world.tlsCaPem ?? '');
});

afterAll(async () => {
  await world?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Only what Partner Center needs; in particular no `crm.*` key. */
function partnerCenterOnly(): string[] {
  const keys = {
    dataDir: join(dir, 'data'),
    'entra.authorityHost': world.urls.entra,
    'partnerCenter.tenantId': DEV_CREDENTIALS.tenant,
    'partnerCenter.clientId': DEV_CREDENTIALS.clientId,
    'partnerCenter.referralsUrl': world.urls.referrals,
    'partnerCenter.webhooksUrl': world.urls.webhooks,
    'tls.extraCaFile': join(dir, 'tls-ca.pem'),
  };
  return Object.entries(keys).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
}

describe('commands that need only Partner Center', () => {
  it('signs a user in with `auth login` when no CRM key is set', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'auth', 'login', ...partnerCenterOnly()], {
      env: { ...process.env, CRM_DYNAMICS_URL: '' },
    });
    expect(stdout).toContain(`signed in as ${DEV_CREDENTIALS.username}`);
  });

  it('shows the webhook registration with `webhooks show` on the stored sign-in, still without a CRM', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'webhooks', 'show', ...partnerCenterOnly()]);
    expect(stdout).toContain('no webhook registration for this tenant');
  });

  it('names the missing Partner Center key instead of a CRM key', async () => {
    const failure = await run(process.execPath, [
      CLI,
      'auth',
      'login',
      '--set',
      `dataDir=${join(dir, 'other')}`,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('partnerCenter.tenantId');
    expect((failure as { stderr: string }).stderr).not.toContain('crm.dynamics');
  });
});
