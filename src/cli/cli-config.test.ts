import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.ts';
import { type ConfigFlags, configFromFlags, withConfigFlags } from './cli-config.ts';

function parseFlags(...argv: string[]): ConfigFlags {
  const command = withConfigFlags(new Command('serve').exitOverride());
  command.parse(argv, { from: 'user' });
  return command.opts<ConfigFlags>();
}

describe('--set flags', () => {
  it('collects every repeated --set, in order', () => {
    expect(parseFlags('--set', 'server.port=9090', '--set', 'sync.concurrency=3').set).toEqual([
      'server.port=9090',
      'sync.concurrency=3',
    ]);
  });

  it('override configuration keys, typed by the schema', () => {
    const config = configFromFlags(parseFlags('--set', 'server.port=9090', '--set', 'sync.concurrency=3'));
    expect(config.server.port).toBe(9090);
    expect(config.sync.concurrency).toBe(3);
  });

  it('keep everything after the first "=" as the value', () => {
    const config = configFromFlags({ set: ['crm.dynamics.url=https://contoso.crm4.dynamics.com/?a=b'] });
    expect(config.crm.dynamics.url).toBe('https://contoso.crm4.dynamics.com/?a=b');
  });

  it('let the caller override a --set', () => {
    expect(configFromFlags({ set: ['server.port=9090'] }, { 'server.port': 7070 }).server.port).toBe(7070);
  });

  it.each(['server.port', '=9090', ''])('refuse "%s", which is not key=value', (pair) => {
    expect(() => configFromFlags({ set: [pair] })).toThrow(/--set needs key=value/);
  });

  it('refuse a key that does not exist, naming it', () => {
    const failure = (() => {
      try {
        configFromFlags({ set: ['server.prot=9090'] });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toContain('server.prot');
  });

  it('suggest the key meant, and never how to "set" a key that does not exist', () => {
    expect(() => configFromFlags({ set: ['server.prot=9090'] })).toThrow(
      /server\.prot: is not a configuration key \(did you mean `server\.port`\?\)/,
    );
    expect(() => configFromFlags({ set: ['server.prot=9090'] })).not.toThrow(/SERVER_PROT/);
  });
});

describe('--config', () => {
  it('names a file that does not exist', () => {
    expect(() => configFromFlags({ config: 'no-such-dir/emu.yaml' })).toThrow(
      /- no-such-dir\/emu\.yaml: does not exist \(check the path given to --config\)/,
    );
  });
});
