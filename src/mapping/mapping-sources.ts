/**
 * One entry of the mapping configuration: where a lead field's value comes from (a referral path, a
 * template, or a constant) and the transforms applied to it. Checked as a whole when the configuration
 * is loaded, every problem with its place in the entry, so one error can name all of them.
 */
import { closestKey } from '../config/closest-key.ts';
import { parseTemplate, type TemplatePart } from './mapping-template.ts';
import {
  isBlank,
  isScalar,
  kindOfScalar,
  parseTransform,
  type Transform,
  type TransformConfig,
  type TransformWarn,
} from './mapping-transforms.ts';
import {
  checkReferralPath,
  type DerivedViewName,
  type MappingScalar,
  type MappingValue,
  parseReferralPath,
  readReferralPath,
  type ValueKind,
} from './referral-paths.ts';

/** As written in the configuration (YAML or JSON). */
export type SourceConfig = ({ path: string } | { template: string } | { const: MappingScalar }) & {
  transforms?: TransformConfig[];
};

export type MappingProblem = { path: string[]; problem: string };

export type SourceContext = {
  referral: unknown;
  view(name: DerivedViewName): unknown;
  warn: TransformWarn;
};

export type CompiledSource = {
  config: SourceConfig;
  /** The kind of value it gives (a single value: lists and objects are refused), `any` when unknown. */
  kind: 'text' | 'number' | 'boolean' | 'any';
  read(context: SourceContext): MappingValue;
};

/** What a lead field accepts as a constant (and as a `default`). */
export type TargetType = {
  type: 'text' | 'number' | 'any';
  /** The topic is never empty. */
  nullable: boolean;
  /** Why a constant would not survive the field's own rules (e.g. not a country code), if it would not. */
  refuse?(value: MappingScalar): string | undefined;
};

const SOURCE_KEYS = ['path', 'template', 'const'] as const;
const ENTRY_KEYS = [...SOURCE_KEYS, 'transforms'];

export function parseSource(
  raw: unknown,
  target: TargetType,
): { source: CompiledSource } | { problems: MappingProblem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ path: [], problem: 'must be { path: … }, { template: … } or { const: … }' }] };
  }
  const entry = raw as Record<string, unknown>;
  const problems: MappingProblem[] = [];
  for (const key of Object.keys(entry)) {
    if (ENTRY_KEYS.includes(key)) continue;
    const meant = closestKey(key, ENTRY_KEYS);
    problems.push({
      path: [key],
      problem: `is not part of a mapping entry${meant ? ` (did you mean ${meant}?)` : ''}; an entry has one of path, template, const, and may have transforms`,
    });
  }
  const given = SOURCE_KEYS.filter((key) => key in entry);
  if (given.length !== 1) {
    problems.push({
      path: [],
      problem:
        given.length === 0
          ? 'names no source: give path, template or const'
          : `names ${given.join(' and ')}: give exactly one source`,
    });
    return { problems };
  }

  const origin = readerOf(given[0] as (typeof SOURCE_KEYS)[number], entry, target, problems);
  const transforms = transformsOf(entry.transforms, target, problems);
  if (!origin || !transforms) return { problems };

  let kind = origin.kind;
  for (const [index, transform] of transforms.entries()) {
    const next = transform.kind(kind);
    if (typeof next === 'object') {
      problems.push({ path: ['transforms', String(index)], problem: next.problem });
      return { problems };
    }
    kind = next;
  }
  if (kind === 'list') {
    problems.push({
      path: [],
      problem: 'gives a list: add a join transform (- join: ", ") or pick one item, e.g. team[0]',
    });
  }
  if (problems.length > 0) return { problems };

  const config = { ...entry } as SourceConfig;
  return {
    source: {
      config,
      kind: kind === 'text' || kind === 'number' || kind === 'boolean' ? kind : 'any',
      read(context) {
        let value = origin.read(context);
        for (const transform of transforms) value = transform.apply(value, context.warn);
        return value;
      },
    },
  };
}

type Origin = { kind: ValueKind; read(context: SourceContext): MappingValue };

function readerOf(
  key: (typeof SOURCE_KEYS)[number],
  entry: Record<string, unknown>,
  target: TargetType,
  problems: MappingProblem[],
): Origin | undefined {
  const value = entry[key];
  if (key === 'const') {
    const problem = constantProblem(value, target);
    if (problem) {
      problems.push({ path: ['const'], problem });
      return undefined;
    }
    const constant = value as MappingScalar;
    return { kind: kindOfScalar(constant), read: () => constant };
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ path: [key], problem: `must be ${key === 'path' ? 'a referral path' : 'text'}` });
    return undefined;
  }
  if (key === 'path') {
    const path = parseReferralPath(value);
    if ('problem' in path) {
      problems.push({ path: ['path'], problem: path.problem });
      return undefined;
    }
    const checked = checkReferralPath(path);
    if ('problem' in checked) {
      problems.push({ path: ['path'], problem: checked.problem });
      return undefined;
    }
    const shape = valueProblem(checked.kind, path.text);
    if (shape) {
      problems.push({ path: ['path'], problem: shape });
      return undefined;
    }
    return { kind: checked.kind, read: (context) => readReferralPath(context.referral, path, context.view) };
  }
  return templateOrigin(value, problems);
}

function templateOrigin(template: string, problems: MappingProblem[]): Origin | undefined {
  const parsed = parseTemplate(template);
  if ('problem' in parsed) {
    problems.push({ path: ['template'], problem: parsed.problem });
    return undefined;
  }
  const bad = parsed.parts.flatMap((part) => {
    if (!('path' in part)) return [];
    const kind = checkReferralPath(part.path);
    if ('problem' in kind) return [kind.problem.replace(part.path.text, `{${part.path.text}}`)];
    if (kind.kind === 'list' || kind.kind === 'object-list')
      return [
        `{${part.path.text}} is a list: a template takes one value, e.g. {customerProfile.team[0].email}`,
      ];
    const shape = valueProblem(kind.kind, part.path.text);
    return shape ? [`{${part.path.text}}: ${shape}`] : [];
  });
  for (const problem of bad) problems.push({ path: ['template'], problem });
  if (bad.length > 0) return undefined;
  return { kind: 'text', read: (context) => renderTemplate(parsed.parts, context) };
}

/** Empty placeholders read as nothing; when every placeholder is empty the template gives no value. */
function renderTemplate(parts: readonly TemplatePart[], context: SourceContext): MappingValue {
  let text = '';
  let placeholders = 0;
  let empty = 0;
  for (const part of parts) {
    if ('text' in part) {
      text += part.text;
      continue;
    }
    placeholders++;
    const value = readReferralPath(context.referral, part.path, context.view);
    if (isBlank(value) || Array.isArray(value)) empty++;
    else text += String(value);
  }
  return placeholders > 0 && empty === placeholders ? null : text;
}

function valueProblem(kind: ValueKind, path: string): string | undefined {
  if (kind === 'object') return `${path} is an object: name one of its values, e.g. ${path}.<name>`;
  if (kind === 'object-list')
    return `${path} is a list of objects: name one of their values, e.g. customerProfile.team[].email`;
  return undefined;
}

function transformsOf(raw: unknown, target: TargetType, problems: MappingProblem[]): Transform[] | undefined {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ path: ['transforms'], problem: 'must be a list, applied in order' });
    return undefined;
  }
  const transforms: Transform[] = [];
  let failed = false;
  for (const [index, item] of raw.entries()) {
    const parsed = parseTransform(item);
    if ('problems' in parsed) {
      failed = true;
      for (const problem of parsed.problems)
        problems.push({ path: ['transforms', String(index), ...problem.path], problem: problem.problem });
      continue;
    }
    if (parsed.transform.name === 'default') {
      const fallback = (parsed.transform.config as { default: MappingScalar }).default;
      const problem = constantProblem(fallback, target);
      if (problem) {
        failed = true;
        problems.push({ path: ['transforms', String(index), 'default'], problem });
        continue;
      }
    }
    transforms.push(parsed.transform);
  }
  return failed ? undefined : transforms;
}

/** A constant of the wrong type for its field, or one its field's rules would throw away. */
function constantProblem(value: unknown, target: TargetType): string | undefined {
  if (!isScalar(value)) return 'must be text, a number, true/false or null';
  if (value === null) return target.nullable ? undefined : 'cannot be null: this field is never empty';
  if (target.type === 'text' && typeof value !== 'string')
    return `must be text for this field, not ${JSON.stringify(value)}`;
  if (target.type === 'number' && typeof value !== 'number')
    return `must be a number for this field, not ${JSON.stringify(value)}`;
  return target.refuse?.(value);
}
