/**
 * `EntityDefinitions`: the table metadata a setup check reads (spec entra-oidc-and-metadata.md B2–B4) —
 * the `lead` definition with `ChangeTrackingEnabled`, its alternate keys with their index status, and its
 * columns (`Attributes`, with the `StringAttributeMetadata`/`MemoAttributeMetadata` casts for
 * `MaxLength`). Built from the same schema the lead rows are validated against, so metadata and behaviour
 * agree. Metadata ids are derived from names: stable across runs, and no draw from the seeded stream.
 */
import { createHash } from 'node:crypto';
import { type ApiRequest, type ApiResponse, jsonResponse } from './api-message.ts';
import { DATAVERSE_CODES, DataverseError, queryError } from './dataverse-error.ts';
import type { ColumnDef, EntitySchema } from './entity-schema.ts';
import { type KeyPredicate, parseResourcePath, type ResourcePath } from './odata-resource-path.ts';

/** Alternate-key index states, as the Web API spells them (EntityKeyIndexStatus). */
export const KEY_INDEX_STATUSES = ['Pending', 'InProgress', 'Active', 'Failed'] as const;
export type KeyIndexStatus = (typeof KEY_INDEX_STATUSES)[number];

/** The parts of the organization's customisation a person changes in the maker portal. */
export type MetadataSettings = {
  /** "Track changes" on lead (`ChangeTrackingEnabled`). */
  changeTracking: boolean;
  /** Index status of lead's alternate key (when it has one). */
  alternateKeyStatus: KeyIndexStatus;
};

type Json = Record<string, unknown>;

const ENTITY_PROPERTIES = [
  'LogicalName',
  'SchemaName',
  'EntitySetName',
  'PrimaryIdAttribute',
  'PrimaryNameAttribute',
  'ObjectTypeCode',
  'ChangeTrackingEnabled',
  'IsCustomEntity',
  'MetadataId',
] as const;
const KEY_PROPERTIES = [
  'LogicalName',
  'SchemaName',
  'EntityLogicalName',
  'KeyAttributes',
  'EntityKeyIndexStatus',
  'MetadataId',
] as const;
const ATTRIBUTE_PROPERTIES = [
  'LogicalName',
  'SchemaName',
  'AttributeType',
  'IsValidForCreate',
  'IsValidForUpdate',
  'IsCustomAttribute',
  'RequiredLevel',
  'MetadataId',
] as const;
/** Type-specific properties, readable only through the cast to the type (spec B4). */
const CAST_PROPERTIES: Record<string, readonly string[]> = {
  'Microsoft.Dynamics.CRM.StringAttributeMetadata': ['MaxLength'],
  'Microsoft.Dynamics.CRM.MemoAttributeMetadata': ['MaxLength'],
};

const ATTRIBUTE_TYPES: Record<ColumnDef['type'], string> = {
  guid: 'Uniqueidentifier',
  string: 'String',
  memo: 'Memo',
  integer: 'Integer',
  bigint: 'BigInt',
  money: 'Money',
  double: 'Double',
  dateonly: 'DateTime',
  datetime: 'DateTime',
  picklist: 'Picklist',
  state: 'State',
  status: 'Status',
  boolean: 'Boolean',
  lookup: 'Lookup',
};

const REQUIRED: Record<string, string> = {
  leadid: 'SystemRequired',
  lastname: 'ApplicationRequired',
  subject: 'ApplicationRequired',
};

export type EntityMetadataOptions = {
  serviceRoot: () => string;
  /** The tables that exist, by logical name. */
  tables: ReadonlyMap<string, { schema: EntitySchema; objectTypeCode: number; tracked: () => boolean }>;
  settings: () => MetadataSettings;
  /** Columns the organization added (their metadata says IsCustomAttribute). */
  isCustom: (table: string, column: string) => boolean;
};

export function createEntityMetadata(options: EntityMetadataOptions) {
  const context = (suffix: string) => `${options.serviceRoot()}/$metadata#${suffix}`;

  const tableOf = (key: KeyPredicate | undefined) => {
    const name = key?.kind === 'alternate' ? key.values.LogicalName : undefined;
    if (typeof name !== 'string' || (key?.kind === 'alternate' && Object.keys(key.values).length !== 1))
      throw queryError("EntityDefinitions are addressed as EntityDefinitions(LogicalName='<name>').");
    const table = options.tables.get(name.toLowerCase());
    if (!table)
      throw new DataverseError(
        404,
        DATAVERSE_CODES.entityNotFound,
        `Could not find entity with name '${name}'. Entity '${name}' was not found in the MetadataCache.`,
      );
    return { name: name.toLowerCase(), ...table };
  };

  const entity = (
    name: string,
    table: { schema: EntitySchema; objectTypeCode: number; tracked: () => boolean },
  ) => ({
    LogicalName: name,
    SchemaName: schemaName(name),
    EntitySetName: table.schema.setName,
    PrimaryIdAttribute: table.schema.primaryKey,
    PrimaryNameAttribute: table.schema.columns.has('fullname') ? 'fullname' : 'name',
    ObjectTypeCode: table.objectTypeCode,
    ChangeTrackingEnabled: table.tracked(),
    IsCustomEntity: false,
    MetadataId: metadataId(`entity/${name}`),
  });

  const keysOf = (name: string, schema: EntitySchema): Json[] =>
    schema.alternateKey.length === 0
      ? []
      : [
          {
            '@odata.type': '#Microsoft.Dynamics.CRM.EntityKeyMetadata',
            LogicalName: `${schema.alternateKey.join('_')}_key`,
            SchemaName: `${schema.alternateKey.join('_')}_key`,
            EntityLogicalName: name,
            KeyAttributes: [...schema.alternateKey],
            EntityKeyIndexStatus: options.settings().alternateKeyStatus,
            MetadataId: metadataId(`key/${name}/${schema.alternateKey.join(',')}`),
          },
        ];

  const attributeOf = (name: string, column: ColumnDef): Json => {
    const logicalName = column.type === 'lookup' ? (column.navigation ?? column.name) : column.name;
    const type = logicalName === 'ownerid' ? 'Owner' : ATTRIBUTE_TYPES[column.type];
    const readOnly = column.readOnly === true || (column.type === 'lookup' && column.bindable === false);
    return {
      '@odata.type': `#Microsoft.Dynamics.CRM.${type === 'Uniqueidentifier' ? 'UniqueIdentifier' : type}AttributeMetadata`,
      LogicalName: logicalName,
      SchemaName: logicalName,
      AttributeType: type,
      // statecode is set by its own requests, never on create (spec crm.md A4).
      IsValidForCreate: !readOnly && column.type !== 'state',
      IsValidForUpdate: !readOnly && column.createOnly !== true,
      IsCustomAttribute: options.isCustom(name, logicalName),
      RequiredLevel: {
        Value: REQUIRED[logicalName] ?? 'None',
        CanBeChanged: true,
        ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings',
      },
      MetadataId: metadataId(`attribute/${name}/${logicalName}`),
      ...(column.maxLength !== undefined && (column.type === 'string' || column.type === 'memo')
        ? { MaxLength: column.maxLength }
        : {}),
    };
  };

  const attributes = (name: string, schema: EntitySchema) =>
    [...schema.columns.values()].map((column) => attributeOf(name, column));

  return {
    handle(request: ApiRequest, resource: ResourcePath): ApiResponse {
      if (request.method !== 'GET')
        throw queryError(`The requested resource does not support http method '${request.method}'.`, 405);
      const params = new URLSearchParams(request.query);
      if (!resource.key) {
        if (resource.rest.length > 0) throw queryError('EntityDefinitions needs a key before a navigation.');
        const select = selectOf(params, ENTITY_PROPERTIES, 'EntityMetadata');
        const wanted = logicalNameFilter(params);
        const rows = [...options.tables]
          .filter(([name]) => wanted === undefined || name === wanted)
          .map(([name, table]) => project(entity(name, table), select));
        return jsonResponse(200, {
          '@odata.context': context(`EntityDefinitions${list(select)}`),
          value: rows,
        });
      }
      const table = tableOf(resource.key);
      const [navigation, ...rest] = resource.rest;
      if (navigation === undefined) {
        const select = selectOf(params, ENTITY_PROPERTIES, 'EntityMetadata');
        return jsonResponse(200, {
          '@odata.context': context(`EntityDefinitions${list(select)}/$entity`),
          ...project(entity(table.name, table), select),
        });
      }
      if (navigation === 'Keys' && rest.length === 0) {
        const select = selectOf(params, KEY_PROPERTIES, 'EntityKeyMetadata');
        return jsonResponse(200, {
          '@odata.context': context(`EntityDefinitions('${table.name}')/Keys${list(select)}`),
          value: keysOf(table.name, table.schema).map((key) => project(key, select)),
        });
      }
      const attributesPath = parseResourcePath([navigation, ...rest].join('/'));
      if (attributesPath.segment !== 'Attributes') throw notFoundSegment(navigation);
      const [cast, ...beyond] = attributesPath.rest;
      if (beyond.length > 0) throw notFoundSegment(beyond[0] ?? '');
      const extra = cast ? CAST_PROPERTIES[cast] : [];
      if (extra === undefined) throw notFoundSegment(cast ?? '');
      const select = selectOf(params, [...ATTRIBUTE_PROPERTIES, ...extra], castName(cast));
      const all = attributes(table.name, table.schema).filter(
        (attribute) => cast === undefined || attribute['@odata.type'] === `#${cast}`,
      );
      if (!attributesPath.key) {
        const wanted = logicalNameFilter(params);
        return jsonResponse(200, {
          '@odata.context': context(
            `EntityDefinitions('${table.name}')/Attributes${cast ? `/${cast}` : ''}${list(select)}`,
          ),
          value: all
            .filter((attribute) => wanted === undefined || attribute.LogicalName === wanted)
            .map((attribute) => project(attribute, select, extra)),
        });
      }
      const name =
        attributesPath.key.kind === 'alternate' ? attributesPath.key.values.LogicalName : undefined;
      if (typeof name !== 'string')
        throw queryError("Attributes are addressed as Attributes(LogicalName='<name>').");
      const attribute = attributes(table.name, table.schema).find(
        (a) => a.LogicalName === name.toLowerCase(),
      );
      if (!attribute) {
        throw new DataverseError(
          404,
          DATAVERSE_CODES.attributeNotFound,
          `Could not find attribute '${name}' for entity '${table.name}'.`,
        );
      }
      if (cast && attribute['@odata.type'] !== `#${cast}`) {
        throw queryError(
          `The attribute '${name}' is a ${String(attribute.AttributeType)} column, not a ${castName(cast)}.`,
        );
      }
      return jsonResponse(200, {
        '@odata.context': context(
          `EntityDefinitions('${table.name}')/Attributes${cast ? `/${cast}` : ''}${list(select)}/$entity`,
        ),
        ...project(attribute, select, extra),
      });
    },
  };
}

/** Only `LogicalName eq '<name>'` is emulated: what a client looking for one table or column sends. */
function logicalNameFilter(params: URLSearchParams): string | undefined {
  const filter = params.get('$filter');
  if (filter === null) return undefined;
  const match = /^\s*LogicalName\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter);
  if (!match)
    throw queryError(`The emulator answers metadata filters of the form LogicalName eq '<name>' only.`);
  return (match[1] ?? '').replaceAll("''", "'").toLowerCase();
}

function selectOf(params: URLSearchParams, known: readonly string[], type: string): string[] | undefined {
  const select = params.get('$select');
  if (select === null) return undefined;
  const names = select
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!known.includes(name))
      throw queryError(`Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${type}'.`);
  }
  return names;
}

/**
 * The selected properties, with `MetadataId` and `@odata.type` always (metadata answers carry them);
 * without `$select` every property except the cast-only ones, which only their cast shows.
 */
function project(row: Json, select: string[] | undefined, castOnly: readonly string[] = []): Json {
  const hidden = new Set(['MaxLength'].filter((name) => !castOnly.includes(name)));
  const keep = (name: string) =>
    name === 'MetadataId' || name === '@odata.type' || (select ? select.includes(name) : !hidden.has(name));
  return Object.fromEntries(Object.entries(row).filter(([name]) => keep(name)));
}

function list(select: string[] | undefined): string {
  return select ? `(${select.join(',')})` : '';
}

function castName(cast: string | undefined): string {
  return cast ? cast.replace('Microsoft.Dynamics.CRM.', '') : 'AttributeMetadata';
}

function schemaName(logicalName: string): string {
  return logicalName.charAt(0).toUpperCase() + logicalName.slice(1);
}

function metadataId(name: string): string {
  const hex = createHash('sha256').update(`dataverse-metadata/${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function notFoundSegment(segment: string): DataverseError {
  return queryError(`Resource not found for the segment '${segment}'.`, 404);
}
