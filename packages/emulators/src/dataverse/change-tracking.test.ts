import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DataverseWorld, idFromEntityId, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld({
    leads: [
      { lastname: 'One', new_referralid: 'REF-T1' },
      { lastname: 'Two', new_referralid: 'REF-T2' },
      { lastname: 'Three', new_referralid: 'REF-T3' },
    ],
    deltaTokenLifetimeMs: 3_600_000,
  });
});
afterAll(() => world.close());

const TRACKED = 'leads?$select=leadid,new_referralid,statecode,statuscode';
const track = { prefer: 'odata.track-changes' };

async function initialDeltaLink(): Promise<string> {
  const answer = await world.call('GET', TRACKED, { headers: track });
  expect(answer.headers['preference-applied']).toBe('odata.track-changes');
  return String(answer.json['@odata.deltaLink']);
}

describe('change tracking', () => {
  test('returns the full set and a delta link with a $deltatoken on the first request', async () => {
    const answer = await world.call('GET', TRACKED, { headers: track });
    expect(answer.status).toBe(200);
    expect(answer.json.value).toHaveLength(3);
    const link = String(answer.json['@odata.deltaLink']);
    expect(
      link.startsWith(
        `${world.webApi}/leads?$select=leadid,new_referralid,statecode,statuscode&$deltatoken=`,
      ),
    ).toBe(true);
    expect(decodeURIComponent(link.split('$deltatoken=')[1] ?? '')).toMatch(
      /^\d+!\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/,
    );
  });

  test('the delta link returns rows changed since, then deletions, and a new delta link', async () => {
    const link = await initialDeltaLink();
    const one = world.state.findByAlternateKey('REF-T1');
    const two = world.state.findByAlternateKey('REF-T2');
    await world.call('PATCH', `leads(${one?.leadid})`, {
      body: { statecode: 2, statuscode: 6 },
      headers: { 'if-match': '*' },
    });
    await world.call('DELETE', `leads(${two?.leadid})`);
    const created = await world.call('POST', 'leads', {
      body: { lastname: 'Four', new_referralid: 'REF-T4' },
    });
    const fourId = idFromEntityId(created.headers['odata-entityid']);

    const delta = await world.call('GET', link);
    expect(delta.status).toBe(200);
    expect(delta.json['@odata.context']).toBe(
      `${world.webApi}/$metadata#leads(leadid,new_referralid,statecode,statuscode)/$delta`,
    );
    expect(delta.json.value).toEqual([
      {
        '@odata.etag': `W/"${world.state.lead(String(one?.leadid))?.versionnumber}"`,
        leadid: one?.leadid,
        new_referralid: 'REF-T1',
        statecode: 2,
        statuscode: 6,
      },
      expect.objectContaining({ leadid: fourId, new_referralid: 'REF-T4' }),
      {
        '@odata.context': `${world.webApi}/$metadata#leads/$deletedEntity`,
        id: two?.leadid,
        reason: 'deleted',
      },
    ]);
    const next = String(delta.json['@odata.deltaLink']);
    expect(next).not.toBe(link);
    const quiet = await world.call('GET', next);
    expect(quiet.json.value).toEqual([]);
  });

  test('reports a seller edit in the CRM as a change', async () => {
    const link = await initialDeltaLink();
    const three = world.state.findByAlternateKey('REF-T3');
    world.state.sellerUpdate(String(three?.leadid), { statecode: 0, statuscode: 2 });
    const delta = await world.call('GET', link);
    expect(delta.json.value).toEqual([expect.objectContaining({ leadid: three?.leadid, statuscode: 2 })]);
  });

  test('pages the initial tracked set and gives the delta link on the last page only', async () => {
    const first = await world.call('GET', TRACKED, {
      headers: { prefer: 'odata.track-changes,odata.maxpagesize=2' },
    });
    expect(first.json['@odata.deltaLink']).toBeUndefined();
    expect(String(first.json['@odata.nextLink'])).toContain('istracking%3D%22True%22');
    await world.call('POST', 'leads', { body: { lastname: 'Between pages', new_referralid: 'REF-T5' } });
    let answer = first;
    while (answer.json['@odata.nextLink']) {
      answer = await world.call('GET', String(answer.json['@odata.nextLink']), {
        headers: { prefer: 'odata.track-changes,odata.maxpagesize=2' },
      });
    }
    const delta = await world.call('GET', String(answer.json['@odata.deltaLink']));
    expect(delta.json.value?.map((row) => row.new_referralid)).toContain('REF-T5');
  });

  test('refuses $filter, $orderby and $top together with change tracking', async () => {
    for (const option of ['$filter=statecode eq 0', '$orderby=createdon asc', '$top=5']) {
      const answer = await world.call('GET', `${TRACKED}&${option}`, { headers: track });
      expect(answer.status, option).toBe(400);
      const name = option.split('=')[0];
      expect(answer.json.error?.message).toBe(
        `The "${name}" query parameter isn't supported when Change Tracking is enabled.`,
      );
    }
  });

  test('answers an unknown or expired delta token with the expired version stamp error', async () => {
    const unknown = await world.call(
      'GET',
      `${TRACKED}&$deltatoken=${encodeURIComponent('123!01/01/2025 00:00:00')}`,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toEqual({
      code: '0x80044352',
      message: 'Version stamp associated with the client has expired. Please perform a full sync.',
    });
    const link = await initialDeltaLink();
    world.clock.advance(3_600_001);
    const expired = await world.call('GET', link);
    expect(expired.status).toBe(400);
    expect(expired.json.error?.code).toBe('0x80044352');
  });
});
