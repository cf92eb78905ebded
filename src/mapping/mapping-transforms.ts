/**
 * The fixed set of transforms a mapping entry may apply to its value, in order. Data, not code: each is
 * a name with an argument, checked when the configuration is loaded. On a list (a path with `[]`) every
 * transform but `default` and `join` applies to each item.
 */
import { closestKey } from '../config/closest-key.ts';
import { toCloseDate } from './close-date.ts';
import type { MappingWarning } from './mapping-warning.ts';
import type { MappingScalar, MappingValue, ValueKind } from './referral-paths.ts';
import { truncateText } from './truncate-text.ts';

export const TRANSFORM_NAMES = ['default', 'truncate', 'upper', 'lower', 'date', 'lookup', 'join'] as const;
export type TransformName = (typeof TRANSFORM_NAMES)[number];

/** As written in the configuration. */
export type TransformConfig =
  | 'upper'
  | 'lower'
  | 'date'
  | { default: MappingScalar }
  | { truncate: number }
  | { lookup: Readonly<Record<string, MappingScalar>>; otherwise?: MappingScalar }
  | { join: string };

export type TransformWarn = (warning: Omit<MappingWarning, 'field'>) => void;

export type Transform = {
  name: TransformName;
  /** The argument, for docs and the preview. */
  config: TransformConfig;
  apply(value: MappingValue, warn: TransformWarn): MappingValue;
  /** The kind of value it gives for a value of `input`'s kind, or why it cannot take one. */
  kind(input: ValueKind): ValueKind | { problem: string };
};

export type TransformProblem = { path: string[]; problem: string };

const NO_ARGUMENT = new Set<TransformName>(['upper', 'lower', 'date']);

export function parseTransform(raw: unknown): { transform: Transform } | { problems: TransformProblem[] } {
  if (typeof raw === 'string') {
    if ((NO_ARGUMENT as Set<string>).has(raw)) return { transform: build(raw as 'upper' | 'lower' | 'date') };
    return { problems: [{ path: [], problem: unknownTransform(raw) }] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ path: [], problem: `must be a transform: ${TRANSFORM_NAMES.join(', ')}` }] };
  }
  const entries = Object.entries(raw);
  const names = entries.map(([key]) => key).filter((key) => key !== 'otherwise');
  if (names.length !== 1) {
    return {
      problems: [
        {
          path: [],
          problem:
            names.length === 0
              ? `names no transform (${TRANSFORM_NAMES.join(', ')})`
              : `names ${names.length} transforms (${names.join(', ')}); give each its own list item`,
        },
      ],
    };
  }
  const name = names[0] as string;
  const argument = (raw as Record<string, unknown>)[name];
  if (!(TRANSFORM_NAMES as readonly string[]).includes(name))
    return { problems: [{ path: [name], problem: unknownTransform(name) }] };
  if ('otherwise' in raw && name !== 'lookup')
    return { problems: [{ path: ['otherwise'], problem: 'belongs to lookup only' }] };
  switch (name as TransformName) {
    case 'upper':
    case 'lower':
    case 'date':
      return { transform: build(name as 'upper' | 'lower' | 'date') };
    case 'default':
      return isScalar(argument)
        ? { transform: build({ default: argument }) }
        : { problems: [{ path: [name], problem: 'must be text, a number, true/false or null' }] };
    case 'truncate':
      return typeof argument === 'number' && Number.isInteger(argument) && argument > 0
        ? { transform: build({ truncate: argument }) }
        : { problems: [{ path: [name], problem: 'must be a whole number of characters above 0' }] };
    case 'join':
      return typeof argument === 'string'
        ? { transform: build({ join: argument }) }
        : { problems: [{ path: [name], problem: 'must be the text put between the items, e.g. ", "' }] };
    case 'lookup':
      return parseLookup(argument, (raw as Record<string, unknown>).otherwise, 'otherwise' in raw);
  }
}

function parseLookup(
  table: unknown,
  otherwise: unknown,
  hasOtherwise: boolean,
): { transform: Transform } | { problems: TransformProblem[] } {
  const problems: TransformProblem[] = [];
  if (table === null || typeof table !== 'object' || Array.isArray(table)) {
    problems.push({ path: ['lookup'], problem: 'must be a table of value: replacement' });
  } else {
    for (const [key, value] of Object.entries(table)) {
      if (!isScalar(value))
        problems.push({ path: ['lookup', key], problem: 'must be text, a number, true/false or null' });
    }
  }
  if (hasOtherwise && !isScalar(otherwise))
    problems.push({ path: ['otherwise'], problem: 'must be text, a number, true/false or null' });
  if (problems.length > 0) return { problems };
  const config: TransformConfig = hasOtherwise
    ? { lookup: table as Record<string, MappingScalar>, otherwise: otherwise as MappingScalar }
    : { lookup: table as Record<string, MappingScalar> };
  return { transform: build(config) };
}

function unknownTransform(name: string): string {
  const meant = closestKey(name, TRANSFORM_NAMES);
  return `unknown transform "${name}"${meant ? ` (did you mean ${meant}?)` : ''}; transforms are ${TRANSFORM_NAMES.join(', ')}`;
}

function build(config: TransformConfig): Transform {
  if (config === 'upper' || config === 'lower') {
    const change = config === 'upper' ? (s: string) => s.toUpperCase() : (s: string) => s.toLowerCase();
    return {
      name: config,
      config,
      apply: (value) => eachItem(value, (item) => (typeof item === 'string' ? change(item) : item)),
      kind: (input) => input,
    };
  }
  if (config === 'date') {
    return {
      name: 'date',
      config,
      apply: (value, warn) =>
        eachItem(value, (item) => {
          if (item === null) return null;
          const text = String(item).trim();
          if (text === '') return null;
          const date = toCloseDate(text);
          if (date === undefined) warn({ code: 'date_invalid', detail: `"${text}" is not an ISO date` });
          return date ?? null;
        }),
      kind: (input) => (input === 'list' ? 'list' : 'text'),
    };
  }
  if ('default' in config) {
    const fallback = config.default;
    return {
      name: 'default',
      config,
      apply: (value) => (isBlank(value) ? fallback : value),
      kind: (input) => (input === kindOfScalar(fallback) || fallback === null ? input : 'any'),
    };
  }
  if ('truncate' in config) {
    const length = config.truncate;
    return {
      name: 'truncate',
      config,
      apply: (value) =>
        eachItem(value, (item) => (typeof item === 'string' ? truncateText(item, length) : item)),
      kind: (input) => input,
    };
  }
  if ('join' in config) {
    const separator = config.join;
    return {
      name: 'join',
      config,
      apply: (value) => {
        if (!Array.isArray(value)) return value;
        const items = value
          .flat(Number.POSITIVE_INFINITY)
          .filter((item): item is string | number | boolean => item !== null && String(item).trim() !== '')
          .map((item) => String(item).trim());
        return items.length === 0 ? null : items.join(separator);
      },
      kind: (input) => (input === 'list' ? 'text' : input),
    };
  }
  const { lookup: table } = config;
  const hasOtherwise = 'otherwise' in config;
  const otherwise = config.otherwise ?? null;
  return {
    name: 'lookup',
    config,
    apply: (value) =>
      eachItem(value, (item) => {
        if (item === null) return null;
        const key = String(item).trim();
        if (Object.hasOwn(table, key)) return table[key] as MappingScalar;
        return hasOtherwise ? otherwise : item;
      }),
    kind: (input) => (input === 'list' ? 'list' : 'any'),
  };
}

function eachItem(value: MappingValue, change: (item: MappingScalar) => MappingScalar): MappingValue {
  if (!Array.isArray(value)) return change(value as MappingScalar);
  return value.map((item) => eachItem(item, change));
}

export function isScalar(value: unknown): value is MappingScalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

export function kindOfScalar(value: MappingScalar): ValueKind {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'any';
}

/** Nothing there: null, blank text, or an empty list. */
export function isBlank(value: MappingValue): boolean {
  if (value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  return Array.isArray(value) && value.length === 0;
}
