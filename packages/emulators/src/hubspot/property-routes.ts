/**
 * Properties API (spec C9): `GET /crm/v3/properties/{object}` (not paged), `GET …/{object}/{name}`,
 * and `POST /crm/v3/properties/{object}` as a portal admin's setup would create a property.
 */
import type { FastifyInstance } from 'fastify';
import { objectNotFound } from './hubspot-error.ts';
import { resolveObjectType } from './object-types.ts';
import type { PropertyDefinition } from './property-catalog.ts';
import { type RouteContext, requireObjectBody, sendJson } from './route-context.ts';
import { schemaScopes } from './scopes.ts';

const BASE = '/crm/v3/properties/:objectType';

export function registerPropertyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const read = { config: { scopes: schemaScopes('read') } };

  app.get<{ Params: { objectType: string }; Querystring: { archived?: string } }>(
    BASE,
    read,
    async (request, reply) => {
      const type = resolveObjectType(request.params.objectType);
      // No property is ever archived here.
      const list = request.query.archived === 'true' ? [] : ctx.catalog.list(type.name);
      return sendJson(reply, 200, { results: list.map(propertyJson) });
    },
  );

  app.get<{ Params: { objectType: string; propertyName: string } }>(
    `${BASE}/:propertyName`,
    read,
    async (request, reply) => {
      const type = resolveObjectType(request.params.objectType);
      const definition = ctx.catalog.get(type.name, request.params.propertyName);
      if (!definition)
        throw objectNotFound(`Property ${request.params.propertyName} does not exist`, {
          propertyName: [request.params.propertyName],
        });
      return sendJson(reply, 200, propertyJson(definition));
    },
  );

  app.post<{ Params: { objectType: string } }>(
    BASE,
    { config: { scopes: schemaScopes('write') } },
    async (request, reply) => {
      const type = resolveObjectType(request.params.objectType);
      return sendJson(
        reply,
        201,
        propertyJson(ctx.catalog.create(type.name, requireObjectBody(request.body))),
      );
    },
  );
}

/** A definition as the API returns it (Property in the schema). */
export function propertyJson(definition: PropertyDefinition): Record<string, unknown> {
  return {
    ...(definition.updatedAt ? { updatedAt: definition.updatedAt } : {}),
    ...(definition.createdAt ? { createdAt: definition.createdAt } : {}),
    name: definition.name,
    label: definition.label,
    type: definition.type,
    fieldType: definition.fieldType,
    description: definition.description,
    groupName: definition.groupName,
    options: definition.options.map((option) => ({ ...option })),
    displayOrder: definition.displayOrder,
    calculated: definition.calculated,
    externalOptions: definition.optionsFrom !== undefined,
    hasUniqueValue: definition.hasUniqueValue,
    hidden: definition.hidden,
    hubspotDefined: definition.hubspotDefined,
    ...(definition.referencedObjectType ? { referencedObjectType: definition.referencedObjectType } : {}),
    ...(definition.showCurrencySymbol ? { showCurrencySymbol: true } : {}),
    modificationMetadata: {
      archivable: !definition.hubspotDefined,
      readOnlyDefinition: definition.hubspotDefined,
      readOnlyValue: definition.readOnlyValue,
    },
    formField: definition.formField,
  };
}
