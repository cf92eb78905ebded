import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './load-config.ts';

const noFile = () => {
  const file = join(mkdtempSync(join(tmpdir(), 'rc-proxy-')), 'config.yaml');
  writeFileSync(file, '');
  return file;
};

describe('server.trustProxy', () => {
  it('believes no proxy unless told to', () => {
    expect(loadConfig({ env: {}, file: noFile() }).server.trustProxy).toBe(false);
  });

  it.each([
    ['true', true],
    ['FALSE', false],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
    ['loopback,fd00::/8', ['loopback', 'fd00::/8']],
  ])('reads %s from SERVER_TRUST_PROXY', (raw, expected) => {
    expect(loadConfig({ env: { SERVER_TRUST_PROXY: raw }, file: noFile() }).server.trustProxy).toEqual(
      expected,
    );
  });

  it('takes a list of addresses from the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rc-proxy-')), 'config.yaml');
    writeFileSync(file, 'server:\n  trustProxy: [192.168.0.0/16, "::1"]\n');
    expect(loadConfig({ env: {}, file }).server.trustProxy).toEqual(['192.168.0.0/16', '::1']);
  });

  it.each([
    ['a hop count', 1],
    ['a host name', 'proxy.internal'],
    ['a bad CIDR', ['10.0.0.0/33']],
  ])('refuses %s, naming the key', (_case, value) => {
    const load = () => loadConfig({ env: {}, file: noFile(), overrides: { 'server.trustProxy': value } });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/server\.trustProxy: must be true, false, or a list/);
  });
});
