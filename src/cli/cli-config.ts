import type { Command } from 'commander';
import type { Config } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';

export type ConfigFlags = { config?: string; set?: string[] };

/** Adds the flags every configured command takes: a config file and `--set key=value` overrides. */
export function withConfigFlags(command: Command): Command {
  return command
    .option('-c, --config <file>', 'YAML configuration file (default: ./referral-connector.yaml if present)')
    .option(
      '--set <key=value>',
      'override one configuration key, e.g. --set server.port=9090 (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    );
}

/** `--set key=value` flags → configuration overrides. */
export function parseSetFlags(pairs: readonly string[] = []): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new TypeError(`--set needs key=value, got "${pair}"`);
    overrides[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return overrides;
}

export function configFromFlags(flags: ConfigFlags, extra: Record<string, unknown> = {}): Config {
  const overrides = parseSetFlags(flags.set);
  return loadConfig({
    ...(flags.config ? { file: flags.config } : {}),
    env: process.env,
    overrides: { ...overrides, ...extra },
  });
}
