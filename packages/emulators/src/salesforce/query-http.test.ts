import { afterEach, describe, expect, test } from 'vitest';
import { API, type SalesforceWorld, soql, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
afterEach(() => world?.close());

const leads = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    LastName: `L${String(i).padStart(4, '0')}`,
    Company: 'Query Co',
    Referral_Id__c: `Q-${i}`,
  }));

describe('GET /query', () => {
  test('answers totalSize, done and records carrying attributes; an empty result is done at once', async () => {
    world = await startSalesforceWorld({ leads: leads(2) });
    const answer = await world.call('GET', soql('SELECT Id, LastName FROM Lead ORDER BY LastName'));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      totalSize: 2,
      done: true,
      records: world.state.leads().map((lead) => ({
        attributes: { type: 'Lead', url: `${API}/sobjects/Lead/${lead.Id}` },
        Id: lead.Id,
        LastName: lead.LastName,
      })),
    });
    const empty = await world.call('GET', soql("SELECT Id FROM Lead WHERE LastName = 'nobody'"));
    expect(empty.json).toEqual({ totalSize: 0, done: true, records: [] });
  });

  test('pages with nextRecordsUrl of the documented form until done, honouring the batch size asked for', async () => {
    world = await startSalesforceWorld({ leads: leads(450) });
    const headers = { 'Sforce-Query-Options': 'batchSize=200' };
    const first = await world.call('GET', soql('SELECT LastName FROM Lead ORDER BY LastName'), { headers });
    expect(first.json).toMatchObject({ totalSize: 450, done: false });
    expect(first.json.records).toHaveLength(200);
    expect(first.json.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-200$/);
    const second = await world.call('GET', first.json.nextRecordsUrl);
    expect(second.json.nextRecordsUrl).toMatch(/-400$/);
    const third = await world.call('GET', second.json.nextRecordsUrl);
    expect(third.json).not.toHaveProperty('nextRecordsUrl');
    expect([third.json.done, third.json.totalSize, third.json.records.length]).toEqual([true, 450, 50]);
    const names = [first, second, third].flatMap((page) =>
      page.json.records.map((r: { LastName: string }) => r.LastName),
    );
    expect(names).toEqual(leads(450).map((lead) => lead.LastName));
  });

  test('uses batches of 2000 unless asked otherwise, and never fewer than 200', async () => {
    world = await startSalesforceWorld({ leads: leads(2001) });
    const plain = await world.call('GET', soql('SELECT Id FROM Lead'));
    expect(plain.json.records).toHaveLength(2000);
    const tiny = await world.call('GET', soql('SELECT Id FROM Lead'), {
      headers: { 'Sforce-Query-Options': 'batchSize=10' },
    });
    expect(tiny.json.records).toHaveLength(200);
  });

  test('answers an unknown, finished or idle locator with INVALID_QUERY_LOCATOR', async () => {
    world = await startSalesforceWorld({ leads: leads(250) });
    const headers = { 'Sforce-Query-Options': 'batchSize=200' };
    const unknown = await world.call('GET', 'query/01g5g00000ZZZZZAAA-200');
    expect([unknown.status, unknown.json]).toEqual([
      400,
      [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }],
    ]);
    const first = await world.call('GET', soql('SELECT Id FROM Lead'), { headers });
    expect((await world.call('GET', first.json.nextRecordsUrl)).json.done).toBe(true);
    expect((await world.call('GET', first.json.nextRecordsUrl)).status).toBe(400);
    const again = await world.call('GET', soql('SELECT Id FROM Lead'), { headers });
    world.clock.advance(15 * 60_000 + 1);
    expect((await world.call('GET', again.json.nextRecordsUrl)).json[0].errorCode).toBe(
      'INVALID_QUERY_LOCATOR',
    );
  });

  test('reads the change feed a poller uses: SystemModstamp high-water mark, ordered, de-duplicable by Id', async () => {
    world = await startSalesforceWorld({ leads: leads(3) });
    const mark = '2026-05-04T09:00:00Z';
    world.clock.advance(60_000);
    const [first] = world.state.leads();
    world.state.setStatus(String(first?.Id), 'Working - Contacted');
    const changed = await world.call(
      'GET',
      soql(
        `SELECT Id, Status, IsConverted, SystemModstamp FROM Lead WHERE SystemModstamp >= ${mark} ORDER BY SystemModstamp, Id`,
      ),
    );
    expect(changed.json.totalSize).toBe(3);
    expect(changed.json.records.at(-1)).toMatchObject({
      Id: first?.Id,
      Status: 'Working - Contacted',
      IsConverted: false,
      SystemModstamp: '2026-05-04T09:01:00.000+0000',
    });
    const later = await world.call(
      'GET',
      soql('SELECT Id FROM Lead WHERE SystemModstamp > 2026-05-04T09:00:30Z'),
    );
    expect(later.json.records.map((r: { Id: string }) => r.Id)).toEqual([first?.Id]);
  });

  test('takes + in the query string as a space, so an unencoded +01:00 offset is a malformed query', async () => {
    world = await startSalesforceWorld();
    const encoded = await world.call(
      'GET',
      `query?q=SELECT+Id+FROM+Lead+WHERE+SystemModstamp+>=+2026-01-01T00:00:00%2B01:00`,
    );
    expect(encoded.status).toBe(200);
    const raw = await world.call(
      'GET',
      'query?q=SELECT+Id+FROM+Lead+WHERE+SystemModstamp+>=+2026-01-01T00:00:00+01:00',
    );
    expect([raw.status, raw.json[0].errorCode]).toEqual([400, 'MALFORMED_QUERY']);
    const missing = await world.call('GET', 'query');
    expect(missing.json[0].errorCode).toBe('MALFORMED_QUERY');
  });

  test('queryAll includes deleted leads with IsDeleted true; query leaves them out', async () => {
    world = await startSalesforceWorld({ leads: leads(2) });
    const [gone] = world.state.leads();
    world.state.deleteLead(String(gone?.Id));
    expect((await world.call('GET', soql('SELECT Id FROM Lead'))).json.totalSize).toBe(1);
    const all = await world.call(
      'GET',
      `queryAll?q=${encodeURIComponent('SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true')}`,
    );
    expect(all.json.records).toEqual([expect.objectContaining({ Id: gone?.Id, IsDeleted: true })]);
  });
});

describe('LeadStatus', () => {
  test('lists the org lead statuses with ApiName, MasterLabel, IsConverted, IsDefault and SortOrder', async () => {
    world = await startSalesforceWorld();
    const answer = await world.call(
      'GET',
      soql(
        'SELECT Id, ApiName, MasterLabel, IsConverted, IsDefault, SortOrder FROM LeadStatus ORDER BY SortOrder',
      ),
    );
    expect(answer.json.totalSize).toBe(4);
    expect(answer.json.records.map(({ attributes, Id, ...rest }: Record<string, unknown>) => rest)).toEqual([
      {
        ApiName: 'Open - Not Contacted',
        MasterLabel: 'Open - Not Contacted',
        IsConverted: false,
        IsDefault: true,
        SortOrder: 1,
      },
      {
        ApiName: 'Working - Contacted',
        MasterLabel: 'Working - Contacted',
        IsConverted: false,
        IsDefault: false,
        SortOrder: 2,
      },
      {
        ApiName: 'Closed - Converted',
        MasterLabel: 'Closed - Converted',
        IsConverted: true,
        IsDefault: false,
        SortOrder: 3,
      },
      {
        ApiName: 'Closed - Not Converted',
        MasterLabel: 'Closed - Not Converted',
        IsConverted: false,
        IsDefault: false,
        SortOrder: 4,
      },
    ]);
    expect(answer.json.records[0].attributes.type).toBe('LeadStatus');
    expect(answer.json.records[0].Id).toMatch(/^01J/);
  });

  test('follows the configured statuses, which new leads and conversion then use', async () => {
    world = await startSalesforceWorld({
      leadStatuses: [
        { label: 'New', default: true },
        { label: 'Qualified', converted: true },
        { label: 'Unqualified' },
      ],
      leads: [{ LastName: 'S', Company: 'C' }],
    });
    const answer = await world.call('GET', soql('SELECT ApiName FROM LeadStatus WHERE IsConverted = true'));
    expect(answer.json.records.map((r: { ApiName: string }) => r.ApiName)).toEqual(['Qualified']);
    const [lead] = world.state.leads();
    expect(lead?.Status).toBe('New');
    expect(world.state.convert(String(lead?.Id)).Status).toBe('Qualified');
  });
});
