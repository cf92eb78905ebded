/**
 * Every write to a CRM record, whoever makes it (API, batch, a seller in the UI): property values
 * checked against their definitions, pipeline defaults and stage/pipeline agreement, the properties a
 * type requires, unique values (409 "Existing ID"), the leads rule — a lead is created associated with a
 * contact in the same request (spec C6) — and the system properties HubSpot keeps: `hs_object_id`,
 * `createdate` and the last-modified datetime, which moves only when a value changes.
 */

import type { AssociationStore, ObjectRef } from './associations.ts';
import {
  conflict,
  invalidInput,
  objectNotFound,
  type PropertyIssue,
  propertyValuesInvalid,
  validationError,
} from './hubspot-error.ts';
import type { ObjectStore, StoredObject } from './object-store.ts';
import { OBJECT_TYPES, type ObjectName, type ObjectType } from './object-types.ts';
import { PIPELINE_PROPERTIES, type Pipelines } from './pipelines.ts';
import type { PropertyCatalog, PropertyDefinition } from './property-catalog.ts';
import { readPropertyValue } from './property-values.ts';

/** Written values by property name; `null` clears the value. */
export type PropertyValues = ReadonlyMap<string, string | null>;

/** An association written with a create (`associations[]` of SimplePublicObjectInputForCreate). */
export type AssociationLink = { target: ObjectRef; typeIds: number[] };

export type CreatePlan = {
  /** The unique values the new record would hold, to find duplicates inside one batch. */
  uniqueValues: Array<[property: string, value: string]>;
  commit(): StoredObject;
};

export type ObjectWriteDeps = {
  portalId: number;
  now: () => number;
  /** How long a write takes to reach the search index. */
  searchLagMs: () => number;
  catalog: PropertyCatalog;
  pipelines: Pipelines;
  /** Owner ids `hubspot_owner_id` accepts. */
  ownerIds: readonly string[];
  store: ObjectStore;
  associations: AssociationStore;
};

export type ObjectWrites = {
  /** Reads a `properties` map; 400 naming every refused value. */
  readProperties(type: ObjectType, raw: unknown): PropertyValues;
  /** Reads `associations[]` of a create input; 400 for unknown types or targets. */
  readAssociations(type: ObjectType, raw: unknown): AssociationLink[];
  /** Checks a create completely (400, 409) without writing: batch create commits all or nothing. */
  planCreate(type: ObjectType, values: PropertyValues, associations: readonly AssociationLink[]): CreatePlan;
  create(type: ObjectType, values: PropertyValues, associations: readonly AssociationLink[]): StoredObject;
  /** Applies changes; a write that changes nothing leaves the record (and its last-modified) as it was. */
  update(type: ObjectType, object: StoredObject, values: PropertyValues): StoredObject;
  archive(type: ObjectType, object: StoredObject): StoredObject;
  /** A write by HubSpot itself (a calculated property): the last-modified datetime moves, no value you see. */
  touch(type: ObjectType, object: StoredObject): StoredObject;
  /** 400 unless the property can address records (a unique property, or a contact's email). */
  checkIdProperty(type: ObjectType, idProperty: string): void;
  /** The live record an id names — the record id, or a unique value when `idProperty` is given. */
  locate(type: ObjectType, id: string, idProperty?: string): StoredObject | undefined;
  isUnique(type: ObjectName, property: string): boolean;
};

export function createObjectWrites(deps: ObjectWriteDeps): ObjectWrites {
  const { catalog, pipelines, store } = deps;

  const isUnique = (type: ObjectName, property: string) =>
    (type === 'contacts' && property === 'email') || catalog.get(type, property)?.hasUniqueValue === true;

  const allowedOptions = (type: ObjectName, definition: PropertyDefinition) => (): string[] => {
    if (definition.optionsFrom === 'owners') return [...deps.ownerIds];
    if (definition.optionsFrom && pipelines.supports(type)) {
      const list = pipelines.list(type);
      return definition.optionsFrom === 'pipelines'
        ? list.map((pipeline) => pipeline.id)
        : list.flatMap((pipeline) => pipeline.stages.map((stage) => stage.id));
    }
    return definition.options.map((option) => option.value);
  };

  const fail = (issues: PropertyIssue[]) => {
    if (issues.length > 0) throw propertyValuesInvalid(issues, deps.portalId);
  };

  /** Pipeline defaults on create, stage/pipeline agreement always (spec C6, C7). */
  const pipelineIssues = (type: ObjectName, properties: Record<string, string>, creating: boolean) => {
    if (!pipelines.supports(type)) return [];
    const names = PIPELINE_PROPERTIES[type];
    if (creating && properties[names.pipeline] === undefined)
      properties[names.pipeline] = pipelines.defaultPipeline(type).id;
    const pipeline = pipelines.get(type, properties[names.pipeline] ?? '');
    if (!pipeline) return [];
    // A lead without a stage starts in the pipeline's first one; a deal must name its stage.
    if (creating && type === 'leads' && properties[names.stage] === undefined)
      properties[names.stage] = pipeline.stages[0]?.id ?? '';
    const stage = properties[names.stage];
    if (stage === undefined || pipeline.stages.some((s) => s.id === stage)) return [];
    const allowed = pipeline.stages.map((s) => s.id).join(', ');
    return [
      {
        name: names.stage,
        code: 'INVALID_OPTION',
        message: `${stage} was not one of the allowed options: [${allowed}] (stages of pipeline ${pipeline.id})`,
        value: stage,
      },
    ];
  };

  const REQUIRED_ON_CREATE: Partial<Record<ObjectName, readonly string[]>> = {
    leads: ['hs_lead_name'],
    deals: ['dealname', 'dealstage'],
  };

  const calculated = (type: ObjectName, properties: Record<string, string>) => {
    if (type !== 'deals') return;
    const pipeline = pipelines.get('deals', properties.pipeline ?? '');
    const stage = pipeline?.stages.find((s) => s.id === properties.dealstage);
    if (!stage) return;
    properties.hs_is_closed = String(stage.metadata?.isClosed === 'true');
    properties.hs_is_closed_won = String(
      stage.metadata?.isClosed === 'true' && stage.metadata?.probability === '1.0',
    );
  };

  const checkUnique = (type: ObjectType, properties: Record<string, string>, selfId: string | undefined) => {
    for (const [name, value] of Object.entries(properties)) {
      if (!isUnique(type.name, name)) continue;
      const holder = store.findUnique(type.name, name, value);
      if (holder && holder.id !== selfId) throw conflict(type.label, holder.id);
    }
  };

  const save = (type: ObjectType, object: StoredObject) => {
    store.put(type.name, object, deps.now() + deps.searchLagMs());
    return object;
  };

  const writes: ObjectWrites = {
    isUnique,
    readProperties(type, raw) {
      if (raw === undefined) return new Map();
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw invalidInput('"properties" must be an object of strings');
      const values = new Map<string, string | null>();
      const issues: PropertyIssue[] = [];
      for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
        const definition = catalog.get(type.name, name);
        if (!definition) {
          issues.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
          continue;
        }
        if (definition.readOnlyValue) {
          issues.push({
            name,
            code: 'READ_ONLY_VALUE',
            message: `${name} is a read only property; its value cannot be set.`,
            value: String(value),
          });
          continue;
        }
        const reading = readPropertyValue(definition, value, allowedOptions(type.name, definition));
        if ('issue' in reading) issues.push(reading.issue);
        else values.set(name, 'clear' in reading ? null : reading.value);
      }
      fail(issues);
      return values;
    },

    readAssociations(type, raw) {
      if (raw === undefined || raw === null) return [];
      if (!Array.isArray(raw)) throw invalidInput('"associations" must be an array');
      return raw.map((item: unknown) => {
        const input = item as { to?: { id?: unknown }; types?: unknown };
        if (typeof input !== 'object' || input === null || !Array.isArray(input.types))
          throw invalidInput('each association needs "to" and "types"');
        const toId = String(input.to?.id ?? '');
        const typeIds = (
          input.types as Array<{ associationCategory?: unknown; associationTypeId?: unknown }>
        ).map((spec) => {
          const typeId = Number(spec.associationTypeId);
          const known = deps.associations.type(type.name, typeId);
          if (spec.associationCategory !== 'HUBSPOT_DEFINED' || !known)
            throw validationError(
              `${String(spec.associationCategory)} association type ${String(spec.associationTypeId)} does not exist for ${type.upperName} records`,
            );
          return known;
        });
        const targetTypes = new Set(typeIds.map((t) => t.to));
        if (targetTypes.size > 1)
          throw validationError(`association types of one target must all lead to the same object type`);
        const [targetType] = [...targetTypes];
        if (targetType && !writes.locate(OBJECT_TYPES[targetType], toId))
          throw validationError(
            `${OBJECT_TYPES[targetType].upperName} ${toId} does not exist, so it cannot be associated`,
          );
        return { target: { type: targetType ?? type.name, id: toId }, typeIds: typeIds.map((t) => t.typeId) };
      });
    },

    planCreate(type, values, associations) {
      if (type.name === 'leads' && !associations.some((link) => link.target.type === 'contacts'))
        throw validationError(
          'A lead must be associated with an existing contact when it is created: add an association to the contact (associationTypeId 578) in the same request.',
        );
      const properties: Record<string, string> = {};
      for (const [name, value] of values) if (value !== null) properties[name] = value;
      const issues: PropertyIssue[] = pipelineIssues(type.name, properties, true);
      for (const name of REQUIRED_ON_CREATE[type.name] ?? []) {
        if (properties[name] === undefined)
          issues.push({ name, code: 'REQUIRED_PROPERTY', message: `${name} is required` });
      }
      fail(issues);
      calculated(type.name, properties);
      checkUnique(type, properties, undefined);
      return {
        uniqueValues: Object.entries(properties).filter(([name]) => isUnique(type.name, name)),
        commit() {
          const now = deps.now();
          const id = store.newId(type.name);
          properties.hs_object_id = id;
          properties.createdate = new Date(now).toISOString();
          properties[type.lastModifiedProperty] = new Date(now).toISOString();
          const object = save(type, { id, properties, createdAt: now, updatedAt: now, archived: false });
          for (const link of associations)
            deps.associations.add({ type: type.name, id }, link.target, link.typeIds);
          return object;
        },
      };
    },

    create: (type, values, associations) => writes.planCreate(type, values, associations).commit(),

    update(type, object, values) {
      const properties: Record<string, string> = { ...object.properties };
      for (const [name, value] of values) {
        if (value === null) delete properties[name];
        else properties[name] = value;
      }
      fail(pipelineIssues(type.name, properties, false));
      calculated(type.name, properties);
      const changed = Object.keys({ ...properties, ...object.properties }).some(
        (name) => properties[name] !== object.properties[name],
      );
      if (!changed) return object;
      checkUnique(type, properties, object.id);
      const now = deps.now();
      properties[type.lastModifiedProperty] = new Date(now).toISOString();
      return save(type, { ...object, properties, updatedAt: now });
    },

    archive(type, object) {
      const now = deps.now();
      return save(type, { ...object, archived: true, archivedAt: now });
    },

    touch(type, object) {
      const now = deps.now();
      const properties = { ...object.properties, [type.lastModifiedProperty]: new Date(now).toISOString() };
      return save(type, { ...object, properties, updatedAt: now });
    },

    checkIdProperty(type, idProperty) {
      if (!isUnique(type.name, idProperty))
        throw validationError(
          `Unable to perform update/upsert by non-unique ${type.id} property ${idProperty} in portal ID ${deps.portalId}`,
        );
    },

    locate(type, id, idProperty) {
      if (idProperty === undefined || idProperty === 'hs_object_id') {
        const object = store.get(type.name, id);
        return object && !object.archived ? object : undefined;
      }
      writes.checkIdProperty(type, idProperty);
      const value = type.name === 'contacts' && idProperty === 'email' ? id.toLowerCase() : id;
      return store.findUnique(type.name, idProperty, value);
    },
  };
  return writes;
}

/** 404 for a record a URL names that does not exist (or is archived). */
export function recordNotFound(
  id: string,
  idProperty: string | undefined,
): ReturnType<typeof objectNotFound> {
  return idProperty === undefined && !/^\d+$/.test(id)
    ? objectNotFound('Object not found.  objectId are usually numeric.', { id: [id] })
    : objectNotFound('resource not found', { id: [id] });
}
