/**
 * Control API of the emulated portal, mounted at `/control/hubspot`: what tests, benchmarks and `demo`
 * do "in the HubSpot UI" (seed records, a seller edits or moves a lead or deal to a stage, HubSpot
 * recalculates something) and the knobs (rate limits, search indexing lag, tokens with fewer scopes).
 * Not part of the real API; needs no token.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { IssueTokenOptions } from './access-tokens.ts';
import type { HubSpotRecord, HubSpotState, RecordAssociation } from './hubspot-emulator.ts';
import { HubSpotError } from './hubspot-error.ts';
import type { PropertyInput } from './property-catalog.ts';
import type { HubSpotRateLimits } from './rate-limits.ts';

type ObjectParams = { Params: { objectType: string; id: string } };
type Properties = { properties?: Record<string, unknown> };

export function createHubSpotControl(options: { state: HubSpotState }): FastifyPluginAsync {
  const { state } = options;
  return async (app) => {
    app.setErrorHandler((error: unknown, _request, reply) => {
      if (error instanceof HubSpotError) return reply.code(error.status).send(error.body('control'));
      const message = error instanceof Error ? error.message : String(error);
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      return reply.code(status).send({ status: 'error', message, category: 'VALIDATION_ERROR' });
    });
    const found = (record: HubSpotRecord | undefined, objectType: string, id: string): HubSpotRecord => {
      if (!record)
        throw new HubSpotError(404, `${objectType} ${id} does not exist`, { category: 'OBJECT_NOT_FOUND' });
      return record;
    };

    app.get<{ Params: { objectType: string }; Querystring: { archived?: string } }>(
      '/objects/:objectType',
      async (request) => ({
        results: state.objects(request.params.objectType, { archived: request.query.archived === 'true' }),
      }),
    );

    app.post<{ Params: { objectType: string }; Body: Properties & { associations?: RecordAssociation[] } }>(
      '/objects/:objectType',
      async (request, reply) => {
        const body = request.body ?? {};
        const created = state.create(request.params.objectType, {
          properties: body.properties ?? {},
          ...(body.associations ? { associations: body.associations } : {}),
        });
        return reply.code(201).send(created);
      },
    );

    app.get<ObjectParams>('/objects/:objectType/:id', async (request) =>
      found(
        state.object(request.params.objectType, request.params.id),
        request.params.objectType,
        request.params.id,
      ),
    );

    app.patch<ObjectParams & { Body: Properties }>('/objects/:objectType/:id', async (request) =>
      state.sellerUpdate(request.params.objectType, request.params.id, request.body?.properties ?? {}),
    );

    app.post<ObjectParams & { Body: { stageId?: string; pipelineId?: string } }>(
      '/objects/:objectType/:id/stage',
      async (request) => {
        const { stageId, pipelineId } = request.body ?? {};
        if (typeof stageId !== 'string') throw new TypeError('stageId is required');
        return state.moveToStage(request.params.objectType, request.params.id, stageId, pipelineId);
      },
    );

    app.post<ObjectParams>('/objects/:objectType/:id/touch', async (request) =>
      state.touch(request.params.objectType, request.params.id),
    );

    app.delete<ObjectParams>('/objects/:objectType/:id', async (request, reply) => {
      if (!state.archive(request.params.objectType, request.params.id))
        found(undefined, request.params.objectType, request.params.id);
      return reply.code(204).send();
    });

    app.get<{ Params: { objectType: string; id: string; toObjectType: string } }>(
      '/objects/:objectType/:id/associations/:toObjectType',
      async (request) => ({
        results: state.associations(
          request.params.objectType,
          request.params.id,
          request.params.toObjectType,
        ),
      }),
    );

    app.post<{ Params: { objectType: string }; Body: PropertyInput }>(
      '/properties/:objectType',
      async (request, reply) =>
        reply.code(201).send(state.createProperty(request.params.objectType, request.body)),
    );

    app.get('/limits', async () => state.limits());
    app.put<{ Body: Partial<HubSpotRateLimits> }>('/limits', async (request) =>
      state.setLimits(request.body ?? {}),
    );
    app.get('/usage', async () => ({ dailyUsed: state.dailyUsed(), throttled: state.throttled() }));
    app.post('/usage/reset', async (_request, reply) => {
      state.resetUsage();
      return reply.code(204).send();
    });

    app.get('/search-lag', async () => ({ lagMs: state.searchLagMs() }));
    app.put<{ Body: { lagMs?: number } }>('/search-lag', async (request) => ({
      lagMs: state.setSearchLagMs(request.body?.lagMs as number),
    }));

    app.post<{ Body: IssueTokenOptions }>('/tokens', async (request, reply) => {
      const grant = state.issueToken(request.body ?? {});
      return reply.code(201).send({
        accessToken: grant.token,
        kind: grant.kind,
        scopes: grant.scopes,
        ...(grant.expiresAt !== undefined ? { expiresAt: new Date(grant.expiresAt).toISOString() } : {}),
      });
    });
    app.delete<{ Params: { token: string } }>('/tokens/:token', async (request, reply) => {
      if (!state.revokeToken(request.params.token))
        throw new HubSpotError(404, 'no such token', { category: 'OBJECT_NOT_FOUND' });
      return reply.code(204).send();
    });
  };
}
