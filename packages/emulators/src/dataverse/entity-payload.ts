/**
 * Reads a create/update JSON payload into column values the way the Web API does: unknown properties,
 * wrong JSON types and read-only columns are payload errors (0x80048d19), strings over their maximum
 * length and option values outside the option set are validation errors (0x80044331), and
 * `<navigation>@odata.bind` references become lookup values.
 */
import { DATAVERSE_CODES, DataverseError, notFound, payloadError } from './dataverse-error.ts';
import {
  type ColumnDef,
  type ColumnValue,
  type EntitySchema,
  edmTypeOf,
  GUID_PATTERN,
  type Row,
} from './entity-schema.ts';

const MONEY_LIMIT = 922_337_203_685_477;

export type PayloadContext = {
  schema: EntitySchema;
  /** Absolute service root, stripped from absolute bind URLs. */
  serviceRoot: () => string;
  /** Whether a row exists in an entity set the emulator holds; undefined for sets it does not emulate. */
  exists(setName: string, id: string): boolean | undefined;
};

export type Payload = { columns: Row; statecode?: number; statuscode?: number };

export function readPayload(body: unknown, context: PayloadContext): Payload {
  const { schema } = context;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw payloadError(schema.setName, 'The payload must be a JSON object.');
  }
  const navigations = new Map(
    [...schema.columns.values()].filter((c) => c.navigation).map((c) => [c.navigation as string, c]),
  );
  const payload: Payload = { columns: {} };
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@')) continue;
    if (name.endsWith('@odata.bind')) {
      const navigation = name.slice(0, -'@odata.bind'.length);
      const column = navigations.get(navigation);
      if (!column?.bindable) throw payloadError(schema.setName, undeclared(schema, navigation));
      payload.columns[column.name] = readBind(column, value, context);
      continue;
    }
    if (name.includes('@')) continue;
    const column = schema.columns.get(name);
    if (!column || column.type === 'lookup') throw payloadError(schema.setName, undeclared(schema, name));
    if (column.readOnly) {
      throw payloadError(
        schema.setName,
        `The property '${name}' is read-only and cannot be set on type 'Microsoft.Dynamics.CRM.${schema.logicalName}'.`,
      );
    }
    const read = readValue(column, value, schema);
    if (column.type === 'state') payload.statecode = read as number;
    else if (column.type === 'status') payload.statuscode = read as number;
    else payload.columns[name] = read;
  }
  return payload;
}

function undeclared(schema: EntitySchema, name: string): string {
  return `The property '${name}' does not exist on type 'Microsoft.Dynamics.CRM.${schema.logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`;
}

function readValue(column: ColumnDef, value: unknown, schema: EntitySchema): ColumnValue {
  if (value === null) {
    if (column.type === 'guid' || column.type === 'state' || column.type === 'status')
      throw cannotConvert(column, schema);
    return null;
  }
  switch (column.type) {
    case 'string':
    case 'memo': {
      if (typeof value !== 'string') throw cannotConvert(column, schema);
      if (column.maxLength !== undefined && value.length > column.maxLength) {
        throw new DataverseError(
          400,
          DATAVERSE_CODES.validationError,
          `A validation error occurred.  The length of the '${column.name}' attribute of the '${schema.logicalName}' entity exceeded the maximum allowed length of '${column.maxLength}'.`,
        );
      }
      return value;
    }
    case 'guid':
      if (typeof value !== 'string' || !GUID_PATTERN.test(value)) throw cannotConvert(column, schema);
      return value.toLowerCase();
    case 'integer':
    case 'bigint':
    case 'picklist':
    case 'state':
    case 'status': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw cannotConvert(column, schema);
      if (column.type === 'picklist' && column.options && column.options[value] === undefined) {
        throw new DataverseError(
          400,
          DATAVERSE_CODES.validationError,
          `A validation error occurred. The value ${value} of '${column.name}' on record of type '${schema.logicalName}' is outside the valid range. Accepted Values: ${Object.keys(column.options).join(',')}`,
        );
      }
      return value;
    }
    case 'money':
    case 'double': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw cannotConvert(column, schema);
      if (column.type === 'money' && Math.abs(value) > MONEY_LIMIT) {
        throw new DataverseError(
          400,
          DATAVERSE_CODES.validationError,
          `A validation error occurred. The value of '${column.name}' on record of type '${schema.logicalName}' is outside the valid range.`,
        );
      }
      return column.type === 'money' ? Math.round(value * 10_000) / 10_000 : value;
    }
    case 'dateonly': {
      const date = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(value) : null;
      if (!date?.[1] || Number.isNaN(Date.parse(`${date[1]}T00:00:00Z`))) throw cannotConvert(column, schema);
      return date[1];
    }
    case 'datetime': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw cannotConvert(column, schema);
      return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw cannotConvert(column, schema);
      return value;
    case 'lookup':
      throw cannotConvert(column, schema);
  }
}

function cannotConvert(column: ColumnDef, schema: EntitySchema): DataverseError {
  return payloadError(
    schema.setName,
    `Cannot convert the literal to the expected type '${edmTypeOf(column.type)}' of property '${column.name}'.`,
  );
}

function readBind(column: ColumnDef, value: unknown, context: PayloadContext): ColumnValue {
  const { schema } = context;
  if (value === null) return null;
  if (typeof value !== 'string')
    throw payloadError(schema.setName, `The value of '${column.navigation}@odata.bind' must be a URL.`);
  const root = context.serviceRoot();
  const relative = value.startsWith(root) ? value.slice(root.length) : value;
  const match = /^\/?(?:api\/data\/v9\.\d\/)?([A-Za-z_]\w*)\(\{?([0-9a-fA-F-]{36})\}?\)$/.exec(relative);
  const setName = match?.[1];
  const id = match?.[2]?.toLowerCase();
  const logicalName = setName ? column.targets?.[setName] : undefined;
  if (!setName || !id || !GUID_PATTERN.test(id) || !logicalName) {
    throw payloadError(
      schema.setName,
      `An undeclared property '${column.navigation}' which only has property annotations in the payload but no property value was found in the payload, or the reference '${value}' is not valid.`,
    );
  }
  if (context.exists(setName, id) === false) throw notFound(logicalName, id);
  return id;
}
