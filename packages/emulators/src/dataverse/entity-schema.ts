/**
 * Column metadata of the emulated tables: enough of Dataverse's attribute metadata (type, maximum
 * length, valid-for-create/update, option sets) to validate payloads and queries the way the service does.
 */

export type ColumnType =
  | 'guid'
  | 'string'
  | 'memo'
  | 'integer'
  | 'bigint'
  | 'money'
  | 'double'
  | 'dateonly'
  | 'datetime'
  | 'picklist'
  | 'state'
  | 'status'
  | 'boolean'
  | 'lookup';

export type ColumnValue = string | number | boolean | null;
export type Row = Record<string, ColumnValue>;

export type ColumnDef = {
  /** Logical name as it appears in JSON; lookups use their `_x_value` read name. */
  name: string;
  type: ColumnType;
  maxLength?: number;
  /** Never writable through the API (system-maintained or computed). */
  readOnly?: boolean;
  /** Writable on create only (the primary key). */
  createOnly?: boolean;
  /** Picklist/state/status labels by value. */
  options?: Readonly<Record<number, string>>;
  /** Lookups: navigation property written as `<navigation>@odata.bind`, and the entity sets it may point at. */
  navigation?: string;
  targets?: Readonly<Record<string, string>>;
  /** Lookups that only the platform sets (e.g. by QualifyLead). */
  bindable?: boolean;
};

export type EntitySchema = {
  /** Entity set name, e.g. "leads". */
  setName: string;
  /** Logical name, e.g. "lead". */
  logicalName: string;
  primaryKey: string;
  columns: ReadonlyMap<string, ColumnDef>;
  /** Columns of the (single) alternate key, if the table has one. */
  alternateKey: readonly string[];
};

export function createSchema(
  setName: string,
  logicalName: string,
  primaryKey: string,
  columns: ColumnDef[],
  alternateKey: readonly string[] = [],
): EntitySchema {
  return {
    setName,
    logicalName,
    primaryKey,
    columns: new Map(columns.map((c) => [c.name, c])),
    alternateKey,
  };
}

const EDM_TYPES: Record<ColumnType, string> = {
  guid: 'Edm.Guid',
  string: 'Edm.String',
  memo: 'Edm.String',
  integer: 'Edm.Int32',
  bigint: 'Edm.Int64',
  money: 'Edm.Decimal',
  double: 'Edm.Double',
  dateonly: 'Edm.Date',
  datetime: 'Edm.DateTimeOffset',
  picklist: 'Edm.Int32',
  state: 'Edm.Int32',
  status: 'Edm.Int32',
  boolean: 'Edm.Boolean',
  lookup: 'Edm.Guid',
};

export function edmTypeOf(type: ColumnType): string {
  return EDM_TYPES[type];
}

export function isTextColumn(type: ColumnType): boolean {
  return type === 'string' || type === 'memo';
}

export function isNumericColumn(type: ColumnType): boolean {
  return (
    type === 'integer' ||
    type === 'bigint' ||
    type === 'money' ||
    type === 'double' ||
    type === 'picklist' ||
    type === 'state' ||
    type === 'status'
  );
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
