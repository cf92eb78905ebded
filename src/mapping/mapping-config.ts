/**
 * The `mapping` configuration: sources for the CRM-neutral lead fields (`fields`), for CRM fields of the
 * partner's own (`extra`, written verbatim by the adapter), and the status table (`status`). The default
 * mapping (./default-mapping.ts) is written in the same form; a configuration's entries replace the
 * default's entry of the same field. Checks here report every problem with its path.
 */
import { closestKey } from '../config/closest-key.ts';
import { DRAFT_FIELD_NAMES, DRAFT_FIELDS, type DraftFieldName, FIXED_DRAFT_FIELDS } from './draft-fields.ts';
import {
  type CompiledSource,
  type MappingProblem,
  parseSource,
  type SourceConfig,
  type TargetType,
} from './mapping-sources.ts';
import type { MappingScalar } from './referral-paths.ts';
import type { StatusMappingOverrides } from './status-mapping.ts';

export type FieldMappingConfig = { [F in DraftFieldName]?: SourceConfig };
export type ExtraFieldsConfig = Readonly<Record<string, SourceConfig>>;

export type MappingConfig = {
  fields: FieldMappingConfig;
  extra: ExtraFieldsConfig;
  status: StatusMappingOverrides;
};

/** CRM field names as Dataverse, Salesforce and HubSpot spell them (`new_dealsize`, `Deal_Size__c`). */
const CRM_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkFieldsConfig(raw: Record<string, unknown>): {
  value: FieldMappingConfig;
  sources: Map<DraftFieldName, CompiledSource>;
  problems: MappingProblem[];
} {
  const problems: MappingProblem[] = [];
  const sources = new Map<DraftFieldName, CompiledSource>();
  for (const [name, entry] of Object.entries(raw)) {
    if (!(DRAFT_FIELD_NAMES as readonly string[]).includes(name)) {
      problems.push({ path: [name], problem: notADraftField(name) });
      continue;
    }
    const field = name as DraftFieldName;
    const parsed = parseSource(entry, draftTarget(field));
    if ('problems' in parsed) problems.push(...within(name, parsed.problems));
    else sources.set(field, parsed.source);
  }
  return { value: raw as FieldMappingConfig, sources, problems };
}

export function checkExtraConfig(raw: Record<string, unknown>): {
  value: ExtraFieldsConfig;
  sources: Map<string, CompiledSource>;
  problems: MappingProblem[];
} {
  const problems: MappingProblem[] = [];
  const sources = new Map<string, CompiledSource>();
  for (const [name, entry] of Object.entries(raw)) {
    if (!CRM_FIELD_NAME.test(name)) {
      problems.push({
        path: [name],
        problem: 'is not a CRM field name (letters, digits and _, e.g. new_dealsize or Deal_Size__c)',
      });
      continue;
    }
    const parsed = parseSource(entry, { type: 'any', nullable: true });
    if ('problems' in parsed) problems.push(...within(name, parsed.problems));
    else sources.set(name, parsed.source);
  }
  return { value: raw as ExtraFieldsConfig, sources, problems };
}

function within(name: string, problems: readonly MappingProblem[]): MappingProblem[] {
  return problems.map((problem) => ({ ...problem, path: [name, ...problem.path] }));
}

function notADraftField(name: string): string {
  const fixed = FIXED_DRAFT_FIELDS[name];
  if (fixed) return `cannot be mapped: it ${fixed}`;
  const meant = closestKey(name, DRAFT_FIELD_NAMES);
  return (
    `is not a lead field${meant ? ` (did you mean ${meant}?)` : ''}; ` +
    'a field of your CRM goes under mapping.extra, e.g. mapping.extra.new_dealsize'
  );
}

/** What a constant for a neutral field must be: its type, and a value its own rules keep. */
function draftTarget(field: DraftFieldName): TargetType {
  const spec = DRAFT_FIELDS[field];
  return {
    type: spec.type,
    nullable: field !== 'topic',
    refuse(value: MappingScalar) {
      let refused: string | undefined;
      spec.settle(value, {
        // Only the topic's empty case reads the referral, and a constant topic is never empty.
        referral: { id: '' } as never,
        descriptionMaxLength: Number.POSITIVE_INFINITY,
        warn: (_code, detail) => {
          refused ??= detail;
        },
      });
      return refused;
    },
  };
}
