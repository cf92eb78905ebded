import { DEV_SALESFORCE } from '@referral-connector/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../../test/support/connector-world.ts';
import { loadConfig } from '../../config/load-config.ts';
import type { CrmAdapter } from '../crm-adapter.ts';
import { createSalesforceAdapterFromConfig } from './salesforce-from-config.ts';

let cw: ConnectorWorld;
let crm: CrmAdapter;
beforeAll(async () => {
  cw = await startConnectorWorld({
    seed: 'salesforce-extra-fields',
    salesforce: {
      customFields: [
        { name: 'Referral_Id__c', length: 100, externalId: true, unique: true, caseSensitive: true },
        { name: 'Referral_URL__c', length: 255 },
        { name: 'Deal_Size__c', type: 'currency' },
        { name: 'Segment__c', length: 20 },
      ],
    },
  });
  const config = loadConfig({
    env: {},
    ignoreDefaultFile: true,
    overrides: {
      'crm.kind': 'salesforce',
      'crm.salesforce.instanceUrl': cw.world.urls.salesforce,
      'crm.salesforce.clientId': DEV_SALESFORCE.clientId,
      'crm.salesforce.clientSecret': DEV_SALESFORCE.clientSecret,
    },
  });
  crm = createSalesforceAdapterFromConfig(config.crm.salesforce, {
    authorityHost: cw.world.urls.entra,
    partnerCenterApp: {},
    httpClient: (remote) => cw.http(remote),
    entraHttp: cw.http('entra'),
  });
});
afterAll(() => cw?.close());

describe('Salesforce setup checks of the mapping’s own fields', () => {
  it('pass a field of the right type, and name a missing one and one of the wrong type with the fix', async () => {
    const checks =
      (await crm.checkSetup?.({
        changeFeed: true,
        extraFields: [
          { name: 'Deal_Size__c', kind: 'number' },
          { name: 'AnnualRevenue', kind: 'number' },
          { name: 'Deal_Sizes__c', kind: 'number' },
          { name: 'Segment__c', kind: 'boolean' },
          { name: 'IsConverted', kind: 'boolean' },
        ],
      })) ?? [];
    const extra = checks.filter((check) => check.name.endsWith('(mapping.extra)'));

    expect(extra.map((check) => [check.name, check.status])).toEqual([
      ['Lead.Deal_Size__c (mapping.extra)', 'pass'],
      ['Lead.AnnualRevenue (mapping.extra)', 'pass'],
      ['Lead.Deal_Sizes__c (mapping.extra)', 'fail'],
      ['Lead.Segment__c (mapping.extra)', 'fail'],
      ['Lead.IsConverted (mapping.extra)', 'fail'],
    ]);
    expect(extra[2]?.fix).toContain('`mapping.extra.Deal_Sizes__c`');
    expect(extra[3]?.detail).toBe(
      'Segment__c is a string field, and mapping.extra.Segment__c gives it a boolean',
    );
    expect(extra[4]?.detail).toContain('not writable');
  });
});
