import { DEV_SALESFORCE, type EmulatorWorldOptions } from '@referral-connector/emulators';
import { describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld } from '../../../test/support/connector-world.ts';
import { loadConfig } from '../../config/load-config.ts';
import type { SetupCheck } from '../../core/setup-check.ts';
import { createSalesforceAdapterFromConfig } from './salesforce-from-config.ts';

/** The setup checks of an adapter configured as `overrides` say, against an org made with `options`. */
async function checksOf(
  options: EmulatorWorldOptions['salesforce'] = {},
  overrides: Record<string, unknown> = {},
): Promise<SetupCheck[]> {
  const cw: ConnectorWorld = await startConnectorWorld({ seed: 'salesforce-setup', salesforce: options });
  try {
    const config = loadConfig({
      env: {},
      ignoreDefaultFile: true,
      overrides: {
        'crm.kind': 'salesforce',
        'crm.salesforce.instanceUrl': cw.world.urls.salesforce,
        'crm.salesforce.clientId': DEV_SALESFORCE.clientId,
        'crm.salesforce.clientSecret': DEV_SALESFORCE.clientSecret,
        ...overrides,
      },
    });
    const crm = createSalesforceAdapterFromConfig(config.crm.salesforce, {
      authorityHost: cw.world.urls.entra,
      partnerCenterApp: {},
      httpClient: (remote) => cw.http(remote),
      entraHttp: cw.http('entra'),
    });
    return (await crm.checkSetup?.({ changeFeed: true })) ?? [];
  } finally {
    await cw.close();
  }
}

const line = (checks: SetupCheck[], name: string) => {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check named ${name} in ${checks.map((c) => c.name).join(', ')}`);
  return found;
};

describe('Salesforce setup checks', () => {
  it('pass against an org set up as the adapter README asks', async () => {
    const checks = await checksOf();
    expect(Object.fromEntries(checks.map((c) => [c.name, c.status]))).toEqual({
      'Salesforce identity': 'pass',
      'leads readable and writable': 'pass',
      'Lead.Referral_Id__c': 'pass',
      'Lead.Referral_URL__c': 'pass',
      'Lead Status values': 'pass',
      'LeadSource value': 'pass',
      'State and Country/Territory picklists': 'pass',
    });
    expect(line(checks, 'Lead.Referral_Id__c').detail).toBe('string(100), External ID, Unique, writable');
  });

  it('fail when the referral-id field is not External ID and Unique', async () => {
    const checks = await checksOf({
      customFields: [
        { name: 'Referral_Id__c', length: 100 },
        { name: 'Referral_URL__c', length: 255 },
      ],
    });
    expect(line(checks, 'Lead.Referral_Id__c')).toMatchObject({
      status: 'fail',
      detail:
        'Referral_Id__c is not marked External ID and Unique: leads cannot be upserted by referral, and duplicates could appear',
    });
  });

  it('fail when the referral-id field does not exist', async () => {
    const checks = await checksOf({ customFields: [{ name: 'Referral_URL__c', length: 255 }] });
    expect(line(checks, 'Lead.Referral_Id__c')).toMatchObject({
      status: 'fail',
      detail: 'Lead has no field Referral_Id__c, which holds the referral id',
    });
  });

  it('fail when a configured disqualifying status does not exist', async () => {
    const checks = await checksOf({}, { 'crm.salesforce.disqualifiedStatuses': 'Closed - Lost' });
    expect(line(checks, 'Lead Status values')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^Lead Status has no active value "Closed - Lost" \(it has "Open - Not Contacted", /,
      ),
    });
  });

  it('fail when the LeadSource value is missing from the restricted picklist', async () => {
    const checks = await checksOf({ leadSources: ['Web', 'Other'] });
    expect(line(checks, 'LeadSource value')).toMatchObject({
      status: 'fail',
      detail:
        'LeadSource has no active value "Partner Referral", and the picklist is restricted: every lead write would fail',
    });
  });

  it('fail when countryPicklists is set for an org without them; warn the other way round', async () => {
    const missing = await checksOf({}, { 'crm.salesforce.countryPicklists': true });
    expect(line(missing, 'State and Country/Territory picklists').status).toBe('fail');
    const unused = await checksOf({ stateCountryPicklists: true });
    expect(line(unused, 'State and Country/Territory picklists').status).toBe('warn');
  });

  it('fail when the connected app cannot sign in, and skip the rest', async () => {
    const checks = await checksOf({}, { 'crm.salesforce.clientSecret': 'not-the-secret' });
    expect(line(checks, 'Salesforce identity')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('invalid client credentials'),
    });
    expect(checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
  });
});
