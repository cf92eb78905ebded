/**
 * Batch endpoints (spec C3, C4): `POST /crm/v3/objects/{type}/batch/{create,read,update,upsert,archive}`,
 * ≤ 100 inputs. Malformed requests and refused property values fail the whole call (400, as observed on
 * batch update); what depends on one record — not found, a unique value held elsewhere, a lead that
 * upsert would have to create without its contact — fails that input alone: 207 with `numErrors` and
 * `errors` beside the `results` of the others. Batch create is all or nothing (409 names the first
 * existing record).
 */
import type { FastifyInstance } from 'fastify';
import { objectNotFound, validationError } from './hubspot-error.ts';
import { namedProperties, objectJson } from './object-json.ts';
import type { StoredObject } from './object-store.ts';
import { type ObjectType, resolveObjectType } from './object-types.ts';
import {
  batchAnswer,
  batchInputs,
  type HubSpotErrorItem,
  perInput,
  type RouteContext,
  requireObjectBody,
  sendJson,
} from './route-context.ts';
import { objectScopes } from './scopes.ts';

type Params = { Params: { objectType: string }; Querystring: { archived?: string } };
const BASE = '/crm/v3/objects/:objectType/batch';

export function registerBatchRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { writes } = ctx;
  const exists = (type: ObjectType) => (name: string) => ctx.catalog.get(type.name, name) !== undefined;
  const written = (type: ObjectType, object: StoredObject, traceId: unknown) => ({
    ...objectJson(type, object, { kind: 'all' }, exists(type)),
    ...(typeof traceId === 'string' ? { objectWriteTraceId: traceId } : {}),
  });
  const inputContext = (id: string, traceId: unknown): Record<string, string[]> => ({
    ids: [id],
    ...(typeof traceId === 'string' ? { objectWriteTraceId: [traceId] } : {}),
  });
  const write = { config: { scopes: objectScopes('write') } };

  app.post<Params>(`${BASE}/create`, write, async (request, reply) => {
    const startedAt = ctx.now();
    const type = resolveObjectType(request.params.objectType);
    const inputs = batchInputs(request.body);
    const plans = inputs.map((input) =>
      writes.planCreate(
        type,
        writes.readProperties(type, input.properties),
        writes.readAssociations(type, input.associations),
      ),
    );
    const seen = new Set<string>();
    for (const [property, value] of plans.flatMap((plan) => plan.uniqueValues)) {
      if (seen.has(`${property}=${value}`))
        throw validationError(
          `Duplicate values found in batch input for unique property ${property}: ${value}`,
        );
      seen.add(`${property}=${value}`);
    }
    const results = plans.map((plan, index) =>
      written(type, plan.commit(), inputs[index]?.objectWriteTraceId),
    );
    return batchAnswer(reply, startedAt, ctx.now(), results, [], 201);
  });

  app.post<Params>(`${BASE}/read`, { config: { scopes: objectScopes('read') } }, async (request, reply) => {
    const startedAt = ctx.now();
    const type = resolveObjectType(request.params.objectType);
    const body = requireObjectBody(request.body);
    const inputs = batchInputs(body);
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    if (idProperty !== undefined && idProperty !== 'hs_object_id') writes.checkIdProperty(type, idProperty);
    const archived = request.query.archived === 'true';
    const selection = namedProperties(body.properties);
    const ids = [...new Set(inputs.map((input) => String(input.id ?? '')))];
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const object = archived ? ctx.store.get(type.name, id) : writes.locate(type, id, idProperty);
      if (object && object.archived === archived)
        results.push(objectJson(type, object, selection, exists(type)));
      else missing.push(id);
    }
    const errors: HubSpotErrorItem[] =
      missing.length === 0
        ? []
        : [
            objectNotFound(
              `Could not get some ${type.upperName} objects, they may be deleted or not exist. Check that ids are valid.`,
            ).batchItem({ ids: missing }),
          ];
    return batchAnswer(reply, startedAt, ctx.now(), results, errors);
  });

  app.post<Params>(`${BASE}/update`, write, async (request, reply) => {
    const startedAt = ctx.now();
    const type = resolveObjectType(request.params.objectType);
    const inputs = batchInputs(request.body);
    const planned = inputs.map((input) => {
      const idProperty = typeof input.idProperty === 'string' ? input.idProperty : undefined;
      if (idProperty !== undefined && idProperty !== 'hs_object_id') writes.checkIdProperty(type, idProperty);
      return {
        input,
        id: String(input.id ?? ''),
        idProperty,
        values: writes.readProperties(type, input.properties),
      };
    });
    refuseDuplicateIds(
      planned.map((p) => `${p.idProperty ?? ''}:${p.id}`),
      planned.map((p) => p.id),
    );
    const results: unknown[] = [];
    const errors: HubSpotErrorItem[] = [];
    for (const { input, id, idProperty, values } of planned) {
      const result = perInput(errors, inputContext(id, input.objectWriteTraceId), () => {
        const object = writes.locate(type, id, idProperty);
        if (!object) throw objectNotFound(`Object ${id} was not found`, { id: [id] });
        return writes.update(type, object, values);
      });
      if (result) results.push(written(type, result, input.objectWriteTraceId));
    }
    return batchAnswer(reply, startedAt, ctx.now(), results, errors);
  });

  app.post<Params>(`${BASE}/upsert`, write, async (request, reply) => {
    const startedAt = ctx.now();
    const type = resolveObjectType(request.params.objectType);
    const inputs = batchInputs(request.body);
    const planned = inputs.map((input) => {
      if (typeof input.idProperty !== 'string' || input.idProperty === '')
        throw validationError(
          'Each upsert input needs "idProperty": the unique property "id" holds a value of',
        );
      writes.checkIdProperty(type, input.idProperty);
      const idProperty = input.idProperty;
      const raw = String(input.id ?? '');
      const id = type.name === 'contacts' && idProperty === 'email' ? raw.toLowerCase() : raw;
      return { input, idProperty, id, values: writes.readProperties(type, input.properties) };
    });
    refuseDuplicateIds(
      planned.map((p) => `${p.idProperty}:${p.id}`),
      planned.map((p) => p.id),
    );
    const results: unknown[] = [];
    const errors: HubSpotErrorItem[] = [];
    for (const { input, idProperty, id, values } of planned) {
      const outcome = perInput(errors, inputContext(id, input.objectWriteTraceId), () => {
        const given = values.get(idProperty);
        if (given !== undefined && given !== id)
          throw validationError(
            `properties.${idProperty} (${String(given)}) differs from the input's id (${id}), which upsert matches on`,
          );
        const existing = writes.locate(type, id, idProperty);
        if (existing) return { object: writes.update(type, existing, values), created: false };
        const withKey = new Map(values).set(idProperty, id);
        return { object: writes.create(type, withKey, []), created: true };
      });
      if (outcome)
        results.push({ ...written(type, outcome.object, input.objectWriteTraceId), new: outcome.created });
    }
    return batchAnswer(reply, startedAt, ctx.now(), results, errors);
  });

  app.post<Params>(`${BASE}/archive`, write, async (request, reply) => {
    const type = resolveObjectType(request.params.objectType);
    for (const input of batchInputs(request.body)) {
      const object = writes.locate(type, String(input.id ?? ''));
      if (object) writes.archive(type, object);
    }
    return sendJson(reply, 204);
  });
}

function refuseDuplicateIds(keys: readonly string[], ids: readonly string[]): void {
  const seen = new Set<string>();
  const duplicates = ids.filter((_id, index) => {
    const key = keys[index] as string;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
  if (duplicates.length > 0)
    throw validationError(
      `Duplicate IDs found in batch input: [${[...new Set(duplicates)].join(', ')}]. IDs must be unique`,
    );
}
