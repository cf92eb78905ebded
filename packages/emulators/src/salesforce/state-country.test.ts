import { afterEach, describe, expect, test } from 'vitest';
import { type SalesforceWorld, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
afterEach(() => world?.close());

const base = { LastName: 'Geo', Company: 'Maps Inc' };

async function create(fields: Record<string, unknown>) {
  return world.call('POST', 'sobjects/Lead', { body: { ...base, ...fields } });
}

describe('State and Country/Territory picklists', () => {
  test('off: CountryCode and StateCode are no fields, Country and State are free text', async () => {
    world = await startSalesforceWorld();
    const coded = await create({ CountryCode: 'US' });
    expect(coded.json).toEqual([
      { message: "No such column 'CountryCode' on sobject of type Lead", errorCode: 'INVALID_FIELD' },
    ]);
    const free = await create({ Country: 'Atlantis', State: 'Deep' });
    expect(free.status).toBe(201);
  });

  test('on: writing the codes fills the integration values, and the other way round', async () => {
    world = await startSalesforceWorld({ stateCountryPicklists: true });
    const coded = await create({ CountryCode: 'US', StateCode: 'CA' });
    expect(world.state.lead(coded.json.id)).toMatchObject({
      CountryCode: 'US',
      Country: 'United States',
      StateCode: 'CA',
      State: 'California',
    });
    const named = await create({ Country: 'canada', State: 'Ontario' });
    expect(world.state.lead(named.json.id)).toMatchObject({
      CountryCode: 'CA',
      Country: 'Canada',
      StateCode: 'ON',
    });
    const countryOnly = await create({ CountryCode: 'DE' });
    expect(world.state.lead(countryOnly.json.id)).toMatchObject({ Country: 'Germany', StateCode: null });
  });

  test.each([
    [{ Country: 'Atlantis' }, 'Country'],
    [{ CountryCode: 'XX' }, 'CountryCode'],
    [{ CountryCode: 'US', StateCode: 'ZZ' }, 'StateCode'],
    [{ CountryCode: 'US', State: 'Bavaria' }, 'State'],
    [{ CountryCode: 'DE', State: 'Bavaria' }, 'State'],
  ])('on: refuses %j with FIELD_INTEGRITY_EXCEPTION on %s', async (fields, field) => {
    world = await startSalesforceWorld({ stateCountryPicklists: true });
    const answer = await create(fields);
    expect(answer.status).toBe(400);
    expect(answer.json[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: [field] });
  });

  test('on: a code and a text that disagree — the code wins on create, the update is refused', async () => {
    world = await startSalesforceWorld({ stateCountryPicklists: true });
    const created = await create({ CountryCode: 'FR', Country: 'Spain' });
    expect(world.state.lead(created.json.id)).toMatchObject({ CountryCode: 'FR', Country: 'France' });
    const update = await world.call('PATCH', `sobjects/Lead/${created.json.id}`, {
      body: { CountryCode: 'ES', Country: 'Italy' },
    });
    expect(update.json).toEqual([
      {
        message:
          "There's a problem with this country, even though it may appear correct. Please select a country/territory from the list of valid countries.: Country",
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        fields: ['Country'],
      },
    ]);
    expect(world.state.lead(created.json.id)?.CountryCode).toBe('FR');
  });

  test('on: changing the country of a lead keeps no state the new country does not have', async () => {
    world = await startSalesforceWorld({ stateCountryPicklists: true });
    const created = await create({ CountryCode: 'US', StateCode: 'NY' });
    const moved = await world.call('PATCH', `sobjects/Lead/${created.json.id}`, {
      body: { CountryCode: 'CA' },
    });
    expect(moved.json[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['StateCode'] });
    const both = await world.call('PATCH', `sobjects/Lead/${created.json.id}`, {
      body: { CountryCode: 'CA', StateCode: 'QC' },
    });
    expect(both.status).toBe(204);
    expect(world.state.lead(created.json.id)).toMatchObject({ Country: 'Canada', State: 'Quebec' });
  });

  test('can be turned on for a running org, and SOQL then knows CountryCode', async () => {
    world = await startSalesforceWorld();
    expect(
      (await world.call('GET', `query?q=${encodeURIComponent('SELECT CountryCode FROM Lead')}`)).status,
    ).toBe(400);
    await world.control('PUT', '/org', { stateCountryPicklists: true });
    await create({ CountryCode: 'GB' });
    const query = await world.call(
      'GET',
      `query?q=${encodeURIComponent("SELECT Country FROM Lead WHERE CountryCode = 'GB'")}`,
    );
    expect(query.json.records.map((r: { Country: string }) => r.Country)).toEqual(['United Kingdom']);
  });
});
