/**
 * Pipelines API (spec C9), read-only: `GET /crm/v3/pipelines/{object}`, `…/{pipelineId}`,
 * `…/{pipelineId}/stages`, `…/{pipelineId}/stages/{stageId}`; an unknown id is 404.
 */
import type { FastifyInstance } from 'fastify';
import { objectNotFound, validationError } from './hubspot-error.ts';
import { resolveObjectType } from './object-types.ts';
import type { PipelineInput, PipelineObject } from './pipelines.ts';
import { type RouteContext, sendJson } from './route-context.ts';
import { objectScopes } from './scopes.ts';

type Params = { objectType: string; pipelineId: string; stageId: string };
const BASE = '/crm/v3/pipelines/:objectType';

export function registerPipelineRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const read = { config: { scopes: objectScopes('read') } };
  const objectOf = (segment: string): PipelineObject => {
    const type = resolveObjectType(segment);
    if (!ctx.pipelines.supports(type.name))
      throw validationError(`Object type ${type.id} does not support pipelines`);
    return type.name;
  };
  const pipelineOf = (params: Params): PipelineInput => {
    const pipeline = ctx.pipelines.get(objectOf(params.objectType), params.pipelineId);
    if (!pipeline)
      throw objectNotFound(`Unable to find pipeline ${params.pipelineId}`, {
        pipelineId: [params.pipelineId],
      });
    return pipeline;
  };

  app.get<{ Params: Params }>(BASE, read, async (request, reply) =>
    sendJson(reply, 200, {
      results: ctx.pipelines.list(objectOf(request.params.objectType)).map(ctx.pipelines.render),
    }),
  );

  app.get<{ Params: Params }>(`${BASE}/:pipelineId`, read, async (request, reply) =>
    sendJson(reply, 200, ctx.pipelines.render(pipelineOf(request.params))),
  );

  app.get<{ Params: Params }>(`${BASE}/:pipelineId/stages`, read, async (request, reply) => {
    const pipeline = pipelineOf(request.params);
    return sendJson(reply, 200, {
      results: pipeline.stages.map((stage) => ctx.pipelines.renderStage(pipeline, stage.id)),
    });
  });

  app.get<{ Params: Params }>(`${BASE}/:pipelineId/stages/:stageId`, read, async (request, reply) => {
    const pipeline = pipelineOf(request.params);
    const stage = ctx.pipelines.renderStage(pipeline, request.params.stageId);
    if (!stage)
      throw objectNotFound(`Unable to find stage ${request.params.stageId} in pipeline ${pipeline.id}`, {
        stageId: [request.params.stageId],
      });
    return sendJson(reply, 200, stage);
  });
}
