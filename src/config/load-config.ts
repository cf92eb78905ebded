/**
 * Loads the configuration: defaults < YAML file < environment < flags (`--set key=value`).
 * Unknown keys in the file are errors too: a typo must not silently fall back to a default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { closestKey } from './closest-key.ts';
import { ConfigError, type ConfigProblem } from './config-error.ts';
import { CONFIG_KEYS, findKey } from './config-keys.ts';
import { type Config, configSchema } from './config-schema.ts';

export const DEFAULT_CONFIG_FILE = 'referral-connector.yaml';

export type LoadConfigOptions = {
  /** YAML file; when omitted, ./referral-connector.yaml is read if it exists. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Flag overrides by key path, e.g. { 'server.port': '9090' }. */
  overrides?: Record<string, unknown>;
  /** Skip ./referral-connector.yaml (the demo configures itself). */
  ignoreDefaultFile?: boolean;
};

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const problems: ConfigProblem[] = [];
  const file =
    options.file ??
    (!options.ignoreDefaultFile && existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const merged: Record<string, unknown> = file ? readFile(file, problems) : {};

  for (const key of CONFIG_KEYS) {
    const raw = options.env?.[key.env];
    if (raw !== undefined && raw !== '') setPath(merged, key.path, key.isList ? splitList(raw) : raw);
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    const key = findKey(path);
    if (!key) {
      problems.push(notAKey(path));
      continue;
    }
    setPath(merged, path, key.isList && typeof value === 'string' ? splitList(value) : value);
  }

  dropEmptySections(merged, '');
  problems.push(...unknownKeys(merged, ''));
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    // Unknown keys and sections that are not mappings are reported above, with a suggestion; the
    // schema's own word on them would list them twice.
    const reported = new Set(problems.map((problem) => problem.path));
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      if (issue.code === 'unrecognized_keys' || reported.has(path)) continue;
      problems.push({ path, problem: issue.message });
    }
  }
  if (problems.length > 0 || !parsed.success)
    throw new ConfigError(problems, file ?? 'defaults and environment');
  return parsed.data;
}

/** For a command that needs keys without defaults (tenant, credentials…): one error naming them all. */
export function requireKeys(config: Config, paths: readonly string[], purpose: string): void {
  const missing = paths.filter((path) => getPath(config, path) === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map((path) => ({ path, problem: `is required ${purpose}` })),
      'missing keys',
    );
  }
}

export function getPath(target: unknown, path: string): unknown {
  let current = target;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const KNOWN_PATHS = new Set(CONFIG_KEYS.map((key) => key.path));
const KNOWN_SECTIONS = new Set(
  CONFIG_KEYS.flatMap((key) => key.path.split('.').map((_, i, parts) => parts.slice(0, i).join('.'))),
);

/** A section left with only comments (`secrets:`) reads as null in YAML: treat it as empty. */
function dropEmptySections(value: Record<string, unknown>, prefix: string): void {
  for (const [name, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (!KNOWN_SECTIONS.has(path)) continue;
    if (child === null) delete value[name];
    else if (typeof child === 'object' && !Array.isArray(child))
      dropEmptySections(child as Record<string, unknown>, path);
  }
}

function unknownKeys(value: Record<string, unknown>, prefix: string): ConfigProblem[] {
  return Object.entries(value).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    if (KNOWN_PATHS.has(path)) return [];
    if (KNOWN_SECTIONS.has(path) && child !== null && typeof child === 'object' && !Array.isArray(child)) {
      return unknownKeys(child as Record<string, unknown>, path);
    }
    return [KNOWN_SECTIONS.has(path) ? { path, problem: 'must be a mapping of keys' } : notAKey(path)];
  });
}

const SUGGESTIONS = [...KNOWN_PATHS, ...[...KNOWN_SECTIONS].filter(Boolean)];

/** An unknown key cannot be "set"; the useful hint is the key that was probably meant. */
function notAKey(path: string): ConfigProblem {
  const meant = closestKey(path, SUGGESTIONS);
  return meant
    ? { path, problem: 'is not a configuration key', fix: `did you mean \`${meant}\`?` }
    : { path, problem: 'is not a configuration key' };
}

function readFile(file: string, problems: ConfigProblem[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? { path: file, problem: 'does not exist', fix: 'check the path given to --config' }
        : { path: file, problem: `cannot be read: ${(error as Error).message}` },
    );
    return {};
  }
  try {
    const value: unknown = parseYaml(text);
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ path: file, problem: 'must hold a YAML mapping of keys' });
      return {};
    }
    return value as Record<string, unknown>;
  } catch (error) {
    problems.push({ path: file, problem: `is not valid YAML: ${(error as Error).message}` });
    return {};
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = target;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1] as string] = value;
}

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
