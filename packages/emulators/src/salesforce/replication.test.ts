import { afterEach, describe, expect, test } from 'vitest';
import { type SalesforceWorld, startSalesforceWorld } from './test-support.ts';

let world: SalesforceWorld;
afterEach(() => world?.close());

const window = (start: string, end: string) =>
  `start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`;

describe('replication resources', () => {
  test('/updated lists leads changed in whole minutes [start, end), and latestDateCovered chains the next poll', async () => {
    world = await startSalesforceWorld({
      leads: [
        { LastName: 'A', Company: 'C' },
        { LastName: 'B', Company: 'C' },
      ],
    });
    const [a, b] = world.state.leads();
    world.clock.advance(5 * 60_000 + 42_000);
    world.state.setStatus(String(b?.Id), 'Working - Contacted');
    world.clock.advance(60_000);
    const first = await world.call(
      'GET',
      `sobjects/Lead/updated/?${window('2026-05-04T09:00:00Z', '2026-05-04T09:05:59+00:00')}`,
    );
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ ids: [a?.Id], latestDateCovered: '2026-05-04T09:05:00.000+0000' });
    const next = await world.call(
      'GET',
      `sobjects/Lead/updated?${window(first.json.latestDateCovered, '2026-05-04T10:00:00Z')}`,
    );
    expect(next.json).toEqual({ ids: [b?.Id], latestDateCovered: '2026-05-04T09:06:00.000+0000' });
  });

  test('/deleted lists deleted leads with their deletion time', async () => {
    world = await startSalesforceWorld({ leads: [{ LastName: 'A', Company: 'C' }] });
    const [a] = world.state.leads();
    world.clock.advance(60_000);
    world.state.deleteLead(String(a?.Id));
    world.clock.advance(60_000);
    const answer = await world.call(
      'GET',
      `sobjects/Lead/deleted/?${window('2026-05-04T09:00:00Z', '2026-05-04T09:02:00Z')}`,
    );
    expect(answer.json).toEqual({
      deletedRecords: [{ id: a?.Id, deletedDate: '2026-05-04T09:01:00.000+0000' }],
      earliestDateAvailable: '2026-05-04T09:00:00.000+0000',
      latestDateCovered: '2026-05-04T09:02:00.000+0000',
    });
  });

  test('refuses a start more than 30 days back, a start after the end and missing times', async () => {
    world = await startSalesforceWorld();
    for (const query of [
      window('2026-03-01T00:00:00Z', '2026-05-04T00:00:00Z'),
      window('2026-05-04T08:00:00Z', '2026-05-04T07:00:00Z'),
      'start=yesterday',
    ]) {
      const answer = await world.call('GET', `sobjects/Lead/updated/?${query}`);
      expect([answer.status, answer.json[0].errorCode], query).toEqual([400, 'INVALID_REPLICATION_DATE']);
    }
  });
});
