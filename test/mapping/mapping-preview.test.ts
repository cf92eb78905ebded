/**
 * The configured mapping end to end, on each emulated CRM: a `mapping` that sends `details.dealValue` to a
 * custom lead field and a template to the topic; `referral-connector mapping preview` (the real CLI, in
 * its own process) shows both and writes nothing — the CRM's request log holds only reads — and the sync
 * workers serve runs then write them. `--file` previews a saved referral with no remote at all.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  connectorConfig,
  DEV_CREDENTIALS,
  type EmulatedCrm,
  type EmulatorWorld,
  startEmulators,
} from '@referral-connector/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { toReferralKey } from '../../src/core/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { SPEC_EXAMPLE_REFERRAL } from '../../src/partner-center/spec-example-referral.ts';
import type { MappingPreview } from '../../src/sync/preview-referral-sync.ts';
import type { SettledJob } from '../../src/sync/sync-workers.ts';
import { startSyncWorkers } from '../../src/wiring/start-sync-workers.ts';
import { openSyncParts } from '../../src/wiring/sync-parts.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/referral-connector.js', import.meta.url));

const TOPIC_TEMPLATE = '{name} ({customerProfile.address.country})';
/** The CRM's own deal-size field, and how the emulated org gets it. */
const DEAL_SIZE = {
  dynamics: { field: 'new_dealsize', read: (world: EmulatorWorld, key: string) => dataverseLead(world, key) },
  salesforce: {
    field: 'Deal_Size__c',
    read: (world: EmulatorWorld, key: string) => salesforceLead(world, key),
  },
} as const;

function dataverseLead(world: EmulatorWorld, key: string): Record<string, unknown> | undefined {
  return world.dataverse.leads().find((lead) => lead.new_referralid === key);
}
function salesforceLead(world: EmulatorWorld, key: string): Record<string, unknown> | undefined {
  return world.salesforce.leads().find((lead) => lead.Referral_Id__c === key);
}

describe.each(['dynamics', 'salesforce'] as const)(
  'a configured mapping on %s',
  (crm: EmulatedCrm & keyof typeof DEAL_SIZE) => {
    const { field } = DEAL_SIZE[crm];
    let world: EmulatorWorld;
    let dir: string;
    let settings: Record<string, unknown>;

    beforeAll(async () => {
      world = await startEmulators({
        seed: `mapping-preview-${crm}`,
        entra: { deviceCodeAutoApprove: DEV_CREDENTIALS.username, deviceCodeIntervalSeconds: 0.05 },
        // The organization's own deal-size field, beside the referral id and link the connector needs.
        dataverse: {
          customColumns: [
            { name: 'new_referralid', maxLength: 100 },
            { name: 'new_referralurl', maxLength: 500 },
            { name: 'new_dealsize', type: 'money' },
          ],
        },
        salesforce: {
          customFields: [
            { name: 'Referral_Id__c', length: 100, externalId: true, unique: true, caseSensitive: true },
            { name: 'Referral_URL__c', length: 255 },
            { name: 'Deal_Size__c', type: 'currency', precision: 16, scale: 2 },
          ],
        },
      });
      dir = mkdtempSync(join(tmpdir(), `rc-mapping-${crm}-`));
      writeFileSync(join(dir, 'tls-ca.pem'), world.tlsCaPem ?? '');
      writeFileSync(join(dir, 'signing-root.pem'), world.signingRootPem);
      settings = {
        ...connectorConfig(world, {
          dataDir: join(dir, 'data'),
          tlsCaFile: join(dir, 'tls-ca.pem'),
          signingRootsFile: join(dir, 'signing-root.pem'),
          crm,
        }),
        'mapping.fields': JSON.stringify({ topic: { template: TOPIC_TEMPLATE } }),
        'mapping.extra': JSON.stringify({ [field]: { path: 'details.dealValue' } }),
      };
      await cli('auth', 'login');
    });

    afterAll(async () => {
      await world?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    function cli(...args: string[]) {
      const flags = Object.entries(settings).flatMap(([key, value]) => [
        '--set',
        `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`,
      ]);
      return run(process.execPath, [CLI, ...args, ...flags]);
    }

    /** Requests to the CRM since `seq` that are not reads; the OAuth token request is a sign-in, not a write. */
    const crmWritesSince = (seq: number) =>
      world.traffic
        .requests({ service: crm === 'dynamics' ? 'dataverse' : 'salesforce', sinceSeq: seq })
        .filter((request) => request.method !== 'GET' && !request.endpoint.includes('/oauth2/token'))
        .map((request) => `${request.method} ${request.path}`);

    const lastSeq = () => world.traffic.requests().at(-1)?.seq ?? 0;

    function newReferral() {
      return world.referrals.create(
        {
          name: 'Northwind Traders - Azure migration',
          customerProfile: { ...SPEC_EXAMPLE_REFERRAL.customerProfile },
          details: { ...SPEC_EXAMPLE_REFERRAL.details, dealValue: 250000, currency: 'USD' },
        },
        { as: 'microsoft' },
      );
    }

    it('previews the templated topic and the deal size in the custom field, and writes nothing', async () => {
      const referral = newReferral();
      const since = lastSeq();

      const { stdout } = await cli('mapping', 'preview', '--referral', referral.id);

      expect(stdout).toMatch(/topic\s+"Northwind Traders - Azure migration \(US\)"/);
      expect(stdout).toMatch(new RegExp(`extra\\.${field}\\s+250000`));
      expect(stdout).toMatch(new RegExp(`\\+ ${field}\\s+250000`));
      expect(stdout).toContain('no lead yet: the sync would create one');
      expect(stdout).toContain('/externalReferenceId');
      expect(stdout).toContain('Nothing was written.');
      expect(crmWritesSince(since)).toEqual([]);
      expect(DEAL_SIZE[crm].read(world, toReferralKey(referral.id))).toBeUndefined();
      expect(world.referrals.get(referral.id)?.eTag).toBe(referral.eTag);
    });

    it('is written by a sync as previewed, and previewed again shows the lead as it now is', async () => {
      const referral = newReferral();
      const key = toReferralKey(referral.id);
      const config = loadConfig({ env: {}, ignoreDefaultFile: true, overrides: settings });
      const parts = await openSyncParts(config, { logger: createLogger({ level: 'silent' }) });
      try {
        // The workers serve and backfill run, as they build the mapping from the configuration.
        let settle: (event: SettledJob) => void = () => {};
        const settled = new Promise<SettledJob>((resolve) => {
          settle = resolve;
        });
        const workers = await startSyncWorkers(
          config,
          { backend: parts.backend, referrals: parts.referrals, crm: parts.crm() },
          { logger: createLogger({ level: 'silent' }), kind: 'serve', onSettled: (event) => settle(event) },
        );
        try {
          await parts.backend.queue.enqueue(key, { reason: 'webhook' });
          expect(await settled).toMatchObject({ outcome: 'synced' });
        } finally {
          await workers.stop(5_000);
        }
      } finally {
        await parts.close();
      }
      const lead = DEAL_SIZE[crm].read(world, key);
      expect(lead?.[field]).toBe(250000);
      if (crm === 'dynamics') expect(lead?.subject).toBe('Northwind Traders - Azure migration (US)');

      world.referrals.update(referral.id, { details: { dealValue: 300000 } });
      const since = lastSeq();
      const { stdout } = await cli('mapping', 'preview', '--referral', referral.id, '--json');
      const preview = JSON.parse(stdout) as MappingPreview;

      expect(preview.lead).toContainEqual({ field: `extra.${field}`, value: 300000 });
      expect(preview.crm?.lead?.id).toBe(world.referrals.get(referral.id)?.externalReferenceId);
      expect(preview.crm?.fields.find((row) => row.field === field)).toEqual({
        field,
        value: 300000,
        current: 250000,
        changed: true,
      });
      // The deal value is in the standard amount and the description's deal summary too.
      expect(
        preview.crm?.fields
          .filter((row) => row.changed)
          .map((row) => row.field)
          .sort(),
      ).toEqual(
        crm === 'dynamics' ? ['description', 'estimatedamount', field] : ['Deal_Size__c', 'Description'],
      );
      expect(preview.crm?.writesLead).toBe(true);
      expect(preview.writeBack).toEqual({ enabled: true, operations: [] });
      expect(crmWritesSince(since)).toEqual([]);
      expect(DEAL_SIZE[crm].read(world, key)?.[field]).toBe(250000);
    });
  },
);

describe('mapping preview --file', () => {
  it('maps a saved referral offline: no configuration of any remote, no network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-mapping-file-'));
    try {
      const file = join(dir, 'referral.json');
      writeFileSync(file, JSON.stringify(SPEC_EXAMPLE_REFERRAL));
      const { stdout } = await run(process.execPath, [
        CLI,
        'mapping',
        'preview',
        '--file',
        file,
        '--json',
        '--set',
        `mapping.fields=${JSON.stringify({ topic: { template: TOPIC_TEMPLATE } })}`,
        '--set',
        `mapping.extra=${JSON.stringify({ new_dealsize: { path: 'details.dealValue' } })}`,
        // Unroutable: any attempt to reach a remote would fail the command.
        '--set',
        'partnerCenter.referralsUrl=https://192.0.2.1/v1.0/engagements/referrals',
        '--set',
        `dataDir=${join(dir, 'never-created')}`,
      ]);
      const preview = JSON.parse(stdout) as MappingPreview;

      expect(preview.lead).toContainEqual({
        field: 'topic',
        value: 'Northwind Traders - Azure migration (US)',
      });
      expect(preview.lead).toContainEqual({ field: 'extra.new_dealsize', value: 250000 });
      expect(preview.lead).toContainEqual({ field: 'address.country', value: 'US' });
      expect(preview.crm).toBeUndefined();
      expect(preview.warnings).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every bad mapping entry before reading anything', async () => {
    const failure = await run(process.execPath, [
      CLI,
      'mapping',
      'preview',
      '--file',
      '/nonexistent/referral.json',
      '--set',
      `mapping.fields=${JSON.stringify({ topic: { template: '{name} ({customerProfile.adress.country})' }, estimatedAmount: { const: 'lots' } })}`,
    ]).catch((error: { code: number; stderr: string }) => error);

    expect(failure).toMatchObject({ code: 2 });
    const { stderr } = failure as { stderr: string };
    expect(stderr).toContain(
      'mapping.fields.topic.template: unknown referral path {customerProfile.adress.country}',
    );
    expect(stderr).toContain('mapping.fields.estimatedAmount.const: must be a number for this field');
  });
});
