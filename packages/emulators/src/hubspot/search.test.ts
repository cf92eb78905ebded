import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createContact, type HubSpotWorld, primaryContact, startHubSpotWorld } from './test-support.ts';

let hub: HubSpotWorld;
let contactId: string;
const leadIds: string[] = [];
let startedAt: number;

// Six leads, one a minute; the last three moved on by a seller afterwards.
beforeAll(async () => {
  // The clock stands still here: lift search's per-second budget (rate-limits.test.ts covers it).
  hub = await startHubSpotWorld({ limits: { searchPerSecond: 1000 } });
  startedAt = hub.clock.now();
  contactId = await createContact(hub, 'search-contact@example.com');
  for (const n of [1, 2, 3, 4, 5, 6]) {
    hub.clock.advance(60_000);
    const answer = await hub.call('POST', '/crm/v3/objects/leads', {
      body: {
        properties: {
          hs_lead_name: `Lead ${n} Contoso`,
          referral_id: `REF-S${n}`,
          ...(n === 6 ? {} : { hs_lead_label: n % 2 ? 'HOT' : 'COLD' }),
        },
        associations: primaryContact(contactId),
      },
    });
    leadIds.push(String(answer.json.id));
  }
  for (const [index, stage] of [
    [3, 'connected-stage-id'],
    [4, 'qualified-stage-id'],
    [5, 'unqualified-stage-id'],
  ] as const) {
    hub.clock.advance(60_000);
    hub.world.hubspot.moveToStage('leads', leadIds[index] as string, stage);
  }
});
afterAll(() => hub.close());

const search = (body: unknown, objectType = 'leads') =>
  hub.call('POST', `/crm/v3/objects/${objectType}/search`, { body });
const ids = (answer: { json: { results?: Array<Record<string, unknown>> } }) =>
  (answer.json.results ?? []).map((result) => String(result.id));
const minute = (n: number) => String(startedAt + n * 60_000);

describe('CRM search', () => {
  test('finds what changed since a time, oldest first, with the named properties and the system ones', async () => {
    const answer = await search({
      filterGroups: [
        { filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: minute(3) }] },
      ],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['hs_pipeline_stage', 'referral_id'],
      limit: 200,
    });
    expect(answer.status).toBe(200);
    expect(answer.json.total).toBe(4);
    expect(ids(answer)).toEqual(leadIds.slice(2));
    expect(answer.json.results?.[1]?.properties).toEqual({
      hs_pipeline_stage: 'connected-stage-id',
      referral_id: 'REF-S4',
      hs_object_id: leadIds[3],
      createdate: new Date(startedAt + 4 * 60_000).toISOString(),
      hs_lastmodifieddate: new Date(startedAt + 7 * 60_000).toISOString(),
    });
    expect(answer.headers['x-hubspot-ratelimit-remaining']).toBeUndefined();
  });

  test('pages with after as a numeric offset until there is no next page', async () => {
    const seen: string[] = [];
    let after: string | undefined = '0';
    let pages = 0;
    while (after !== undefined) {
      const answer = await search({ filterGroups: [], limit: 4, after });
      expect(answer.json.total).toBe(6);
      seen.push(...ids(answer));
      after = (answer.json.paging as { next?: { after: string } } | undefined)?.next?.after;
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(leadIds);
  });

  test('filters by stage with EQ, IN and NOT_IN; groups are OR-ed, filters in a group AND-ed', async () => {
    const closed = await search({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'hs_pipeline_stage',
              operator: 'IN',
              values: ['qualified-stage-id', 'unqualified-stage-id'],
            },
          ],
        },
      ],
    });
    expect(ids(closed)).toEqual([leadIds[4], leadIds[5]]);
    const either = await search({
      filterGroups: [
        { filters: [{ propertyName: 'hs_pipeline_stage', operator: 'EQ', value: 'connected-stage-id' }] },
        {
          filters: [
            { propertyName: 'hs_lead_label', operator: 'EQ', value: 'hot' },
            { propertyName: 'hs_pipeline_stage', operator: 'NOT_IN', values: ['connected-stage-id'] },
          ],
        },
      ],
    });
    expect(ids(either)).toEqual([leadIds[0], leadIds[2], leadIds[3], leadIds[4]]);
  });

  test('negations and HAS_PROPERTY treat a record without a value as not matching the value', async () => {
    const notHot = await search({
      filterGroups: [{ filters: [{ propertyName: 'hs_lead_label', operator: 'NEQ', value: 'HOT' }] }],
    });
    expect(ids(notHot)).toEqual([leadIds[1], leadIds[3], leadIds[5]]);
    const unlabelled = await search({
      filterGroups: [{ filters: [{ propertyName: 'hs_lead_label', operator: 'NOT_HAS_PROPERTY' }] }],
    });
    expect(ids(unlabelled)).toEqual([leadIds[5]]);
    const labelled = await search({
      filterGroups: [{ filters: [{ propertyName: 'hs_lead_label', operator: 'HAS_PROPERTY' }] }],
    });
    expect(ids(labelled)).toHaveLength(5);
  });

  test('BETWEEN, numbers compared as numbers, tokens with wildcards, and DESCENDING order', async () => {
    const between = await search({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'createdate',
              operator: 'BETWEEN',
              value: new Date(startedAt + 2 * 60_000).toISOString(),
              highValue: minute(3),
            },
          ],
        },
      ],
      sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
    });
    expect(ids(between)).toEqual([leadIds[2], leadIds[1]]);
    const byId = await search({
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: leadIds[4] }] }],
    });
    expect(ids(byId)).toEqual([leadIds[5]]);
    const token = await search({
      filterGroups: [
        { filters: [{ propertyName: 'hs_lead_name', operator: 'CONTAINS_TOKEN', value: 'conto*' }] },
      ],
    });
    expect(ids(token)).toHaveLength(6);
    const email = await search(
      {
        filterGroups: [
          { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@example.com' }] },
        ],
      },
      'contacts',
    );
    expect(ids(email)).toEqual([contactId]);
  });

  test('refuses what the API refuses: more than 200 a page, 5 groups, 10 filters a group, 25 in all, two sorts', async () => {
    const filter = { propertyName: 'hs_lead_label', operator: 'EQ', value: 'HOT' };
    const cases: Array<[string, unknown]> = [
      ['limit', { limit: 201 }],
      ['groups', { filterGroups: Array.from({ length: 6 }, () => ({ filters: [filter] })) }],
      ['filters in a group', { filterGroups: [{ filters: Array.from({ length: 11 }, () => filter) }] }],
      [
        'filters',
        {
          filterGroups: Array.from({ length: 3 }, () => ({
            filters: Array.from({ length: 9 }, () => filter),
          })),
        },
      ],
      ['sorts', { sorts: ['createdate', '-createdate'] }],
      ['unknown property', { filterGroups: [{ filters: [{ ...filter, propertyName: 'nope' }] }] }],
      ['unknown operator', { filterGroups: [{ filters: [{ ...filter, operator: 'LIKE' }] }] }],
    ];
    for (const [name, body] of cases) {
      const answer = await search(body);
      expect(answer.status, name).toBe(400);
      expect(answer.json.category, name).toBe('VALIDATION_ERROR');
    }
  });

  test('cannot page past 10,000 results', async () => {
    expect((await search({ limit: 200, after: '9800' })).status).toBe(200);
    const beyond = await search({ limit: 200, after: '9900' });
    expect(beyond.status).toBe(400);
    expect(beyond.json.message).toContain('10000');
  });

  test('sees a write only once it is indexed, with the lag set through the control API', async () => {
    expect((await hub.control('PUT', '/search-lag', { lagMs: 5000 })).json).toEqual({ lagMs: 5000 });
    try {
      const byReferral = {
        filterGroups: [{ filters: [{ propertyName: 'referral_id', operator: 'EQ', value: 'REF-S1' }] }],
        properties: ['hs_pipeline_stage'],
      };
      await hub.control('POST', `/objects/leads/${leadIds[0]}/stage`, { stageId: 'attempting-stage-id' });
      expect((await search(byReferral)).json.results?.[0]?.properties).toMatchObject({
        hs_pipeline_stage: 'new-stage-id',
      });
      const fresh = await createContact(hub, 'fresh@example.com');
      const byEmail = {
        filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'fresh@example.com' }] }],
      };
      expect((await search(byEmail, 'contacts')).json.total).toBe(0);
      hub.clock.advance(5000);
      expect((await search(byReferral)).json.results?.[0]?.properties).toMatchObject({
        hs_pipeline_stage: 'attempting-stage-id',
      });
      expect(ids(await search(byEmail, 'contacts'))).toEqual([fresh]);
    } finally {
      await hub.control('PUT', '/search-lag', { lagMs: 0 });
    }
  });

  test('a free-text query looks in the default searchable properties', async () => {
    const answer = await search({ query: 'search-contact' }, 'contacts');
    expect(ids(answer)).toEqual([contactId]);
  });
});
