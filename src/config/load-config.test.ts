import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { CONFIG_KEYS } from './config-keys.ts';
import { loadConfig, requireKeys } from './load-config.ts';

function yamlFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rc-config-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.path);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the real Microsoft endpoints', () => {
    const config = loadConfig({ env: {}, file: yamlFile('') });
    expect(config.partnerCenter.referralsUrl).toBe(
      'https://api.partner.microsoft.com/v1.0/engagements/referrals',
    );
    expect(config.partnerCenter.webhooksUrl).toBe('https://api.partnercenter.microsoft.com/webhooks/v1');
    expect(config.entra.authorityHost).toBe('https://login.microsoftonline.com');
    expect(config.partnerCenter.certificateHosts).toEqual(['3psostorageacct.blob.core.windows.net']);
  });

  it('layers defaults < file < environment < flags', () => {
    const file = yamlFile('server:\n  port: 9000\n  host: 127.0.0.1\nsync:\n  concurrency: 4\n');
    const config = loadConfig({
      file,
      env: { SERVER_PORT: '9100', SYNC_CONCURRENCY: '6', SYNC_WRITE_BACK: 'false' },
      overrides: { 'server.port': 9200 },
    });
    expect(config.server.port).toBe(9200);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.sync.concurrency).toBe(6);
    expect(config.sync.writeBack).toBe(false);
  });

  it('reads comma-separated lists from the environment', () => {
    const config = loadConfig({
      file: yamlFile(''),
      env: { PARTNER_CENTER_CERTIFICATE_HOSTS: 'a.example, b.example' },
    });
    expect(config.partnerCenter.certificateHosts).toEqual(['a.example', 'b.example']);
  });

  it('lists every bad key in one error, each with its environment variable', () => {
    const file = yamlFile('server:\n  port: seventy\n  prot: 1\ncrm:\n  dynamics:\n    url: not a url\n');
    let message = '';
    try {
      loadConfig({ file, env: { SYNC_CONCURRENCY: '0' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('server.port');
    expect(message).toContain('SERVER_PORT');
    expect(message).toContain('server.prot: is not a configuration key');
    expect(message).toContain('crm.dynamics.url');
    expect(message).toContain('CRM_DYNAMICS_URL');
    expect(message).toContain('sync.concurrency');
  });

  it('rejects a flag naming no key', () => {
    expect(problemsOf(() => loadConfig({ file: yamlFile(''), overrides: { 'server.prot': '1' } }))).toEqual([
      'server.prot',
    ]);
  });

  it('says when the file is not YAML, naming the file', () => {
    const file = yamlFile('server: [1,\n');
    expect(problemsOf(() => loadConfig({ file }))).toEqual([file]);
    expect(messageOf(() => loadConfig({ file }))).toContain(`  - ${file}: is not valid YAML`);
  });

  it('names a configuration file that does not exist, and nothing else', () => {
    const file = join(tmpdir(), 'rc-config-nowhere', 'emu.yaml');
    expect(problemsOf(() => loadConfig({ file, env: {} }))).toEqual([file]);
    const message = messageOf(() => loadConfig({ file, env: {} }));
    expect(message).toContain(`  - ${file}: does not exist (check the path given to --config)`);
    expect(message).not.toContain('(file)');
  });

  it('lists an unknown key once, with the key it is closest to', () => {
    const run = () => loadConfig({ file: yamlFile('server:\n  bodyLimit: 20000\n'), env: {} });
    expect(problemsOf(run)).toEqual(['server.bodyLimit']);
    const message = messageOf(run);
    expect(message).toContain(
      '  - server.bodyLimit: is not a configuration key (did you mean `server.bodyLimitBytes`?)',
    );
    expect(message).not.toContain('SERVER_BODY_LIMIT');
  });

  it('suggests a section for a misspelt one, and nothing for a key far from every known one', () => {
    const run = () =>
      loadConfig({
        file: yamlFile('crm:\n  dynamic:\n    url: https://x.example\nflavour: mint\n'),
        env: {},
      });
    expect(problemsOf(run)).toEqual(['crm.dynamic', 'flavour']);
    const message = messageOf(run);
    expect(message).toContain('  - crm.dynamic: is not a configuration key (did you mean `crm.dynamics`?)');
    expect(message).toMatch(/^ {2}- flavour: is not a configuration key$/m);
    expect(message).not.toContain('FLAVOUR');
  });

  it('lists a section that is not a mapping once', () => {
    expect(problemsOf(() => loadConfig({ file: yamlFile('server: 8080\n'), env: {} }))).toEqual(['server']);
  });

  it('suggests the closest key for a flag naming no key', () => {
    expect(messageOf(() => loadConfig({ file: yamlFile(''), overrides: { 'sever.port': '1' } }))).toContain(
      '  - sever.port: is not a configuration key (did you mean `server.port`?)',
    );
  });

  it('names every key a command needs and lacks', () => {
    const config = loadConfig({ file: yamlFile('partnerCenter:\n  tenantId: t\n') });
    expect(
      problemsOf(() =>
        requireKeys(
          config,
          ['partnerCenter.tenantId', 'partnerCenter.clientId', 'crm.dynamics.url'],
          'to sync',
        ),
      ),
    ).toEqual(['partnerCenter.clientId', 'crm.dynamics.url']);
  });

  it('derives one environment variable per key', () => {
    const envs = CONFIG_KEYS.map((key) => key.env);
    expect(new Set(envs).size).toBe(envs.length);
    expect(envs).toContain('CRM_DYNAMICS_REFERRAL_ID_COLUMN');
    expect(envs).toContain('PARTNER_CENTER_CLIENT_SECRET');
  });
});

describe('referral-connector.example.yaml', () => {
  it('is a valid configuration', () => {
    const config = loadConfig({
      file: new URL('../../referral-connector.example.yaml', import.meta.url).pathname,
      env: {},
    });
    expect(config.crm.dynamics.url).toBe('https://contoso.crm4.dynamics.com');
  });
});
