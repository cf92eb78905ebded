import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SalesforceWorld, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
beforeAll(async () => {
  world = await startSalesforceWorld();
});
afterAll(() => world.close());

type Field = Record<string, unknown> & {
  name: string;
  picklistValues: Array<{ value: string; label: string; validFor: string | null }>;
};
const fieldsOf = async (): Promise<Field[]> =>
  (await world.call('GET', 'sobjects/Lead/describe')).json.fields;
const field = async (name: string) => (await fieldsOf()).find((f) => f.name === name);

/** Every key a real v62 describe field entry carries (spec B7, jsforce typings). */
const FIELD_KEYS = [
  'aggregatable',
  'aiPredictionField',
  'autoNumber',
  'byteLength',
  'calculated',
  'calculatedFormula',
  'cascadeDelete',
  'caseSensitive',
  'compoundFieldName',
  'controllerName',
  'createable',
  'custom',
  'defaultValue',
  'defaultValueFormula',
  'defaultedOnCreate',
  'dependentPicklist',
  'deprecatedAndHidden',
  'digits',
  'displayLocationInDecimal',
  'encrypted',
  'externalId',
  'extraTypeInfo',
  'filterable',
  'filteredLookupInfo',
  'formulaTreatNullNumberAsZero',
  'groupable',
  'highScaleNumber',
  'htmlFormatted',
  'idLookup',
  'inlineHelpText',
  'label',
  'length',
  'mask',
  'maskType',
  'name',
  'nameField',
  'namePointing',
  'nillable',
  'permissionable',
  'picklistValues',
  'polymorphicForeignKey',
  'precision',
  'queryByDistance',
  'referenceTargetField',
  'referenceTo',
  'relationshipName',
  'relationshipOrder',
  'restrictedDelete',
  'restrictedPicklist',
  'scale',
  'searchPrefilterable',
  'soapType',
  'sortable',
  'type',
  'unique',
  'updateable',
  'writeRequiresMasterRead',
];

describe('Lead describe', () => {
  test('answers the object with its key prefix, flags and urls', async () => {
    const answer = await world.call('GET', 'sobjects/Lead/describe');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      name: 'Lead',
      label: 'Lead',
      labelPlural: 'Leads',
      keyPrefix: '00Q',
      custom: false,
      createable: true,
      updateable: true,
      deletable: true,
      queryable: true,
      urls: {
        describe: '/services/data/v62.0/sobjects/Lead/describe',
        rowTemplate: '/services/data/v62.0/sobjects/Lead/{ID}',
      },
    });
  });

  test('gives every field the full key set', async () => {
    for (const entry of await fieldsOf())
      expect(Object.keys(entry).toSorted(), entry.name).toEqual(FIELD_KEYS.toSorted());
  });

  test.each([
    [
      'Id',
      {
        type: 'id',
        length: 18,
        nillable: false,
        createable: false,
        updateable: false,
        idLookup: true,
        soapType: 'tns:ID',
      },
    ],
    [
      'LastName',
      { type: 'string', length: 80, nillable: false, createable: true, updateable: true, nameField: false },
    ],
    ['Company', { type: 'string', length: 255, nillable: false, createable: true, updateable: true }],
    ['FirstName', { type: 'string', length: 40, nillable: true }],
    ['Email', { type: 'email', length: 80, nillable: true, idLookup: true }],
    ['Phone', { type: 'phone', length: 40 }],
    ['Description', { type: 'textarea', length: 32000, filterable: false }],
    ['Status', { type: 'picklist', nillable: false, defaultedOnCreate: true, restrictedPicklist: true }],
    ['LeadSource', { type: 'picklist', nillable: true, restrictedPicklist: true }],
    [
      'IsConverted',
      { type: 'boolean', nillable: false, createable: false, updateable: false, defaultedOnCreate: true },
    ],
    ['ConvertedOpportunityId', { type: 'reference', referenceTo: ['Opportunity'], createable: false }],
    [
      'OwnerId',
      { type: 'reference', referenceTo: ['Group', 'User'], polymorphicForeignKey: true, createable: true },
    ],
    ['SystemModstamp', { type: 'datetime', createable: false, updateable: false }],
    [
      'Referral_Id__c',
      {
        type: 'string',
        length: 100,
        custom: true,
        externalId: true,
        unique: true,
        caseSensitive: true,
        idLookup: true,
        nillable: true,
        createable: true,
        updateable: true,
      },
    ],
    ['Referral_URL__c', { type: 'string', length: 255, custom: true, externalId: false, unique: false }],
  ])('describes %s', async (name, expected) => {
    expect(await field(name)).toMatchObject(expected);
  });

  test('lists the LeadStatus values as the Status picklist, the default marked', async () => {
    const status = await field('Status');
    expect(status?.picklistValues).toEqual([
      {
        active: true,
        defaultValue: true,
        label: 'Open - Not Contacted',
        validFor: null,
        value: 'Open - Not Contacted',
      },
      {
        active: true,
        defaultValue: false,
        label: 'Working - Contacted',
        validFor: null,
        value: 'Working - Contacted',
      },
      {
        active: true,
        defaultValue: false,
        label: 'Closed - Converted',
        validFor: null,
        value: 'Closed - Converted',
      },
      {
        active: true,
        defaultValue: false,
        label: 'Closed - Not Converted',
        validFor: null,
        value: 'Closed - Not Converted',
      },
    ]);
    expect((await field('LeadSource'))?.picklistValues.map((v) => v.value)).toEqual([
      'Web',
      'Phone Inquiry',
      'Partner Referral',
      'Purchased List',
      'Other',
    ]);
  });

  test('has CountryCode and StateCode only while the org has State and Country/Territory picklists', async () => {
    expect(await field('CountryCode')).toBeUndefined();
    await world.control('PUT', '/org', { stateCountryPicklists: true });
    try {
      const country = await field('CountryCode');
      const state = await field('StateCode');
      expect(country).toMatchObject({ type: 'picklist', restrictedPicklist: true, createable: true });
      expect(state).toMatchObject({ dependentPicklist: true, controllerName: 'CountryCode' });
      const countries = country?.picklistValues ?? [];
      expect(countries.find((v) => v.value === 'US')?.label).toBe('United States');
      const usIndex = countries.findIndex((v) => v.value === 'US');
      const california = state?.picklistValues.find(
        (v) => v.value === 'CA' && v.validFor !== null && isSet(v.validFor, usIndex),
      );
      expect(california).toMatchObject({ label: 'California' });
    } finally {
      await world.control('PUT', '/org', { stateCountryPicklists: false });
    }
  });
});

/** validFor: base64 bit set over the controlling values, most significant bit first. */
function isSet(validFor: string, index: number): boolean {
  const bytes = Buffer.from(validFor, 'base64');
  return ((bytes[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

describe('global resources', () => {
  test('describeGlobal lists Lead and LeadStatus; /sobjects/Lead has the basic information', async () => {
    const global = await world.call('GET', 'sobjects');
    expect(global.json).toMatchObject({ encoding: 'UTF-8', maxBatchSize: 200 });
    expect(
      global.json.sobjects.map((s: { name: string; keyPrefix: string }) => [s.name, s.keyPrefix]),
    ).toEqual([
      ['Lead', '00Q'],
      ['LeadStatus', '01J'],
    ]);
    const basic = await world.call('GET', 'sobjects/Lead');
    expect(basic.json).toMatchObject({ objectDescribe: { name: 'Lead', keyPrefix: '00Q' }, recentItems: [] });
  });

  test('the versions root needs no session and carries no limit header; the version root lists resources', async () => {
    const versions = await world.call('GET', '/services/data/', { token: null });
    expect(versions.status).toBe(200);
    expect(versions.json.at(-1)).toEqual({
      label: "Winter '25",
      url: '/services/data/v62.0',
      version: '62.0',
    });
    expect(versions.json[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(versions.headers).not.toHaveProperty('sforce-limit-info');
    const resources = await world.call('GET', '/services/data/v62.0/');
    expect(resources.json).toMatchObject({
      sobjects: '/services/data/v62.0/sobjects',
      query: '/services/data/v62.0/query',
    });
  });
});
