/**
 * Checks a parsed `$filter` against a table's columns (unknown column, incompatible literal) and
 * evaluates it on rows with Dataverse's semantics: string comparisons are case-insensitive (the
 * database collation), any ordering comparison with null is false, `eq null` matches empty columns.
 */
import { queryError, unknownProperty } from './dataverse-error.ts';
import {
  type ColumnDef,
  type ColumnValue,
  type EntitySchema,
  edmTypeOf,
  isNumericColumn,
  isTextColumn,
} from './entity-schema.ts';
import type {
  ComparisonOperator,
  FilterExpression,
  FilterLiteral,
  FilterOperand,
} from './odata-filter-parser.ts';

const OPERATOR_KINDS: Record<ComparisonOperator, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

const LITERAL_EDM: Record<FilterLiteral['type'], string> = {
  string: 'Edm.String',
  number: 'Edm.Int32',
  boolean: 'Edm.Boolean',
  null: 'null',
  guid: 'Edm.Guid',
  date: 'Edm.Date',
  datetime: 'Edm.DateTimeOffset',
};

/** Throws the service's 400 when the filter names unknown columns or compares incompatible types. */
export function checkFilter(expression: FilterExpression, schema: EntitySchema): void {
  switch (expression.kind) {
    case 'and':
    case 'or':
      checkFilter(expression.left, schema);
      checkFilter(expression.right, schema);
      return;
    case 'not':
      checkFilter(expression.operand, schema);
      return;
    case 'call': {
      const column = columnOf(expression.property.name, schema);
      if (!isTextColumn(column.type) || expression.argument.type !== 'string') {
        throw queryError(
          `No function signature for the function with name '${expression.name}' matches the specified arguments.`,
        );
      }
      return;
    }
    case 'compare': {
      const { property, literal } = sides(expression.left, expression.right);
      const column = columnOf(property, schema);
      if (!literal)
        throw queryError('Comparing two columns is not supported in $filter; use a literal value.');
      if (!compatible(column, literal)) {
        throw queryError(
          `A binary operator with incompatible types was detected. Found operand types '${edmTypeOf(column.type)}' and '${LITERAL_EDM[literal.type]}' for operator kind '${OPERATOR_KINDS[expression.operator]}'.`,
        );
      }
    }
  }
}

export function matchesFilter(
  expression: FilterExpression,
  row: Record<string, ColumnValue>,
  schema: EntitySchema,
): boolean {
  switch (expression.kind) {
    case 'and':
      return matchesFilter(expression.left, row, schema) && matchesFilter(expression.right, row, schema);
    case 'or':
      return matchesFilter(expression.left, row, schema) || matchesFilter(expression.right, row, schema);
    case 'not':
      return !matchesFilter(expression.operand, row, schema);
    case 'call': {
      const value = row[expression.property.name];
      if (typeof value !== 'string') return false;
      const haystack = value.toLowerCase();
      const needle = String(expression.argument.value).toLowerCase();
      if (expression.name === 'contains') return haystack.includes(needle);
      if (expression.name === 'startswith') return haystack.startsWith(needle);
      return haystack.endsWith(needle);
    }
    case 'compare': {
      const { property, literal, flipped } = sides(expression.left, expression.right);
      if (!literal) return false;
      const column = schema.columns.get(property);
      if (!column) return false;
      const operator = flipped ? flip(expression.operator) : expression.operator;
      return compare(column, row[property] ?? null, literal, operator);
    }
  }
}

function sides(
  left: FilterOperand,
  right: FilterOperand,
): { property: string; literal: FilterLiteral | undefined; flipped: boolean } {
  if (left.kind === 'property')
    return { property: left.name, literal: right.kind === 'literal' ? right : undefined, flipped: false };
  if (right.kind === 'property') return { property: right.name, literal: left, flipped: true };
  throw queryError('A $filter comparison needs a column on one side.');
}

function flip(operator: ComparisonOperator): ComparisonOperator {
  const flipped: Record<ComparisonOperator, ComparisonOperator> = {
    eq: 'eq',
    ne: 'ne',
    gt: 'lt',
    ge: 'le',
    lt: 'gt',
    le: 'ge',
  };
  return flipped[operator];
}

function columnOf(name: string, schema: EntitySchema): ColumnDef {
  const column = schema.columns.get(name);
  if (!column) throw unknownProperty(schema.logicalName, name);
  return column;
}

function compatible(column: ColumnDef, literal: FilterLiteral): boolean {
  if (literal.type === 'null') return true;
  if (isTextColumn(column.type)) return literal.type === 'string';
  if (isNumericColumn(column.type)) return literal.type === 'number';
  if (column.type === 'guid' || column.type === 'lookup') return literal.type === 'guid';
  if (column.type === 'boolean') return literal.type === 'boolean';
  if (column.type === 'datetime' || column.type === 'dateonly')
    return literal.type === 'date' || literal.type === 'datetime';
  return false;
}

function compare(
  column: ColumnDef,
  value: ColumnValue,
  literal: FilterLiteral,
  operator: ComparisonOperator,
): boolean {
  if (literal.type === 'null' || value === null) {
    const bothNull = literal.type === 'null' && value === null;
    if (operator === 'eq') return bothNull;
    if (operator === 'ne') return !bothNull;
    return false;
  }
  const order = ordering(column, value, literal);
  if (order === undefined) return false;
  switch (operator) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
}

function ordering(
  column: ColumnDef,
  value: string | number | boolean,
  literal: FilterLiteral,
): number | undefined {
  if (isTextColumn(column.type) || column.type === 'guid' || column.type === 'lookup') {
    const a = String(value).toLowerCase();
    const b = String(literal.value).toLowerCase();
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (column.type === 'dateonly') {
    const a = String(value).slice(0, 10);
    const b = String(literal.value).slice(0, 10);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (column.type === 'datetime') {
    const a = Date.parse(String(value));
    const b = Date.parse(literal.type === 'date' ? `${literal.value}T00:00:00Z` : String(literal.value));
    return Math.sign(a - b);
  }
  if (column.type === 'boolean') return value === literal.value ? 0 : value ? 1 : -1;
  return Math.sign(Number(value) - Number(literal.value));
}
