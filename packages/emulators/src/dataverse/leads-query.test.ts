import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DataverseWorld, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld;
const LEADS = Array.from({ length: 12 }, (_, i) => ({
  lastname: `Lead ${String(i + 1).padStart(2, '0')}`,
  new_referralid: `REF-${1000 + i}`,
  estimatedamount: (i + 1) * 1000,
  leadqualitycode: (i % 3) + 1,
}));

beforeAll(async () => {
  world = await startDataverseWorld({ leads: [...LEADS, { lastname: 'No referral' }] });
});
afterAll(() => world.close());

const names = (value: Array<Record<string, unknown>> | undefined) => (value ?? []).map((row) => row.lastname);

describe('querying leads', () => {
  test('filters, selects and orders', async () => {
    const answer = await world.call(
      'GET',
      "leads?$select=lastname,estimatedamount&$filter=estimatedamount ge 3000 and (leadqualitycode eq 1 or lastname eq 'lead 05') and new_referralid ne null&$orderby=estimatedamount desc",
    );
    expect(answer.status).toBe(200);
    expect(answer.json['@odata.context']).toBe(`${world.webApi}/$metadata#leads(lastname,estimatedamount)`);
    expect(names(answer.json.value)).toEqual(['Lead 10', 'Lead 07', 'Lead 05', 'Lead 04']);
    expect(Object.keys(answer.json.value?.[0] ?? {}).sort()).toEqual([
      '@odata.etag',
      'estimatedamount',
      'lastname',
      'leadid',
    ]);
  });

  test('finds rows without a referral id with eq null', async () => {
    const answer = await world.call('GET', 'leads?$select=lastname&$filter=new_referralid eq null');
    expect(names(answer.json.value)).toEqual(['No referral']);
  });

  test('caps with $top and counts with $count', async () => {
    const answer = await world.call('GET', 'leads?$select=lastname&$orderby=lastname asc&$top=3&$count=true');
    expect(names(answer.json.value)).toEqual(['Lead 01', 'Lead 02', 'Lead 03']);
    expect(answer.json['@odata.count']).toBe(13);
    expect(answer.json['@odata.nextLink']).toBeUndefined();
  });

  test('pages with odata.maxpagesize through opaque nextLinks until every row was served once', async () => {
    const seen: unknown[] = [];
    let url: string | undefined =
      `${world.webApi}/leads?$select=lastname,new_referralid&$orderby=lastname desc`;
    let pages = 0;
    while (url) {
      const answer = await world.call('GET', url, { headers: { prefer: 'odata.maxpagesize=5' } });
      expect(answer.status).toBe(200);
      expect(answer.headers['preference-applied']).toBe('odata.maxpagesize=5');
      seen.push(...names(answer.json.value));
      pages += 1;
      url = answer.json['@odata.nextLink'] as string | undefined;
      if (url) {
        expect(url).toMatch(/\$skiptoken=%3Ccookie%20pagenumber%3D%22\d+%22%20pagingcookie%3D/);
        expect(url).toContain('$select=lastname,new_referralid');
      }
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...LEADS.map((l) => l.lastname).reverse(), 'No referral'].sort().reverse());
  });

  test('does not repeat or skip rows when rows are written between pages', async () => {
    const first = await world.call(
      'GET',
      "leads?$select=lastname&$filter=startswith(lastname,'Lead')&$orderby=lastname asc",
      {
        headers: { prefer: 'odata.maxpagesize=4' },
      },
    );
    await world.call('POST', 'leads', { body: { lastname: 'Lead 00' } });
    const second = await world.call('GET', String(first.json['@odata.nextLink']), {
      headers: { prefer: 'odata.maxpagesize=4' },
    });
    expect(names(first.json.value)).toEqual(['Lead 01', 'Lead 02', 'Lead 03', 'Lead 04']);
    expect(names(second.json.value)).toEqual(['Lead 05', 'Lead 06', 'Lead 07', 'Lead 08']);
  });

  test('ignores a maxpagesize above 5,000 and does not echo it', async () => {
    const answer = await world.call('GET', 'leads?$select=lastname', {
      headers: { prefer: 'odata.maxpagesize=9000' },
    });
    expect(answer.headers['preference-applied']).toBeUndefined();
    expect(answer.json.value?.length).toBeGreaterThan(12);
  });

  test('refuses $skip, unknown options and columns, and bad filters with the query error', async () => {
    const skip = await world.call('GET', 'leads?$skip=5');
    expect(skip.status).toBe(400);
    expect(skip.json.error).toEqual({
      code: '0x80060888',
      message: 'The query parameter $skip is not supported',
    });
    for (const query of [
      '$select=bogus',
      '$orderby=bogus',
      "$filter=bogus eq 'x'",
      '$filter=statecode eq',
      '$top=-1',
      '$apply=x',
    ]) {
      const answer = await world.call('GET', `leads?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.json.error?.code, query).toBe('0x80060888');
    }
    const forged = await world.call(
      'GET',
      `leads?$skiptoken=${encodeURIComponent('<cookie pagenumber="2" />')}`,
    );
    expect(forged.status).toBe(400);
  });

  test('queries the read-only transaction currencies', async () => {
    const answer = await world.call(
      'GET',
      'transactioncurrencies?$select=isocurrencycode,currencyname&$orderby=isocurrencycode asc',
    );
    const codes = (answer.json.value ?? []).map((row) => row.isocurrencycode);
    expect(codes).toEqual(
      expect.arrayContaining(['USD', 'EUR', 'GBP', 'JPY', 'AUD', 'CAD', 'CHF', 'INR', 'BRL']),
    );
    expect(codes).toEqual([...codes].sort());
    const id = String(answer.json.value?.[0]?.transactioncurrencyid);
    const one = await world.call('GET', `transactioncurrencies(${id})?$select=isocurrencycode`);
    expect(one.json).toMatchObject({ transactioncurrencyid: id, isocurrencycode: codes[0] });
  });
});
