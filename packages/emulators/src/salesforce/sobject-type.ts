/**
 * Field metadata of the emulated sObjects: what describe reports and what validation, SOQL and record
 * rendering need (type, length, writability, picklist values, external-id flags). Field names match
 * case-insensitively everywhere a client can name them (payloads excepted: see lead-payload.ts).
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'email'
  | 'phone'
  | 'url'
  | 'textarea'
  | 'picklist'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'currency'
  | 'int'
  | 'double'
  | 'address';

export type PicklistValue = { value: string; label: string; defaultValue: boolean; validFor?: string };

export type FieldDef = {
  name: string;
  label: string;
  type: FieldType;
  /** Text types: maximum characters. */
  length?: number;
  /** Numbers: total digits and decimals (currency, double) or digits (int). */
  precision?: number;
  scale?: number;
  digits?: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Refused empty on create and on update (`REQUIRED_FIELD_MISSING`). */
  required?: boolean;
  defaultedOnCreate?: boolean;
  custom?: boolean;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  idLookup?: boolean;
  nameField?: boolean;
  /** Long text areas and compound fields cannot be filtered or sorted on. */
  filterable?: boolean;
  picklist?: {
    values: () => readonly PicklistValue[];
    restricted: boolean;
    /** Dependent picklists: the controlling field. */
    controllerName?: string;
    /**
     * Values checked by the State and Country/Territory rules (FIELD_INTEGRITY_EXCEPTION) rather than as
     * a restricted picklist, though describe calls it restricted.
     */
    checkedAsAddress?: boolean;
  };
  referenceTo?: readonly string[];
  relationshipName?: string;
};

export type SObjectType = {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: readonly FieldDef[];
  /** By API name, case-insensitively. */
  field(name: string): FieldDef | undefined;
};

export function createSObjectType(
  identity: { name: string; label: string; labelPlural: string; keyPrefix: string },
  fields: readonly FieldDef[],
): SObjectType {
  const byName = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  return { ...identity, fields, field: (name) => byName.get(name.toLowerCase()) };
}

export function isTextType(type: FieldType): boolean {
  return (
    type === 'string' ||
    type === 'email' ||
    type === 'phone' ||
    type === 'url' ||
    type === 'textarea' ||
    type === 'picklist'
  );
}

export function isNumberType(type: FieldType): boolean {
  return type === 'currency' || type === 'int' || type === 'double';
}

export function isFilterable(field: FieldDef): boolean {
  return field.filterable ?? field.type !== 'address';
}

export function picklistOf(values: readonly string[], defaultValue?: string): PicklistValue[] {
  return values.map((value) => ({ value, label: value, defaultValue: value === defaultValue }));
}
