import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../config/config-schema.ts';
import { toReferralKey } from '../core/index.ts';
import { compileMapping, type LeadMapping } from '../mapping/compile-mapping.ts';
import { createLogger } from '../observability/logger.ts';
import { parseReferral, type Referral } from '../partner-center/referral-schema.ts';
import { referralUrlOf } from '../partner-center/referrals-client.ts';
import { type MappingPreview, previewMapping, previewReferralSync } from '../sync/preview-referral-sync.ts';
import { openSyncParts } from '../wiring/sync-parts.ts';
import { type ConfigFlags, configFromFlags, withConfigFlags } from './cli-config.ts';
import { renderMappingPreview } from './render-mapping-preview.ts';

type PreviewFlags = ConfigFlags & { referral?: string; file?: string; json?: boolean };

/**
 * `mapping preview`: what a sync would write for one referral under the configured mapping, and how it
 * differs from the lead as it is; reads only (the refreshed sign-in is not even saved back).
 */
export function registerMappingCommand(program: Command): void {
  const mapping = program
    .command('mapping')
    .description('the referral → lead mapping (docs/mapping.md): see what a sync would write');
  withConfigFlags(
    mapping
      .command('preview')
      .description(
        'show the lead fields a sync would write for a referral, how they differ from its lead, and the warnings; writes nothing',
      ),
  )
    .option('--referral <id>', 'read this referral from Partner Center and its lead from the CRM')
    .option(
      '--file <referral.json>',
      'map a referral saved as JSON instead, offline: no Partner Center, no CRM',
    )
    .option('--json', 'print the preview as JSON, for scripts')
    .action(async (flags: PreviewFlags) => {
      if (Boolean(flags.referral) === Boolean(flags.file))
        throw new TypeError('mapping preview needs --referral <id> or --file <referral.json> (one of them)');
      const config = configFromFlags(flags);
      const leadMapping = compileMapping(config.mapping);
      const preview = flags.file
        ? previewMapping(
            readReferralFile(flags.file),
            leadMapping,
            referralUrlOf(config.partnerCenter.referralsUrl),
          )
        : await previewOnline(config, leadMapping, flags.referral as string);
      process.stdout.write(
        flags.json ? `${JSON.stringify(preview, null, 2)}\n` : renderMappingPreview(preview),
      );
    });
}

async function previewOnline(
  config: Config,
  mapping: LeadMapping,
  referralId: string,
): Promise<MappingPreview> {
  const logger = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level });
  const parts = await openSyncParts(config, { logger, readOnly: true });
  try {
    const referral = await parts.referrals.get(referralId);
    const link = await parts.backend.store.getLink(toReferralKey(referral.id));
    return await previewReferralSync(referral, {
      mapping,
      referralUrl: parts.referrals.urlOf,
      crm: parts.crm(),
      writeBack: config.sync.writeBack,
      lastLeadHash: link?.lastLeadHash ?? null,
    });
  } finally {
    await parts.close();
  }
}

/** A referral as GET /referrals/{id} returns it, saved to a file. */
function readReferralFile(file: string): Referral {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TypeError(`--file ${file} cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`--file ${file} is not JSON: ${(error as Error).message}`);
  }
  return parseReferral(json);
}
