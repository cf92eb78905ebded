/**
 * A connector configuration written as the YAML file `serve --config` reads: from dotted keys (as
 * `--set` and the emulators' `connectorConfig` give them) or nested trees, merged. Readable by its
 * owner only: it may hold secrets (the development credentials, an encryption key).
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export type ConfigTree = { [key: string]: unknown };

/** `{ 'server.port': 1 }` → `{ server: { port: 1 } }`. */
export function nestKeys(flat: Record<string, unknown>): ConfigTree {
  const tree: ConfigTree = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = path.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const child = node[part];
      const next = isTree(child) ? child : {};
      node[part] = next;
      node = next;
    }
    node[parts.at(-1) as string] = value;
  }
  return tree;
}

/** `base` with `extra` laid over it, nested trees merged key by key (lists and values replaced). */
export function deepMerge(base: ConfigTree, extra: ConfigTree): ConfigTree {
  const merged: ConfigTree = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] = isTree(current) && isTree(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

export function writeConfigFile(path: string, tree: ConfigTree): void {
  writeFileSync(path, stringify(tree), { mode: 0o600 });
}

function isTree(value: unknown): value is ConfigTree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
