/**
 * Runs a parsed SOQL query over an sObject's rows: names resolve case-insensitively against the
 * object's fields (`INVALID_TYPE`, `INVALID_FIELD` otherwise), literals must suit the field's type
 * (`INVALID_QUERY_FILTER_OPERATOR`, e.g. a quoted datetime), text compares ignoring case except on
 * unique case-sensitive fields, relative dates are days in the org's time zone (UTC), and ORDER BY puts
 * nulls first ascending and last descending unless told otherwise.
 */
import type { FieldValue } from './lead-table.ts';
import { normalizeId } from './salesforce-ids.ts';
import { startOfDay } from './salesforce-time.ts';
import { type ApiRecord, renderRecord } from './sobject-record.ts';
import { type FieldDef, isFilterable, isNumberType, isTextType, type SObjectType } from './sobject-type.ts';
import { type Condition, type FieldRef, type Literal, queryError, type SoqlQuery } from './soql-parser.ts';

export type QuerySource = {
  type: SObjectType;
  /** Live rows, plus deleted ones for queryAll; datetime fields as epoch ms, dates as `YYYY-MM-DD`. */
  rows(includeDeleted: boolean): ReadonlyArray<Record<string, FieldValue>>;
};

export type QueryOutcome = { kind: 'count'; totalSize: number } | { kind: 'records'; records: ApiRecord[] };

export type QueryOptions = {
  includeDeleted: boolean;
  apiVersion: string;
  now: number;
};

const DAY = 86_400_000;
const MAX_OFFSET = 2000;

type Row = Record<string, FieldValue>;
type Predicate = (row: Row) => boolean;

export function runQuery(
  query: SoqlQuery,
  sourceOf: (name: string) => QuerySource | undefined,
  options: QueryOptions,
): QueryOutcome {
  const source = sourceOf(query.from.name);
  if (!source) {
    throw queryError(
      query.text,
      query.from.position,
      'INVALID_TYPE',
      `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const { type } = source;
  const resolve = (ref: FieldRef): FieldDef => {
    const field = type.field(ref.name);
    if (!field) {
      throw queryError(
        query.text,
        ref.position,
        'INVALID_FIELD',
        `No such column '${ref.name}' on entity '${type.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return field;
  };

  const selected: FieldDef[] = [];
  if (query.select.kind === 'fields') {
    for (const ref of query.select.fields) {
      const field = resolve(ref);
      if (selected.includes(field)) {
        throw queryError(
          query.text,
          ref.position,
          'MALFORMED_QUERY',
          `duplicate field selected: ${field.name}`,
        );
      }
      selected.push(field);
    }
  }
  const predicate = query.where ? compile(query.where, { query, resolve, now: options.now }) : () => true;
  const order = query.orderBy.map((item) => {
    const field = resolve(item.field);
    if (!isFilterable(field)) {
      throw queryError(
        query.text,
        item.field.position,
        'INVALID_FIELD',
        `field '${field.name}' can not be sorted in a query call`,
      );
    }
    return { field, descending: item.descending, nullsLast: item.nullsLast };
  });
  if (query.offset && query.offset.value > MAX_OFFSET) {
    throw queryError(
      query.text,
      query.offset.position,
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }

  let rows = source.rows(options.includeDeleted).filter(predicate);
  if (order.length > 0) {
    rows = [...rows].sort((a, b) => {
      for (const { field, descending, nullsLast } of order) {
        const left = sortKey(field, a[field.name]);
        const right = sortKey(field, b[field.name]);
        if (left === right) continue;
        if (left === null) return nullsLast ? 1 : -1;
        if (right === null) return nullsLast ? -1 : 1;
        const compared = left < right ? -1 : 1;
        return descending ? -compared : compared;
      }
      return 0;
    });
  }
  const start = query.offset?.value ?? 0;
  rows = rows.slice(start, query.limit === undefined ? undefined : start + query.limit);
  if (query.select.kind === 'count') return { kind: 'count', totalSize: rows.length };
  return {
    kind: 'records',
    records: rows.map((row) => renderRecord(type, row, selected, options.apiVersion)),
  };
}

type CompileContext = { query: SoqlQuery; resolve: (ref: FieldRef) => FieldDef; now: number };

function compile(condition: Condition, context: CompileContext): Predicate {
  switch (condition.kind) {
    case 'and': {
      const parts = condition.operands.map((operand) => compile(operand, context));
      return (row) => parts.every((part) => part(row));
    }
    case 'or': {
      const parts = condition.operands.map((operand) => compile(operand, context));
      return (row) => parts.some((part) => part(row));
    }
    case 'not': {
      const inner = compile(condition.operand, context);
      return (row) => !inner(row);
    }
    case 'like': {
      const field = filterableField(condition.field, context);
      if (!isTextType(field.type)) {
        throw filterError(
          context,
          condition.field,
          `LIKE operator is not supported on field '${field.name}'`,
        );
      }
      const pattern = likeToRegExp(condition.pattern, !(field.unique && field.caseSensitive));
      return (row) => {
        const value = row[field.name];
        return typeof value === 'string' && pattern.test(value);
      };
    }
    case 'in': {
      const field = filterableField(condition.field, context);
      const wanted = condition.values.map((literal) => comparable(field, literal, condition.field, context));
      const matches = (row: Row) => {
        const value = rowValue(field, row[field.name]);
        return wanted.some((w) => (w.kind === 'range' ? inRange(value, w) : value === w.value));
      };
      return condition.negated ? (row) => !matches(row) : matches;
    }
    case 'compare': {
      const field = filterableField(condition.field, context);
      const wanted = comparable(field, condition.value, condition.field, context);
      const { operator } = condition;
      return (row) => {
        const value = rowValue(field, row[field.name]);
        if (wanted.kind === 'range') {
          if (typeof value !== 'number') return operator === '!=';
          const [from, to] = [wanted.from, wanted.to];
          if (operator === '=') return value >= from && value < to;
          if (operator === '!=') return !(value >= from && value < to);
          if (operator === '<') return value < from;
          if (operator === '<=') return value < to;
          if (operator === '>') return value >= to;
          return value >= from;
        }
        const target = wanted.value;
        if (operator === '=') return value === target;
        if (operator === '!=') return value !== target;
        if (value === null || target === null) return false;
        if (operator === '<') return value < target;
        if (operator === '<=') return value <= target;
        if (operator === '>') return value > target;
        return value >= target;
      };
    }
  }
}

type Comparable =
  | { kind: 'value'; value: string | number | boolean | null }
  | { kind: 'range'; from: number; to: number };

function filterableField(ref: FieldRef, context: CompileContext): FieldDef {
  const field = context.resolve(ref);
  if (!isFilterable(field)) {
    throw queryError(
      context.query.text,
      ref.position,
      'INVALID_FIELD',
      `field '${field.name}' can not be filtered in a query call`,
    );
  }
  return field;
}

function filterError(context: CompileContext, ref: FieldRef, message: string) {
  return queryError(context.query.text, ref.position, 'INVALID_QUERY_FILTER_OPERATOR', message);
}

/** A literal as the value rows are compared with, or an error when it does not suit the field. */
function comparable(field: FieldDef, literal: Literal, ref: FieldRef, context: CompileContext): Comparable {
  if (literal.kind === 'null') return { kind: 'value', value: null };
  const wrongType = (typeName: string, quoted: boolean) =>
    filterError(
      context,
      ref,
      `value of filter criterion for field '${field.name}' must be of type ${typeName} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    );
  if (field.type === 'id' || field.type === 'reference') {
    if (literal.kind !== 'string') throw wrongType('id', true);
    const id = normalizeId(literal.value);
    if (!id) throw filterError(context, ref, `invalid ID field: ${literal.value}`);
    return { kind: 'value', value: id };
  }
  if (isTextType(field.type)) {
    if (literal.kind !== 'string') throw wrongType('string', true);
    return {
      kind: 'value',
      value: field.unique && field.caseSensitive ? literal.value : literal.value.toLowerCase(),
    };
  }
  if (field.type === 'boolean') {
    if (literal.kind !== 'boolean') throw wrongType('boolean', false);
    return { kind: 'value', value: literal.value };
  }
  if (isNumberType(field.type)) {
    if (literal.kind !== 'number') throw wrongType('number', false);
    return { kind: 'value', value: literal.value };
  }
  if (field.type === 'datetime' || field.type === 'date') {
    if (literal.kind === 'relativeDate') return relativeRange(literal, context.now);
    const expected = field.type === 'datetime' ? 'datetime' : 'date';
    if (literal.kind !== expected) throw wrongType(field.type === 'datetime' ? 'dateTime' : 'date', false);
    return { kind: 'value', value: literal.ms };
  }
  throw filterError(context, ref, `field '${field.name}' can not be filtered in a query call`);
}

/** The value of a row's field as literals compare with it. */
function rowValue(field: FieldDef, value: FieldValue | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (field.type === 'date' && typeof value === 'string') return Date.parse(`${value}T00:00:00Z`);
  if (typeof value === 'string' && isTextType(field.type) && !(field.unique && field.caseSensitive)) {
    return value.toLowerCase();
  }
  return value;
}

function sortKey(field: FieldDef, value: FieldValue | undefined): string | number | boolean | null {
  const key = rowValue(field, value);
  return typeof key === 'string' ? key.toLowerCase() : key;
}

function inRange(value: string | number | boolean | null, range: { from: number; to: number }): boolean {
  return typeof value === 'number' && value >= range.from && value < range.to;
}

function relativeRange(literal: Extract<Literal, { kind: 'relativeDate' }>, now: number) {
  const today = startOfDay(now);
  const n = literal.n ?? 0;
  switch (literal.name) {
    case 'YESTERDAY':
      return { kind: 'range' as const, from: today - DAY, to: today };
    case 'TOMORROW':
      return { kind: 'range' as const, from: today + DAY, to: today + 2 * DAY };
    case 'LAST_N_DAYS':
      return { kind: 'range' as const, from: today - n * DAY, to: today + DAY };
    case 'NEXT_N_DAYS':
      return { kind: 'range' as const, from: today + DAY, to: today + (n + 1) * DAY };
    default:
      return { kind: 'range' as const, from: today, to: today + DAY };
  }
}

/** `%` any run, `_` one character, `\%` and `\_` themselves. */
function likeToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && (pattern.charAt(i + 1) === '%' || pattern.charAt(i + 1) === '_')) {
      source += pattern.charAt(i + 1);
      i += 1;
    } else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}
