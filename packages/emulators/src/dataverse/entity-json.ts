/**
 * Rows as the Web API writes them: `@odata.etag` first, the selected columns (primary key always),
 * Money as decimals with four places (`25000.0000`, which JSON.stringify cannot write on its own), and
 * FormattedValue / lookup annotations when the client asked for them with
 * `Prefer: odata.include-annotations`.
 */
import type { ColumnValue, EntitySchema, Row } from './entity-schema.ts';
import { annotationIncluded } from './prefer-header.ts';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';

/** A decimal that must be written as a JSON number with fixed places. */
class JsonDecimal {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toJSON(): string {
    return `\u0000decimal:${this.text}`;
  }
}

export type RenderOptions = {
  select?: readonly string[];
  annotations?: string;
  /** Currency symbol for a transaction currency id, for formatted Money values. */
  currencySymbol?: (id: string) => string | undefined;
};

export function renderRow(
  row: Row,
  schema: EntitySchema,
  options: RenderOptions = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof row.versionnumber === 'number') out['@odata.etag'] = `W/"${row.versionnumber}"`;
  const names = options.select
    ? [...new Set([...options.select, schema.primaryKey])]
    : [...schema.columns.keys()];
  for (const name of names) {
    const column = schema.columns.get(name);
    if (!column) continue;
    const value = row[name] ?? null;
    out[name] =
      column.type === 'money' && typeof value === 'number' ? new JsonDecimal(value.toFixed(4)) : value;
    if (value === null) continue;
    if (annotationIncluded(options.annotations, FORMATTED)) {
      const formatted = formatValue(column.type, column.options, value, row, options);
      if (formatted !== undefined) out[`${name}@${FORMATTED}`] = formatted;
    }
    if (column.type === 'lookup' && annotationIncluded(options.annotations, LOOKUP_NAME)) {
      const target = Object.values(column.targets ?? {})[0];
      if (target) out[`${name}@${LOOKUP_NAME}`] = target;
    }
  }
  return out;
}

function formatValue(
  type: string,
  labels: Readonly<Record<number, string>> | undefined,
  value: ColumnValue,
  row: Row,
  options: RenderOptions,
): string | undefined {
  if ((type === 'picklist' || type === 'state' || type === 'status') && typeof value === 'number')
    return labels?.[value];
  if (type === 'money' && typeof value === 'number') {
    const currency =
      typeof row._transactioncurrencyid_value === 'string' ? row._transactioncurrencyid_value : undefined;
    const symbol = (currency && options.currencySymbol?.(currency)) ?? '';
    return `${symbol}${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  if (type === 'money' || type === 'double' || type === 'integer' || type === 'bigint') {
    return typeof value === 'number' ? value.toLocaleString('en-US') : undefined;
  }
  return undefined;
}

/** JSON text with decimals written as numbers with their fixed places. */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000decimal:(-?\d+(?:\.\d+)?)"/g, '$1');
}
