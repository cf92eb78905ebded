/**
 * Records as the CRM object APIs return them (SimplePublicObject): `{id, properties, createdAt,
 * updatedAt, archived}`, every property value a string, and `null` for a named property that has no
 * value. Pure.
 */
import type { StoredObject } from './object-store.ts';
import type { ObjectType } from './object-types.ts';

/**
 * Which properties an answer carries: the type's defaults (nothing named), the named ones that exist,
 * or every stored value (what write answers carry).
 */
export type PropertySelection =
  | { kind: 'default' }
  | { kind: 'named'; names: readonly string[] }
  | { kind: 'all' };

export function objectJson(
  type: ObjectType,
  object: StoredObject,
  selection: PropertySelection,
  exists: (name: string) => boolean,
): Record<string, unknown> {
  let properties: Record<string, string | null>;
  if (selection.kind === 'all') {
    properties = { ...object.properties };
  } else {
    const names = selection.kind === 'default' ? type.defaultProperties : selection.names.filter(exists);
    properties = Object.fromEntries(names.map((name) => [name, object.properties[name] ?? null]));
  }
  return {
    id: object.id,
    properties,
    createdAt: new Date(object.createdAt).toISOString(),
    updatedAt: new Date(object.updatedAt).toISOString(),
    archived: object.archived,
    ...(object.archivedAt !== undefined ? { archivedAt: new Date(object.archivedAt).toISOString() } : {}),
  };
}

/**
 * The `properties` a query string or a request body names: repeated parameters and comma-separated
 * lists both work, as the API accepts both.
 */
export function namedProperties(raw: unknown): PropertySelection {
  const items = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((item) => String(item).split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  return items.length === 0 ? { kind: 'default' } : { kind: 'named', names: items };
}
