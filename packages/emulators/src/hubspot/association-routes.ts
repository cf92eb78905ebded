/**
 * Associations v4 (spec C8): default and typed associations between two records, the associations of a
 * record, batch default/create/read/archive, and the type ids between two object types (`labels`).
 */
import type { FastifyInstance } from 'fastify';
import type { AssociationType } from './associations.ts';
import { invalidInput, objectNotFound, validationError } from './hubspot-error.ts';
import type { StoredObject } from './object-store.ts';
import { type ObjectType, resolveObjectType } from './object-types.ts';
import {
  batchAnswer,
  batchInputs,
  type HubSpotErrorItem,
  perInput,
  type RouteContext,
  sendJson,
} from './route-context.ts';
import { objectScopes } from './scopes.ts';

type PairParams = { fromType: string; fromId: string; toType: string; toId: string };
const OBJECT = '/crm/v4/objects/:fromType/:fromId/associations';
const BATCH = '/crm/v4/associations/:fromType/:toType';

export function registerAssociationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const write = { config: { scopes: objectScopes('write', 'fromType', 'toType') } };
  const read = { config: { scopes: objectScopes('read', 'fromType', 'toType') } };

  const record = (type: ObjectType, id: string): StoredObject => {
    const object = ctx.writes.locate(type, id);
    if (!object) throw objectNotFound(`${type.upperName} ${id} was not found`, { id: [id] });
    return object;
  };
  const defaultType = (from: ObjectType, to: ObjectType): AssociationType => {
    const type = ctx.associations.defaultType(from.name, to.name);
    if (!type)
      throw validationError(`There is no default association type from ${from.upperName} to ${to.upperName}`);
    return type;
  };
  const specsOf = (from: ObjectType, to: ObjectType, raw: unknown): number[] => {
    if (!Array.isArray(raw)) throw invalidInput('an array of association specs was expected');
    return raw.map((spec: { associationCategory?: unknown; associationTypeId?: unknown }) => {
      const type = ctx.associations.type(from.name, Number(spec?.associationTypeId));
      if (spec?.associationCategory !== 'HUBSPOT_DEFINED' || !type || type.to !== to.name)
        throw validationError(
          `${String(spec?.associationCategory)} association type ${String(spec?.associationTypeId)} does not exist from ${from.upperName} to ${to.upperName}`,
        );
      return type.typeId;
    });
  };
  const associateDefault = (from: ObjectType, fromId: string, to: ObjectType, toId: string) => {
    record(from, fromId);
    record(to, toId);
    const type = defaultType(from, to);
    ctx.associations.add({ type: from.name, id: fromId }, { type: to.name, id: toId }, [type.typeId]);
    return [spec(fromId, toId, type.typeId), spec(toId, fromId, type.reverseTypeId)];
  };
  const labelsBetween = (from: ObjectType, fromId: string, to: ObjectType, toId: string) => {
    const link = ctx.associations.list({ type: from.name, id: fromId }, to.name).find((l) => l.toId === toId);
    const labels = (link?.typeIds ?? [])
      .map((typeId) => ctx.associations.type(from.name, typeId)?.label)
      .filter((label): label is string => typeof label === 'string');
    return {
      fromObjectTypeId: from.id,
      fromObjectId: Number(fromId),
      toObjectTypeId: to.id,
      toObjectId: Number(toId),
      labels,
    };
  };
  const associationsOf = (from: ObjectType, fromId: string, to: ObjectType) =>
    ctx.associations.list({ type: from.name, id: fromId }, to.name).map((link) => ({
      toObjectId: Number(link.toId),
      associationTypes: link.typeIds.map((typeId) => ({
        category: 'HUBSPOT_DEFINED',
        typeId,
        label: ctx.associations.type(from.name, typeId)?.label ?? null,
      })),
    }));
  const types = (params: { fromType: string; toType: string }) => ({
    from: resolveObjectType(params.fromType),
    to: resolveObjectType(params.toType),
  });

  app.put<{ Params: PairParams }>(`${OBJECT}/default/:toType/:toId`, write, async (request, reply) => {
    const startedAt = ctx.now();
    const { from, to } = types(request.params);
    const results = associateDefault(from, request.params.fromId, to, request.params.toId);
    return batchAnswer(reply, startedAt, ctx.now(), results, []);
  });

  app.put<{ Params: PairParams }>(`${OBJECT}/:toType/:toId`, write, async (request, reply) => {
    const { from, to } = types(request.params);
    const { fromId, toId } = request.params;
    if (request.body === undefined)
      throw validationError('Invalid JSON input: a request body was expected, but none found');
    const typeIds = specsOf(from, to, request.body);
    record(from, fromId);
    record(to, toId);
    ctx.associations.add({ type: from.name, id: fromId }, { type: to.name, id: toId }, typeIds);
    return sendJson(reply, 201, labelsBetween(from, fromId, to, toId));
  });

  app.get<{ Params: Omit<PairParams, 'toId'> }>(`${OBJECT}/:toType`, read, async (request, reply) => {
    const { from, to } = types(request.params);
    record(from, request.params.fromId);
    return sendJson(reply, 200, { results: associationsOf(from, request.params.fromId, to) });
  });

  app.delete<{ Params: PairParams }>(`${OBJECT}/:toType/:toId`, write, async (request, reply) => {
    const { from, to } = types(request.params);
    ctx.associations.remove(
      { type: from.name, id: request.params.fromId },
      { type: to.name, id: request.params.toId },
    );
    return sendJson(reply, 204);
  });

  app.get<{ Params: { fromType: string; toType: string } }>(
    `${BATCH}/labels`,
    read,
    async (request, reply) => {
      const { from, to } = types(request.params);
      return sendJson(reply, 200, {
        results: ctx.associations
          .types(from.name, to.name)
          .map((type) => ({ category: 'HUBSPOT_DEFINED', typeId: type.typeId, label: type.label })),
      });
    },
  );

  type BatchParams = { Params: { fromType: string; toType: string } };
  const idOf = (value: unknown) => String((value as { id?: unknown } | undefined)?.id ?? '');

  app.post<BatchParams>(`${BATCH}/batch/associate/default`, write, async (request, reply) => {
    const startedAt = ctx.now();
    const { from, to } = types(request.params);
    const results: unknown[] = [];
    const errors: HubSpotErrorItem[] = [];
    for (const input of batchInputs(request.body, 2000)) {
      const [fromId, toId] = [idOf(input.from), idOf(input.to)];
      const done = perInput(errors, { fromId: [fromId], toId: [toId] }, () =>
        associateDefault(from, fromId, to, toId),
      );
      if (done) results.push(...done);
    }
    return batchAnswer(reply, startedAt, ctx.now(), results, errors);
  });

  app.post<BatchParams>(`${BATCH}/batch/create`, write, async (request, reply) => {
    const startedAt = ctx.now();
    const { from, to } = types(request.params);
    const results: unknown[] = [];
    const errors: HubSpotErrorItem[] = [];
    for (const input of batchInputs(request.body, 2000)) {
      const [fromId, toId] = [idOf(input.from), idOf(input.to)];
      const done = perInput(errors, { fromId: [fromId], toId: [toId] }, () => {
        const typeIds = specsOf(from, to, input.types);
        record(from, fromId);
        record(to, toId);
        ctx.associations.add({ type: from.name, id: fromId }, { type: to.name, id: toId }, typeIds);
        return labelsBetween(from, fromId, to, toId);
      });
      if (done) results.push(done);
    }
    return batchAnswer(reply, startedAt, ctx.now(), results, errors, 201);
  });

  app.post<BatchParams>(`${BATCH}/batch/read`, read, async (request, reply) => {
    const startedAt = ctx.now();
    const { from, to } = types(request.params);
    const results: unknown[] = [];
    const errors: HubSpotErrorItem[] = [];
    for (const input of batchInputs(request.body, 1000)) {
      const fromId = String(input.id ?? '');
      const done = perInput(errors, { ids: [fromId] }, () => {
        record(from, fromId);
        return { from: { id: fromId }, to: associationsOf(from, fromId, to) };
      });
      if (done) results.push(done);
    }
    return batchAnswer(reply, startedAt, ctx.now(), results, errors);
  });

  app.post<BatchParams>(`${BATCH}/batch/archive`, write, async (request, reply) => {
    const { from, to } = types(request.params);
    for (const input of batchInputs(request.body, 2000)) {
      const fromId = idOf(input.from);
      const targets = Array.isArray(input.to) ? input.to : [input.to];
      for (const target of targets)
        ctx.associations.remove({ type: from.name, id: fromId }, { type: to.name, id: idOf(target) });
    }
    return sendJson(reply, 204);
  });
}

function spec(fromId: string, toId: string, typeId: number) {
  return {
    from: { id: fromId },
    to: { id: toId },
    associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId },
  };
}
