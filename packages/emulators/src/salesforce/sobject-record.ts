/**
 * Records as the REST API writes them: `attributes` (type and the record's URL under the API version
 * the client called) first, then the requested fields in order; datetimes as `…T…:…:….000+0000`; the
 * compound `Address` as an object (null when empty). URLs are relative to the instance URL, as
 * Salesforce writes them.
 */
import type { FieldValue } from './lead-table.ts';
import { formatDateTime } from './salesforce-time.ts';
import type { FieldDef, SObjectType } from './sobject-type.ts';

export type ApiRecord = { attributes: { type: string; url: string } } & Record<string, unknown>;

export function recordUrl(apiVersion: string, type: string, id: string): string {
  return `/services/data/v${apiVersion}/sobjects/${type}/${id}`;
}

export function renderRecord(
  type: SObjectType,
  row: Record<string, FieldValue>,
  fields: readonly FieldDef[],
  apiVersion: string,
): ApiRecord {
  const record: ApiRecord = {
    attributes: { type: type.name, url: recordUrl(apiVersion, type.name, String(row.Id)) },
  };
  for (const field of fields) record[field.name] = fieldValue(row, field);
  return record;
}

/** A field's value as JSON shows it. */
export function fieldValue(row: Record<string, FieldValue>, field: FieldDef): unknown {
  if (field.type === 'address') return addressOf(row);
  const value = row[field.name];
  if (value === undefined) return field.type === 'boolean' ? false : null;
  if (field.type === 'datetime' && typeof value === 'number') return formatDateTime(value);
  return value;
}

function addressOf(row: Record<string, FieldValue>): Record<string, unknown> | null {
  const parts = {
    city: row.City ?? null,
    country: row.Country ?? null,
    countryCode: row.CountryCode ?? null,
    geocodeAccuracy: null,
    latitude: null,
    longitude: null,
    postalCode: row.PostalCode ?? null,
    state: row.State ?? null,
    stateCode: row.StateCode ?? null,
    street: row.Street ?? null,
  };
  return Object.values(parts).some((part) => part !== null) ? parts : null;
}
