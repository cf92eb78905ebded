import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.ts';
import { loadConfig } from '../config/load-config.ts';
import { compileMapping } from './compile-mapping.ts';
import { referralUrl, sampleReferral } from './test-support.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rc-mapping-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function load(yaml: string, env: NodeJS.ProcessEnv = {}) {
  const file = join(dir, 'referral-connector.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ file, env });
}

describe('the mapping section of the configuration', () => {
  it('is empty by default, and the default mapping applies', () => {
    const config = loadConfig({ env: {}, ignoreDefaultFile: true });
    expect(config.mapping).toEqual({ fields: {}, extra: {}, status: {} });
  });

  it('reads fields, extra fields and status rows from YAML into a mapping that runs', () => {
    const config = load(`
mapping:
  fields:
    topic:
      template: "{name} ({customerProfile.address.country})"
    contact.email: { path: "customerProfile.team[0].email", transforms: [lower] }
  extra:
    new_dealsize: { path: details.dealValue }
  status:
    crmStatus:
      7: { Active/Accepted: Closed/Declined }
`);
    const mapping = compileMapping(config.mapping);
    const { draft } = mapping.toLead(sampleReferral(), { referralUrl });

    expect(draft.topic).toBe('Northwind Traders - Azure migration (US)');
    expect(draft.extra).toEqual({ new_dealsize: 250000 });
    expect(mapping.status.crmStatus).toEqual({ '7': { 'Active/Accepted': 'Closed/Declined' } });
  });

  it('refuses a configuration with one error naming every bad mapping entry beside other bad keys', () => {
    const failure = (() => {
      try {
        load(`
server:
  port: many
mapping:
  fields:
    topic: { template: "{name} ({customerProfile.adress.country})" }
    estimatedAmount: { const: "a lot" }
  extra:
    new_dealsize: { path: details.dealValue, transforms: [uper] }
  status:
    table:
      open: { Active/Accepted: New/Pending }
`);
      } catch (error) {
        return error;
      }
    })();

    expect(failure).toBeInstanceOf(ConfigError);
    const message = (failure as ConfigError).message;
    expect(message).toContain(
      '- mapping.fields.topic.template: unknown referral path {customerProfile.adress.country} (did you mean customerProfile.address.country?)',
    );
    expect(message).toContain(
      '- mapping.fields.estimatedAmount.const: must be a number for this field, not "a lot"',
    );
    expect(message).toContain(
      '- mapping.extra.new_dealsize.transforms.0: unknown transform "uper" (did you mean upper?)',
    );
    expect(message).toContain(
      '- mapping.status.table.open.Active/Accepted: Active/Accepted → New/Pending: Partner Center does not allow',
    );
    expect(message).toContain('- server.port:');
  });

  it('takes a section as JSON from the environment', () => {
    const config = load('', { MAPPING_EXTRA: '{"Deal_Size__c":{"path":"details.dealValue"}}' });
    expect(config.mapping.extra).toEqual({ Deal_Size__c: { path: 'details.dealValue' } });
  });

  it('treats a section left with only comments as empty', () => {
    expect(load('mapping:\n  fields:\n  # nothing yet\n').mapping.fields).toEqual({});
  });
});
