import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Referral } from './referral.ts';
import {
  type ApiResponse,
  json,
  REFERRALS_PATH,
  type ReferralsWorld,
  startReferralsWorld,
} from './test-support.ts';

let world: ReferralsWorld;

beforeAll(async () => {
  world = await startReferralsWorld({ seedCount: 130 });
});
afterAll(() => world.close());

const list = (query: string) => world.call('GET', `${REFERRALS_PATH}?${query}`);
const ids = (response: ApiResponse) => (json(response).value ?? []).map((r) => String(r.id));
const byCreated = (a: Referral, b: Referral) => (a.createdDateTime < b.createdDateTime ? -1 : 1);

async function followAll(first: ApiResponse): Promise<{ ids: string[]; pages: number }> {
  const seen = [...ids(first)];
  let pages = 1;
  let next = json(first)['@odata.nextLink'];
  while (typeof next === 'string') {
    const page = await world.follow(next);
    expect(page.status).toBe(200);
    seen.push(...ids(page));
    pages += 1;
    next = json(page)['@odata.nextLink'];
  }
  return { ids: seen, pages };
}

describe('GET list', () => {
  it('filters on status and direction combined with and, in parentheses', async () => {
    const response = await list(
      `$filter=${encodeURIComponent("(status eq 'New' and substatus eq 'Pending') and direction eq 'Incoming'")}&$count=true`,
    );
    expect(response.status).toBe(200);
    const expected = world.state
      .all()
      .filter((r) => r.status === 'New' && r.substatus === 'Pending' && r.direction === 'Incoming');
    expect(expected.length).toBeGreaterThan(20);
    expect(json(response)['@odata.count']).toBe(expected.length);
    expect(json(response)['@odata.context']).toBe(`${world.origin}/partner-center/v1.0/$metadata#Referrals`);
    expect(ids(response).sort()).toEqual(expected.map((r) => r.id).sort());
  });

  it.each([
    [
      "type eq 'Shared' or qualification eq 'MarketingQualified'",
      (r: Referral) => r.type === 'Shared' || r.qualification === 'MarketingQualified',
    ],
    ["customerProfile/address/country eq 'DE'", (r: Referral) => r.customerProfile.address.country === 'DE'],
    [
      "team/any(t:t/email eq 'REFERRALS.ADMIN@contoso-partner.example')",
      (r: Referral) => r.team.some((m) => m.email === 'referrals.admin@contoso-partner.example'),
    ],
    [
      "not (status eq 'Closed') and externalReferenceId ne null",
      (r: Referral) => r.status !== 'Closed' && r.externalReferenceId !== null,
    ],
    [
      "status ne 'New' and updatedDateTime ge 2026-04-20T00:00:00Z",
      (r: Referral) => r.status !== 'New' && r.updatedDateTime >= '2026-04-20T00:00:00.0000000Z',
    ],
    [
      "createdDateTime lt '2026-03-01T00:00:00.0000000Z'",
      (r: Referral) => r.createdDateTime < '2026-03-01T00:00:00.0000000Z',
    ],
  ])('filters with %s', async (filter, predicate) => {
    const response = await list(`$filter=${encodeURIComponent(filter)}&$count=true`);
    expect(response.status).toBe(200);
    const expected = world.state
      .all()
      .filter(predicate)
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(130);
    expect(json(response)['@odata.count']).toBe(expected.length);
    expect(ids(response).sort()).toEqual(expected.sort());
  });

  it('finds the related referrals of an engagement through the links.relatedReferrals uri', async () => {
    const [first] = world.state.all();
    const response = await world.follow(String(first?.links.relatedReferrals.uri));
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual([first?.id]);
  });

  it('orders by updatedDateTime desc and createdDateTime asc', async () => {
    const desc = await list('$orderby=updatedDateTime%20desc&$top=100');
    const updated = (json(desc).value ?? []).map((r) => String(r.updatedDateTime));
    expect(updated).toEqual([...updated].sort().reverse());
    const asc = await list('$orderby=createdDateTime asc&$top=100');
    expect(ids(asc)).toEqual(
      world.state
        .all()
        .toSorted(byCreated)
        .slice(0, 100)
        .map((r) => r.id),
    );
  });

  it('pages with $top and an opaque $skiptoken nextLink until every match is seen once', async () => {
    const filter = encodeURIComponent("direction eq 'Incoming'");
    const first = await list(`$filter=${filter}&$orderby=createdDateTime desc&$top=7&$count=true`);
    const nextLink = String(json(first)['@odata.nextLink']);
    expect(nextLink).toMatch(new RegExp(`^${world.origin}${REFERRALS_PATH}\\?\\$skiptoken=[A-Za-z0-9_-]+$`));
    const { ids: seen, pages } = await followAll(first);
    const expected = world.state
      .all()
      .filter((r) => r.direction === 'Incoming')
      .toSorted(byCreated)
      .reverse()
      .map((r) => r.id);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  it('serves at most 100 per page, also when $top asks for more', async () => {
    const response = await list('$top=500');
    expect(ids(response)).toHaveLength(100);
    const { ids: seen } = await followAll(response);
    expect(new Set(seen).size).toBe(130);
    const unbounded = await world.call('GET', REFERRALS_PATH);
    expect(ids(unbounded)).toHaveLength(100);
    expect(json(unbounded)['@odata.nextLink']).toBeDefined();
    expect(json(unbounded)['@odata.count']).toBeUndefined();
  });

  it('skips with $skip and projects with $select', async () => {
    const all = ids(await list('$top=20'));
    const skipped = await list('$top=5&$skip=3&$select=id,status');
    expect(ids(skipped)).toEqual(all.slice(3, 8));
    expect(Object.keys(json(skipped).value?.[0] ?? {}).sort()).toEqual(['id', 'status']);
  });

  it.each([
    ['$filter', "$filter=status eq 'Bogus'"],
    ['$filter', '$filter=status eq'],
    ['$filter', '$filter=dealSize eq 5'],
    ['$filter', "$filter=(status eq 'New'"],
    ['$filter', "$filter=contains(name,'x')"],
    ['$filter', '$filter=team/any(t:t/shoeSize eq 4)'],
    ['$orderby', '$orderby=name asc'],
    ['$top', '$top=-1'],
    ['$skiptoken', '$skiptoken=not-a-token'],
  ])('answers 400 invalidRequest with target %s for %s', async (target, query) => {
    const response = await list(query.replace(/ /g, '%20').replace(/'/g, '%27'));
    expect(response.status).toBe(400);
    expect(json(response).error).toMatchObject({ code: 'invalidRequest', target });
    expect(String((json(response).error as { message: string }).message).length).toBeGreaterThan(10);
  });
});
