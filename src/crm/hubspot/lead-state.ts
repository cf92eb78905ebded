/**
 * A HubSpot lead or deal → the neutral LeadState (pure). A seller's decision is the record's stage
 * (spec crm.md §C6, §C7): the configured qualified stages (`qualified-stage-id`, `closedwon`) → qualified,
 * the disqualified ones (`unqualified-stage-id`, `closedlost`) → disqualified, any other stage → open.
 * Stage ids are lists because portals add pipelines and stages of their own (with numeric ids).
 */
import type { LeadPhase, LeadState } from '../../core/index.ts';
import { LAST_MODIFIED, type RecordKind } from './record-kind.ts';

export type StageRules = {
  qualifiedStages: readonly string[];
  disqualifiedStages: readonly string[];
};

/** What the connector reads of a lead or deal. */
export function stateProperties(kind: RecordKind, referralIdProperty: string): string[] {
  return [kind.stageProperty, kind.reasonProperty, LAST_MODIFIED, referralIdProperty];
}

export function phaseOfStage(stage: string | null | undefined, rules: StageRules): LeadPhase {
  if (stage && rules.qualifiedStages.includes(stage)) return 'qualified';
  if (stage && rules.disqualifiedStages.includes(stage)) return 'disqualified';
  return 'open';
}

export type HubSpotRecord = { id?: unknown; properties?: Record<string, unknown> };

export function toLeadState(record: HubSpotRecord, kind: RecordKind, rules: StageRules): LeadState {
  if (typeof record.id !== 'string' || record.id === '')
    throw new TypeError(`a HubSpot ${kind.label} needs its id`);
  const properties = record.properties ?? {};
  const stage = text(properties[kind.stageProperty]);
  const phase = phaseOfStage(stage, rules);
  const reason = text(properties[kind.reasonProperty]);
  const modified = Date.parse(text(properties[LAST_MODIFIED]) ?? '');
  return {
    leadId: record.id,
    phase,
    crmStatus: stage ?? '',
    ...(phase === 'disqualified' && reason ? { reason } : {}),
    ...(Number.isFinite(modified) ? { modifiedAt: new Date(modified).toISOString() } : {}),
  };
}

/** Whether a write's answer carries the stage, so the state needs no read of its own. */
export function hasStage(record: HubSpotRecord, kind: RecordKind): boolean {
  return text(record.properties?.[kind.stageProperty]) !== undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
