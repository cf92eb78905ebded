/**
 * Basic CRM object endpoints (spec C3, C6, C7): `GET/POST /crm/v3/objects/{type}`,
 * `GET/PATCH/DELETE /crm/v3/objects/{type}/{id}` with `?idProperty=` for reads and updates by a
 * unique property.
 */
import type { FastifyInstance } from 'fastify';
import { validationError } from './hubspot-error.ts';
import { namedProperties, objectJson } from './object-json.ts';
import type { StoredObject } from './object-store.ts';
import { type ObjectType, resolveObjectType } from './object-types.ts';
import { recordNotFound } from './object-writes.ts';
import { type RouteContext, requireObjectBody, sendJson } from './route-context.ts';
import { objectScopes } from './scopes.ts';

type ObjectParams = { objectType: string; objectId: string };
type ReadQuery = {
  properties?: string | string[];
  associations?: string | string[];
  archived?: string;
  idProperty?: string;
  limit?: string;
  after?: string;
};

const BASE = '/crm/v3/objects/:objectType';
const LIST_MAX = 100;

export function registerObjectRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { writes } = ctx;
  const exists = (type: ObjectType) => (name: string) => ctx.catalog.get(type.name, name) !== undefined;

  app.get<{ Params: ObjectParams; Querystring: ReadQuery }>(
    BASE,
    { config: { scopes: objectScopes('read') } },
    async (request, reply) => {
      const type = resolveObjectType(request.params.objectType);
      const limit = Number(request.query.limit ?? 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > LIST_MAX)
        throw validationError(`limit must be an integer from 1 to ${LIST_MAX}`);
      const archived = request.query.archived === 'true';
      const from = Number(request.query.after ?? 0);
      const records = ctx.store
        .all(type.name)
        .filter((object) => object.archived === archived && Number(object.id) >= from);
      const page = records.slice(0, limit);
      const next = records[limit];
      const selection = namedProperties(request.query.properties);
      return sendJson(reply, 200, {
        results: page.map((object) =>
          withAssociations(
            objectJson(type, object, selection, exists(type)),
            type,
            object,
            request.query.associations,
          ),
        ),
        ...(next ? { paging: { next: { after: next.id, link: `?after=${next.id}` } } } : {}),
      });
    },
  );

  app.post<{ Params: ObjectParams }>(
    BASE,
    { config: { scopes: objectScopes('write') } },
    async (request, reply) => {
      const type = resolveObjectType(request.params.objectType);
      const body = requireObjectBody(request.body);
      const values = writes.readProperties(type, body.properties);
      const created = writes.create(type, values, writes.readAssociations(type, body.associations));
      return sendJson(reply, 201, objectJson(type, created, { kind: 'all' }, exists(type)));
    },
  );

  app.get<{ Params: ObjectParams; Querystring: ReadQuery }>(
    `${BASE}/:objectId`,
    { config: { scopes: objectScopes('read') } },
    async (request, reply) => {
      const type = resolveObjectType(request.params.objectType);
      const { objectId } = request.params;
      const { idProperty } = request.query;
      const object =
        request.query.archived === 'true'
          ? archivedRecord(ctx, type, objectId)
          : writes.locate(type, objectId, idProperty);
      if (!object) throw recordNotFound(objectId, idProperty);
      const json = objectJson(type, object, namedProperties(request.query.properties), exists(type));
      return sendJson(reply, 200, withAssociations(json, type, object, request.query.associations));
    },
  );

  app.patch<{ Params: ObjectParams; Querystring: ReadQuery }>(
    `${BASE}/:objectId`,
    { config: { scopes: objectScopes('write') } },
    async (request, reply) => {
      const type = resolveObjectType(request.params.objectType);
      const { objectId } = request.params;
      const body = requireObjectBody(request.body);
      const values = writes.readProperties(type, body.properties);
      const object = writes.locate(type, objectId, request.query.idProperty);
      if (!object) throw recordNotFound(objectId, request.query.idProperty);
      return sendJson(
        reply,
        200,
        objectJson(type, writes.update(type, object, values), { kind: 'all' }, exists(type)),
      );
    },
  );

  // Archiving is idempotent: a missing or already archived record answers 204 too.
  app.delete<{ Params: ObjectParams }>(
    `${BASE}/:objectId`,
    { config: { scopes: objectScopes('write') } },
    async (request, reply) => {
      const type = resolveObjectType(request.params.objectType);
      const object = writes.locate(type, request.params.objectId);
      if (object) writes.archive(type, object);
      return sendJson(reply, 204);
    },
  );

  function withAssociations(
    json: Record<string, unknown>,
    type: ObjectType,
    object: StoredObject,
    raw: string | string[] | undefined,
  ): Record<string, unknown> {
    const names = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((item) => item.split(','));
    if (names.length === 0) return json;
    const associations: Record<string, unknown> = {};
    for (const name of names) {
      const target = resolveObjectType(name.trim());
      const links = ctx.associations.list({ type: type.name, id: object.id }, target.name);
      if (links.length === 0) continue;
      associations[target.name] = {
        results: links.map((link) => ({ id: link.toId, type: `${type.singular}_to_${target.singular}` })),
      };
    }
    return { ...json, associations };
  }
}

function archivedRecord(ctx: RouteContext, type: ObjectType, id: string): StoredObject | undefined {
  const object = ctx.store.get(type.name, id);
  return object?.archived ? object : undefined;
}
