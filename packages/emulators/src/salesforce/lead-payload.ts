/**
 * A create or update body checked the way the REST API checks it, in its order: JSON shape, unknown
 * fields, writability, JSON types, then per-field rules (length, restricted picklists, e-mail format)
 * and required fields. Field names in the body match case-insensitively and come back canonical; an
 * empty string is stored as null, as Salesforce does for text.
 */
import type { LeadStatuses } from './lead-statuses.ts';
import type { FieldValue } from './lead-table.ts';
import { salesforceErrors } from './salesforce-error.ts';
import { KEY_PREFIXES, normalizeId } from './salesforce-ids.ts';
import { type FieldDef, isTextType, type SObjectType } from './sobject-type.ts';

export type PayloadRules = {
  type: SObjectType;
  mode: 'create' | 'update';
  statuses: LeadStatuses;
  /** Upserts address the record by this field; the body must not carry it. */
  keyField?: FieldDef;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Parses a JSON request body; anything but a JSON object is a parser error. */
export function parseJsonObject(text: string, sobject: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw salesforceErrors.jsonParser(
      `Unexpected character in the request body: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const token = Array.isArray(parsed) ? 'START_ARRAY' : 'VALUE_STRING';
    throw salesforceErrors.jsonParser(`Cannot deserialize instance of ${sobject} from ${token} value`);
  }
  return parsed as Record<string, unknown>;
}

export function readLeadPayload(
  body: Record<string, unknown>,
  rules: PayloadRules,
): Record<string, FieldValue> {
  const entries: Array<[FieldDef, unknown]> = [];
  for (const [name, value] of Object.entries(body)) {
    if (name === 'attributes') continue;
    const field = rules.type.field(name);
    if (!field) throw salesforceErrors.noSuchColumnOnSObject(name, rules.type.name);
    entries.push([field, value]);
  }
  if (rules.keyField && entries.some(([field]) => field === rules.keyField)) {
    throw salesforceErrors.externalIdInBody(rules.keyField.name);
  }
  const notWritable = entries
    .filter(([field]) => !(rules.mode === 'create' ? field.createable : field.updateable))
    .map(([field]) => field.name);
  if (notWritable.length > 0) throw salesforceErrors.notWritable(notWritable);

  const changes: Record<string, FieldValue> = {};
  for (const [field, raw] of entries) changes[field.name] = coerce(field, raw);
  for (const [field] of entries) checkValue(field, changes[field.name] ?? null, rules);

  const required = rules.type.fields.filter((field) => field.required);
  const missing =
    rules.mode === 'create'
      ? required.filter((field) => changes[field.name] === undefined || changes[field.name] === null)
      : required.filter((field) => field.name in changes && changes[field.name] === null);
  if (rules.mode === 'update' && 'Status' in changes && changes.Status === null) {
    missing.push(rules.type.field('Status') as FieldDef);
  }
  if (missing.length > 0) throw salesforceErrors.requiredFieldMissing(missing.map((field) => field.name));
  return changes;
}

/** The JSON value as the field stores it; wrong JSON types are deserializer errors. */
function coerce(field: FieldDef, raw: unknown): FieldValue {
  if (raw === null || raw === undefined) return field.type === 'boolean' ? false : null;
  const refuse = (): never => {
    const token = Array.isArray(raw)
      ? 'START_ARRAY'
      : typeof raw === 'object'
        ? 'START_OBJECT'
        : jsonToken(raw);
    const shown = typeof raw === 'object' ? '' : ` ${String(raw)}`;
    throw salesforceErrors.jsonParser(
      `Cannot deserialize instance of ${javaType(field)} from ${token} value${shown} or request may be missing a required field`,
    );
  };
  if (typeof raw === 'object') return refuse();
  if (isTextType(field.type)) {
    const text = String(raw);
    return text === '' ? null : text;
  }
  switch (field.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? raw : refuse();
    case 'int': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      return typeof value === 'number' && Number.isInteger(value) ? value : refuse();
    }
    case 'currency':
    case 'double': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      return typeof value === 'number' && Number.isFinite(value) ? value : refuse();
    }
    case 'reference': {
      if (typeof raw !== 'string') return refuse();
      const id = raw === '' ? undefined : normalizeId(raw);
      const prefixes = (field.referenceTo ?? []).map(
        (target) => KEY_PREFIXES[target as keyof typeof KEY_PREFIXES],
      );
      if (!id || !prefixes.includes(id.slice(0, 3) as (typeof prefixes)[number])) {
        throw salesforceErrors.malformedId(field.name, field.label, raw);
      }
      return id;
    }
    default:
      return refuse();
  }
}

function checkValue(field: FieldDef, value: FieldValue, rules: PayloadRules): void {
  if (value === null || typeof value !== 'string') return;
  if (field.length !== undefined && value.length > field.length) {
    throw salesforceErrors.stringTooLong(field.name, field.label, value, field.length);
  }
  const picklist = field.picklist;
  if (
    picklist?.restricted &&
    !picklist.checkedAsAddress &&
    !picklist.values().some((entry) => entry.value === value)
  ) {
    throw salesforceErrors.restrictedPicklist(field.name, field.label, value);
  }
  if (field.name === 'Status' && rules.statuses.isConverted(value)) {
    throw salesforceErrors.convertedStatusNotSettable(value);
  }
  if (field.type === 'email' && !EMAIL.test(value))
    throw salesforceErrors.invalidEmail(field.name, field.label, value);
}

function javaType(field: FieldDef): string {
  if (field.type === 'boolean') return 'boolean';
  if (field.type === 'int') return 'int';
  if (field.type === 'currency' || field.type === 'double') return 'double';
  return 'string';
}

function jsonToken(raw: unknown): string {
  if (typeof raw === 'string') return 'VALUE_STRING';
  if (typeof raw === 'boolean') return raw ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (typeof raw === 'number') return Number.isInteger(raw) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  return 'VALUE_EMBEDDED_OBJECT';
}
