/**
 * The CRM `crm.kind` names, checked by its adapter's own setup checks (`CrmAdapter.checkSetup`): each
 * adapter knows what its CRM needs (an alternate key, an External ID field, a unique property).
 */
import type { Config } from '../config/config-schema.ts';
import { failed, type SetupCheck, skipped } from '../core/setup-check.ts';
import { type CrmContext, createCrmAdapter } from '../crm/create-crm-adapter.ts';
import { compileMapping } from '../mapping/compile-mapping.ts';
import { describeFailure } from '../net/explain-error.ts';

export async function checkCrm(config: Config, context: CrmContext): Promise<SetupCheck[]> {
  let adapter: ReturnType<typeof createCrmAdapter>;
  try {
    adapter = createCrmAdapter(config.crm, context);
  } catch (error) {
    const { problem, fix } = describeFailure(error);
    return [
      failed(
        `${config.crm.kind} configuration`,
        problem,
        fix ?? `complete the \`crm.${config.crm.kind}\` keys`,
      ),
    ];
  }
  try {
    if (!adapter.checkSetup) {
      return [skipped(`${config.crm.kind} setup`, `the ${config.crm.kind} adapter has no setup checks yet`)];
    }
    return await adapter.checkSetup({
      changeFeed: config.sync.crmPollSeconds > 0,
      // Checked against the CRM's own metadata: the configuration alone cannot know its fields.
      extraFields: compileMapping(config.mapping).extraFields,
    });
  } finally {
    await adapter.close();
  }
}
