/**
 * The portal's lead and deal pipelines (spec C6, C7, C9): the default lead pipeline `lead-pipeline-id`
 * with stages `new-stage-id` … `unqualified-stage-id`, and the default deal pipeline `default` with
 * `appointmentscheduled` … `closedwon`, `closedlost`. Stage metadata values are strings, as the API
 * returns them. Portals rename labels and add pipelines; `HubSpotOptions.pipelines` replaces these.
 */
import type { ObjectName } from './object-types.ts';

export type PipelineStageInput = { id: string; label: string; metadata?: Record<string, string> };
export type PipelineInput = { id: string; label: string; stages: readonly PipelineStageInput[] };
export type PipelineObject = 'leads' | 'deals';

/** The properties that hold a record's pipeline and stage. */
export const PIPELINE_PROPERTIES: Record<PipelineObject, { pipeline: string; stage: string }> = {
  leads: { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage' },
  deals: { pipeline: 'pipeline', stage: 'dealstage' },
};

const dealStage = (id: string, label: string, probability: string, isClosed = false) => ({
  id,
  label,
  metadata: { isClosed: String(isClosed), probability },
});

export const DEFAULT_PIPELINES: Record<PipelineObject, readonly PipelineInput[]> = {
  leads: [
    {
      id: 'lead-pipeline-id',
      label: 'Lead pipeline',
      // Lead-stage metadata is not documented [U]: `isClosed` only, true for the two end stages.
      stages: [
        { id: 'new-stage-id', label: 'New', metadata: { isClosed: 'false' } },
        { id: 'attempting-stage-id', label: 'Attempting', metadata: { isClosed: 'false' } },
        { id: 'connected-stage-id', label: 'Connected', metadata: { isClosed: 'false' } },
        { id: 'qualified-stage-id', label: 'Qualified', metadata: { isClosed: 'true' } },
        { id: 'unqualified-stage-id', label: 'Disqualified', metadata: { isClosed: 'true' } },
      ],
    },
  ],
  deals: [
    {
      id: 'default',
      label: 'Sales Pipeline',
      stages: [
        dealStage('appointmentscheduled', 'Appointment Scheduled', '0.2'),
        dealStage('qualifiedtobuy', 'Qualified To Buy', '0.4'),
        dealStage('presentationscheduled', 'Presentation Scheduled', '0.6'),
        dealStage('decisionmakerboughtin', 'Decision Maker Bought-In', '0.8'),
        dealStage('contractsent', 'Contract Sent', '0.9'),
        dealStage('closedwon', 'Closed Won', '1.0', true),
        dealStage('closedlost', 'Closed Lost', '0.0', true),
      ],
    },
  ],
};

/** Pipelines HubSpot creates with the portal: their stages carry `createdAt` epoch 0 (spec C9). */
const BUILT_IN_PIPELINE_IDS = new Set(['lead-pipeline-id', 'default']);

export type Pipelines = {
  supports(type: ObjectName): type is PipelineObject;
  list(type: PipelineObject): readonly PipelineInput[];
  get(type: PipelineObject, id: string): PipelineInput | undefined;
  /** The first pipeline: where records go when a write names none. */
  defaultPipeline(type: PipelineObject): PipelineInput;
  /** A pipeline or stage as the pipelines API returns it. */
  render(pipeline: PipelineInput): Record<string, unknown>;
  renderStage(pipeline: PipelineInput, stageId: string): Record<string, unknown> | undefined;
};

export function createPipelines(options: {
  createdAtMs: number;
  pipelines?: Partial<Record<PipelineObject, readonly PipelineInput[]>>;
}): Pipelines {
  const byType: Record<PipelineObject, readonly PipelineInput[]> = {
    leads: readPipelines('leads', options.pipelines?.leads ?? DEFAULT_PIPELINES.leads),
    deals: readPipelines('deals', options.pipelines?.deals ?? DEFAULT_PIPELINES.deals),
  };
  const createdAt = (pipeline: PipelineInput) =>
    new Date(BUILT_IN_PIPELINE_IDS.has(pipeline.id) ? 0 : options.createdAtMs).toISOString();
  const stageJson = (pipeline: PipelineInput, stage: PipelineStageInput, index: number) => ({
    label: stage.label,
    displayOrder: index,
    metadata: { ...stage.metadata },
    id: stage.id,
    createdAt: createdAt(pipeline),
    updatedAt: createdAt(pipeline),
    archived: false,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  });

  return {
    supports: (type): type is PipelineObject => type === 'leads' || type === 'deals',
    list: (type) => byType[type],
    get: (type, id) => byType[type].find((pipeline) => pipeline.id === id),
    defaultPipeline: (type) => byType[type][0] as PipelineInput,
    render: (pipeline) => ({
      label: pipeline.label,
      displayOrder: byType.leads.includes(pipeline)
        ? byType.leads.indexOf(pipeline)
        : byType.deals.indexOf(pipeline),
      id: pipeline.id,
      stages: pipeline.stages.map((stage, index) => stageJson(pipeline, stage, index)),
      createdAt: createdAt(pipeline),
      updatedAt: createdAt(pipeline),
      archived: false,
    }),
    renderStage(pipeline, stageId) {
      const index = pipeline.stages.findIndex((stage) => stage.id === stageId);
      const stage = pipeline.stages[index];
      return stage ? stageJson(pipeline, stage, index) : undefined;
    },
  };
}

function readPipelines(type: PipelineObject, pipelines: readonly PipelineInput[]): readonly PipelineInput[] {
  if (pipelines.length === 0) throw new TypeError(`hubspot pipelines.${type} needs at least one pipeline`);
  const ids = new Set<string>();
  for (const pipeline of pipelines) {
    if (!pipeline.id || ids.has(pipeline.id))
      throw new TypeError(`hubspot pipelines.${type}: pipeline ids must be unique and non-empty`);
    ids.add(pipeline.id);
    if (pipeline.stages.length === 0)
      throw new TypeError(`hubspot pipelines.${type}: pipeline "${pipeline.id}" has no stages`);
  }
  return pipelines.map((pipeline) => ({
    ...pipeline,
    stages: pipeline.stages.map((stage) => ({ ...stage, metadata: { ...stage.metadata } })),
  }));
}
