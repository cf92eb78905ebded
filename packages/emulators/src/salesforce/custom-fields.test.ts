import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CUSTOM_FIELDS } from './lead-schema.ts';
import { API, type SalesforceWorld, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
beforeAll(async () => {
  world = await startSalesforceWorld({
    customFields: [
      ...DEFAULT_CUSTOM_FIELDS,
      { name: 'Deal_Size__c', label: 'Deal Size', type: 'currency', precision: 16, scale: 2 },
      { name: 'Seats__c', type: 'double', precision: 6, scale: 0 },
      { name: 'Strategic__c', type: 'boolean' },
    ],
  });
});
afterAll(() => world.close());

const upsert = (key: string, fields: Record<string, unknown>) =>
  world.call('PATCH', `${API}/sobjects/Lead/Referral_Id__c/${key}`, {
    body: { LastName: 'Turing', Company: 'Bletchley', ...fields },
  });

describe('custom number, currency and checkbox fields', () => {
  test('stores numbers and a checkbox, and reads them back as JSON numbers and booleans', async () => {
    expect(
      (await upsert('REF-N1', { Deal_Size__c: 250000.5, Seats__c: 40, Strategic__c: true })).status,
    ).toBe(201);

    const read = await world.call(
      'GET',
      `${API}/sobjects/Lead/Referral_Id__c/REF-N1?fields=Deal_Size__c,Seats__c,Strategic__c`,
    );
    expect(read.json).toMatchObject({ Deal_Size__c: 250000.5, Seats__c: 40, Strategic__c: true });
  });

  test('describes them with their type, precision and scale', async () => {
    const describe = await world.call('GET', `${API}/sobjects/Lead/describe`);
    const field = (name: string) => describe.json.fields.find((f: { name: string }) => f.name === name);

    expect(field('Deal_Size__c')).toMatchObject({
      type: 'currency',
      precision: 16,
      scale: 2,
      custom: true,
      label: 'Deal Size',
    });
    expect(field('Seats__c')).toMatchObject({ type: 'double', precision: 6, scale: 0, custom: true });
    expect(field('Strategic__c')).toMatchObject({ type: 'boolean', nillable: false, custom: true });
  });

  test('refuses text in a number field as the REST API’s JSON parser does', async () => {
    const answer = await upsert('REF-N2', { Deal_Size__c: 'a lot' });

    expect(answer.status).toBe(400);
    expect(answer.json[0]).toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
    expect(world.state.findByExternalId('REF-N2')).toHaveLength(0);
  });

  test('refuses a field the org does not have', async () => {
    const answer = await upsert('REF-N3', { Deal_Sizes__c: 1 });

    expect(answer.status).toBe(400);
    expect(answer.json[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
  });
});
