/**
 * Paths over a referral, as the mapping configuration names them: `details.dealValue`,
 * `customerProfile.team[0].email`, `details.requirements.products[].name` (`[]`: every item), and the
 * derived views `$primaryContact.email` and `$description`. A path is checked against the referral schema
 * (src/partner-center/referral-schema.ts) when the configuration is loaded, so a typo is refused at start
 * instead of mapping to an empty value on every referral.
 */
import type { z } from 'zod';
import { closestKey } from '../config/closest-key.ts';
import { referralSchema } from '../partner-center/referral-schema.ts';

/** What the mapping works with: a referral's values, never objects (a path must name a value). */
export type MappingScalar = string | number | boolean | null;
export type MappingValue = MappingScalar | readonly MappingValue[];

/** The kind of value a path (or a transform) gives; `any` when it cannot be known before a referral. */
export type ValueKind = 'text' | 'number' | 'boolean' | 'any' | 'object' | 'list' | 'object-list';

type Shape =
  | { kind: 'text' | 'number' | 'boolean' | 'any' }
  | { kind: 'object'; fields: Readonly<Record<string, Shape>> }
  | { kind: 'list'; item: Shape };

export type PathStep = { name: string; index?: number | 'each' };
export type ReferralPath = { text: string; steps: readonly PathStep[] };

/** Values the mapping derives from the referral by today's rules; documented in docs/mapping.md. */
export const DERIVED_VIEWS = {
  $primaryContact: {
    kind: 'object',
    fields: {
      firstName: { kind: 'text' },
      lastName: { kind: 'text' },
      email: { kind: 'text' },
      phoneNumber: { kind: 'text' },
      title: { kind: 'text' },
    },
  },
  $description: { kind: 'text' },
} as const satisfies Record<string, Shape>;
export type DerivedViewName = keyof typeof DERIVED_VIEWS;

const STEP = /^([A-Za-z_$][A-Za-z0-9_]*)(?:\[(\d*)\])?$/;

export function parseReferralPath(text: string): ReferralPath | { problem: string } {
  const steps: PathStep[] = [];
  for (const [position, part] of text.trim().split('.').entries()) {
    const match = STEP.exec(part);
    if (!match || (position > 0 && part.startsWith('$'))) {
      return {
        problem: `"${text}" is not a path (names joined by dots, a list item as [0] or every item as [])`,
      };
    }
    const [, name, index] = match as unknown as [string, string, string | undefined];
    steps.push(
      index === undefined ? { name } : { name, index: index === '' ? 'each' : Number.parseInt(index, 10) },
    );
  }
  return { text: text.trim(), steps };
}

/** The kind of value the path gives, or why it names nothing in a referral. */
export function checkReferralPath(path: ReferralPath): { kind: ValueKind } | { problem: string } {
  let shape: Shape = rootShape();
  let listed = false;
  const done: string[] = [];
  for (const step of path.steps) {
    if (shape.kind !== 'object' || !Object.hasOwn(shape.fields, step.name)) {
      const siblings = shape.kind === 'object' ? Object.keys(shape.fields) : [];
      return { problem: `unknown referral path ${path.text}${suggestion(path, done, step, siblings)}` };
    }
    shape = shape.fields[step.name] as Shape;
    done.push(step.name);
    if (step.index !== undefined) {
      if (shape.kind !== 'list') return { problem: `${done.join('.')} is not a list, so it has no [item]` };
      shape = shape.item;
      if (step.index === 'each') listed = true;
    }
  }
  if (shape.kind === 'list') {
    // Lists of lists do not occur in a referral; `[]` over a list item's list flattens.
    return { kind: shape.item.kind === 'object' ? 'object-list' : 'list' };
  }
  if (listed) return { kind: shape.kind === 'object' ? 'object-list' : 'list' };
  return { kind: shape.kind };
}

function suggestion(path: ReferralPath, done: string[], step: PathStep, siblings: string[]): string {
  const meant = closestKey(step.name, siblings);
  if (!meant)
    return siblings.length > 0 && done.length > 0 ? ` (${done.join('.')} has ${siblings.join(', ')})` : '';
  const steps = path.steps.map((s) => (s === step ? { ...s, name: meant } : s));
  return ` (did you mean ${formatPath(steps)}?)`;
}

function formatPath(steps: readonly PathStep[]): string {
  return steps
    .map((s) => (s.index === undefined ? s.name : `${s.name}[${s.index === 'each' ? '' : s.index}]`))
    .join('.');
}

/**
 * The value at `path`; `views` gives the derived values (`$primaryContact`, …) on first use. A missing
 * object, item or value anywhere along the way is null; `[]` gives a flat list.
 */
export function readReferralPath(
  referral: unknown,
  path: ReferralPath,
  views: (name: DerivedViewName) => unknown,
): MappingValue {
  const [first, ...rest] = path.steps;
  if (!first) return null;
  const start = first.name.startsWith('$')
    ? views(first.name as DerivedViewName)
    : member(referral, first.name);
  return toValue(walk(start, first.index, rest));
}

function walk(value: unknown, index: PathStep['index'], rest: readonly PathStep[]): unknown {
  if (index === 'each') {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item) => {
      const read = walk(item, undefined, rest);
      return Array.isArray(read) ? read : [read];
    });
  }
  const current = index === undefined ? value : Array.isArray(value) ? value[index] : undefined;
  const [next, ...remaining] = rest;
  if (!next) return current;
  return walk(member(current, next.name), next.index, remaining);
}

function member(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function toValue(value: unknown): MappingValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toValue);
  // An object: refused when the configuration is checked; never a value.
  return null;
}

let root: Shape | undefined;

/** The referral schema's shape plus the derived views, computed once. */
function rootShape(): Shape {
  if (!root) {
    const referral = shapeOf(referralSchema);
    const fields = referral.kind === 'object' ? referral.fields : {};
    root = { kind: 'object', fields: { ...fields, ...DERIVED_VIEWS } };
  }
  return root;
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  in?: z.ZodType;
  innerType?: z.ZodType;
};

/**
 * Reads the zod schema's structure. Transforms are opaque, so a pipe is read by its input, and a union by
 * its first option: in the referral schema the first option is the form the API returns and the others
 * are normalised to it (a phone number sent as a number becomes text, `{ Duns }` becomes the id list).
 */
function shapeOf(schema: z.ZodType): Shape {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  switch (def.type) {
    case 'object':
      return {
        kind: 'object',
        fields: Object.fromEntries(Object.entries(def.shape ?? {}).map(([name, s]) => [name, shapeOf(s)])),
      };
    case 'array':
      return { kind: 'list', item: def.element ? shapeOf(def.element) : { kind: 'any' } };
    case 'union':
      return def.options?.[0] ? shapeOf(def.options[0]) : { kind: 'any' };
    case 'pipe':
      return def.in ? shapeOf(def.in) : { kind: 'any' };
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
      return def.innerType ? shapeOf(def.innerType) : { kind: 'any' };
    case 'string':
    case 'enum':
      return { kind: 'text' };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    default:
      return { kind: 'any' };
  }
}
