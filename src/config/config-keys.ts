/**
 * The flat list of configuration keys, derived from the schema, with the environment variable that
 * sets each one: `crm.dynamics.url` ⇄ `CRM_DYNAMICS_URL`.
 */
import { z } from 'zod';
import { configSchema } from './config-schema.ts';

export type ConfigKey = {
  path: string;
  env: string;
  description: string;
  isList: boolean;
  defaultValue: unknown;
};

export function envNameOf(path: string): string {
  return path
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
    .join('_');
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; defaultValue: unknown } {
  let current: z.ZodType = schema;
  let defaultValue: unknown;
  for (;;) {
    if (current instanceof z.ZodDefault) {
      defaultValue ??= current.def.defaultValue;
      current = current.unwrap() as z.ZodType;
    } else if (
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap() as z.ZodType;
    } else {
      return { inner: current, defaultValue };
    }
  }
}

function collect(schema: z.ZodType, prefix: string, out: ConfigKey[]): void {
  const { inner, defaultValue } = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    for (const [name, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      collect(child, prefix ? `${prefix}.${name}` : name, out);
    }
    return;
  }
  out.push({
    path: prefix,
    env: envNameOf(prefix),
    description: schema.description ?? inner.description ?? '',
    isList: inner instanceof z.ZodArray,
    defaultValue,
  });
}

export const CONFIG_KEYS: readonly ConfigKey[] = (() => {
  const keys: ConfigKey[] = [];
  collect(configSchema, '', keys);
  return keys;
})();

export function findKey(path: string): ConfigKey | undefined {
  return CONFIG_KEYS.find((key) => key.path === path);
}
