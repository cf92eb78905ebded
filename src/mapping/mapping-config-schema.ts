/**
 * The `mapping` keys of the configuration schema. Each section is checked entry by entry by the mapping's
 * own checks (every problem reported with its path, as the rest of the configuration is), and keeps the
 * plain configuration as its value: `compileMapping(config.mapping)` makes the functions from it.
 */
import { z } from 'zod';
import {
  checkExtraConfig,
  checkFieldsConfig,
  type ExtraFieldsConfig,
  type FieldMappingConfig,
} from './mapping-config.ts';
import type { MappingProblem } from './mapping-sources.ts';
import type { StatusMappingOverrides } from './status-mapping.ts';
import { checkStatusMappingConfig } from './status-mapping-config.ts';

/**
 * A section is a YAML mapping; from the environment (or `--set`) it is JSON. A section left with only
 * comments reads as null: empty.
 */
const section = <T>(
  check: (raw: Record<string, unknown>) => { value: T; problems: MappingProblem[] },
  empty: T,
  description: string,
) =>
  z
    .preprocess(
      (value) => (typeof value === 'string' ? parseJson(value) : (value ?? {})),
      z.record(z.string(), z.unknown()),
    )
    .transform((raw, context): T => {
      const { value, problems } = check(raw);
      for (const problem of problems)
        context.addIssue({ code: 'custom', message: problem.problem, path: problem.path });
      return value;
    })
    // A generic T is not Awaited<T> to the compiler; every T here is a plain object.
    .default(empty as never)
    .describe(description);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const mappingConfigSchema = z.strictObject({
  fields: section<FieldMappingConfig>(
    (raw) => checkFieldsConfig(raw),
    {},
    'lead fields and where each comes from ({ path }, { template } or { const }, with transforms); replaces the default entry of the same field; see docs/mapping.md',
  ),
  extra: section<ExtraFieldsConfig>(
    (raw) => checkExtraConfig(raw),
    {},
    'fields of your own CRM by their CRM name (new_dealsize, Deal_Size__c), in the same form; written after the connector’s own fields',
  ),
  status: section<StatusMappingOverrides>(
    checkStatusMappingConfig,
    {},
    'lead → referral status write-back over the default table: table (lead phase rows), crmStatus (rows by the CRM’s own status), reasons, writeStatusReason, replaceExternalReferenceId; Partner Center’s legal moves are enforced whatever it says',
  ),
});

export type MappingConfigSection = z.output<typeof mappingConfigSchema>;
