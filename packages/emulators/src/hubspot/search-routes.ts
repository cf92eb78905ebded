/**
 * `POST /crm/v3/objects/{type}/search` (spec C4) over the search index, which sees a write only once it
 * is indexed (the indexing-lag knob). Answers `{total, results, paging?}`; no rate-limit headers.
 */
import type { FastifyInstance } from 'fastify';
import { objectJson } from './object-json.ts';
import { resolveObjectType } from './object-types.ts';
import { type RouteContext, requireObjectBody, sendJson } from './route-context.ts';
import { objectScopes } from './scopes.ts';
import { parseSearch, runSearch } from './search.ts';

export const SEARCH_ROUTE = '/crm/v3/objects/:objectType/search';

export function registerSearchRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Params: { objectType: string } }>(
    SEARCH_ROUTE,
    { config: { scopes: objectScopes('read') } },
    async (request, reply) => {
      const type = resolveObjectType(request.params.objectType);
      const property = (name: string) => ctx.catalog.get(type.name, name);
      const search = parseSearch(requireObjectBody(request.body), type, property);
      const page = runSearch(ctx.store.searchable(type.name, ctx.now()), search, type);
      return sendJson(reply, 200, {
        total: page.total,
        results: page.results.map((object) =>
          objectJson(type, object, search.selection, (name) => property(name) !== undefined),
        ),
        ...(page.nextAfter ? { paging: { next: { after: page.nextAfter } } } : {}),
      });
    },
  );
}
