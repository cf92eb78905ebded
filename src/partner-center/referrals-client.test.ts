import { listenOnLoopback } from '@referral-connector/emulators';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  answeredStatuses,
  type ConnectorWorld,
  startConnectorWorld,
} from '../../test/support/connector-world.ts';
import type { TokenProvider } from '../auth/token-provider.ts';
import { createHttpClient } from '../net/http-client.ts';
import { RemoteError } from '../net/remote-error.ts';
import { checkNextLink } from './next-link.ts';
import { createReferralsClient, type ReferralsClient } from './referrals-client.ts';

const LIST = 'GET /v1.0/engagements/referrals';
const GET_ONE = 'GET /v1.0/engagements/referrals/:id';

let cw: ConnectorWorld;
let tokens: TokenProvider;
let referrals: ReferralsClient;

// A client of its own per use that throttles: a 429 pauses the whole client for Retry-After.
const newReferralsClient = () =>
  createReferralsClient({ baseUrl: cw.world.urls.referrals, http: cw.http('referrals'), tokens });

beforeAll(async () => {
  cw = await startConnectorWorld();
  tokens = await cw.signedInTokens();
  referrals = newReferralsClient();
});
afterAll(() => cw?.close());
afterEach(() => cw.world.traffic.setFaults({}));

const incoming = (input: Record<string, unknown> = {}) =>
  cw.world.referrals.create(input, { as: 'microsoft' });

async function remoteFailure(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RemoteError)) throw new Error(`expected a RemoteError, got ${String(error)}`);
  return error;
}

describe('referrals client', () => {
  it('reads a referral with its eTag and status', async () => {
    const served = incoming({ name: 'Fabrikam - Dynamics rollout' });
    const referral = await referrals.get(served.id);

    expect(referral).toMatchObject({
      id: served.id,
      name: 'Fabrikam - Dynamics rollout',
      eTag: served.eTag,
      status: 'New',
      substatus: 'Pending',
    });
  });

  it('writes changes guarded by the eTag and returns the referral with its new eTag', async () => {
    const served = incoming();
    const updated = await referrals.patch(
      served.id,
      [{ op: 'replace', path: '/externalReferenceId', value: 'lead-123' }],
      served.eTag,
    );

    const stored = cw.world.referrals.get(served.id);
    expect(stored?.externalReferenceId).toBe('lead-123');
    expect(updated.externalReferenceId).toBe('lead-123');
    expect(updated.eTag).toBe(stored?.eTag);
    expect(updated.eTag).not.toBe(served.eTag);
  });

  it('refuses a write on a stale eTag as a conflict, and leaves the referral alone', async () => {
    const served = incoming();
    cw.world.referrals.update(served.id, { details: { notes: 'edited by Microsoft meanwhile' } });
    const failure = await remoteFailure(
      referrals.patch(served.id, [{ op: 'replace', path: '/externalReferenceId', value: 'x' }], served.eTag),
    );

    expect(failure).toMatchObject({
      disposition: 'conflict',
      code: 'referrals_etag_mismatch',
      status: 412,
      remote: 'referrals',
    });
    expect(cw.world.referrals.get(served.id)?.externalReferenceId).toBe(served.externalReferenceId);
  });

  it('lists every matching referral page by page, following nextLink', async () => {
    const name = 'Paging test - Woodgrove';
    const created = Array.from({ length: 5 }, () => incoming({ name }).id);
    cw.world.traffic.reset();

    const pages: string[][] = [];
    for await (const page of referrals.list({ filter: `name eq '${name}'`, top: 2 })) {
      pages.push(page.map((referral) => referral.id));
    }

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().toSorted()).toEqual(created.toSorted());
    expect(await answeredStatuses(cw.world, 'referrals', LIST, 3)).toEqual({ 200: 3 });
  });

  it('says not_found for a referral that does not exist', async () => {
    const failure = await remoteFailure(referrals.get('00000000-0000-4000-8000-000000000000'));
    expect(failure).toMatchObject({ disposition: 'not_found', code: 'referrals_not_found', status: 404 });
  });

  it('says retry, with the Retry-After delay, when Partner Center throttles', async () => {
    const served = incoming();
    cw.world.traffic.setFaults({
      referrals: { endpoints: { [GET_ONE]: { '429': 1, retryAfterSeconds: 7 } } },
    });
    const failure = await remoteFailure(newReferralsClient().get(served.id));

    expect(failure).toMatchObject({
      disposition: 'retry',
      code: 'referrals_throttled',
      status: 429,
      retryAfterMs: 7_000,
      remoteCode: 'tooManyRequests',
    });
  });

  it('links to a referral by its URL under the API base', () => {
    expect(referrals.urlOf('abc')).toBe(`${cw.world.urls.referrals}/abc`);
    expect(referrals.urlOf('a/b c')).toBe(`${cw.world.urls.referrals}/a%2Fb%20c`);
  });
});

describe('referrals client paging', () => {
  /** A Referrals API stand-in on one origin, and another host a forged nextLink points at. */
  async function startApiAndElsewhere() {
    const api = Fastify();
    const elsewhere = Fastify();
    const seenElsewhere: string[] = [];
    let nextLink = '';
    api.get('/v1.0/engagements/referrals', async () => ({ value: [], '@odata.nextLink': nextLink }));
    elsewhere.get('/*', async (request) => {
      seenElsewhere.push(`${request.url} ${request.headers.authorization ?? ''}`);
      return { value: [] };
    });
    const apiOrigin = await listenOnLoopback(api, { https: false });
    const elsewhereOrigin = await listenOnLoopback(elsewhere, { https: false });
    const http = createHttpClient({ remote: 'referrals' });
    const client = createReferralsClient({
      baseUrl: `${apiOrigin}/v1.0/engagements/referrals`,
      http,
      tokens: {
        audience: 'https://api.partner.microsoft.com',
        token: async () => 'user-token',
        invalidate() {},
        fetched: 0,
      },
    });
    return {
      apiOrigin,
      elsewhereOrigin,
      seenElsewhere,
      client,
      setNextLink(link: string) {
        nextLink = link;
      },
      async close() {
        await http.close();
        await api.close();
        await elsewhere.close();
      },
    };
  }

  it.each([
    [
      'another host',
      (o: { elsewhereOrigin: string }) => `${o.elsewhereOrigin}/v1.0/engagements/referrals?$skiptoken=x`,
    ],
    [
      'another path on the API origin',
      (o: { apiOrigin: string }) => `${o.apiOrigin}/v1.0/other?$skiptoken=x`,
    ],
    [
      'a path that climbs out of the API',
      (o: { apiOrigin: string }) => `${o.apiOrigin}/v1.0/engagements/referrals/../../x`,
    ],
  ])('refuses a nextLink to %s without sending the token there', async (_case, linkOf) => {
    const fake = await startApiAndElsewhere();
    try {
      fake.setNextLink(linkOf(fake));
      const pages = fake.client.list({});
      await pages.next();
      const failure = await remoteFailure(pages.next());

      expect(failure).toMatchObject({
        remote: 'referrals',
        disposition: 'dead_letter',
        code: 'referrals_next_link_refused',
      });
      expect(fake.seenElsewhere).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('follows a nextLink that stays under the API path', async () => {
    const fake = await startApiAndElsewhere();
    try {
      let served = 0;
      fake.setNextLink(`${fake.apiOrigin}/v1.0/engagements/referrals?$skiptoken=p2`);
      const pages: unknown[] = [];
      for await (const page of fake.client.list({})) {
        pages.push(page);
        served += 1;
        // The stand-in always offers another page; two pages prove the link was followed.
        if (served === 2) break;
      }
      expect(pages).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });
});

describe('which nextLinks are followed', () => {
  const base = 'https://api.partner.microsoft.com/v1.0/engagements/referrals';
  it.each([
    [`${base}?$skiptoken=abc`, `${base}?$skiptoken=abc`],
    // The 2020 doc example's plain http on the API host is upgraded, never sent over http.
    ['http://api.partner.microsoft.com/v1.0/engagements/referrals?$skiptoken=abc', `${base}?$skiptoken=abc`],
    ['?$skiptoken=rel', `${base}?$skiptoken=rel`],
  ])('follows %s as %s', (link, expected) => {
    expect(checkNextLink(link, base)).toEqual({ ok: true, url: expected });
  });

  it.each([
    'https://api.partner.microsoft.com.evil.example/v1.0/engagements/referrals?$skiptoken=a',
    'https://evil.example/v1.0/engagements/referrals',
    'https://api.partner.microsoft.com:8443/v1.0/engagements/referrals',
    'https://user:pw@api.partner.microsoft.com/v1.0/engagements/referrals',
    'https://api.partner.microsoft.com/v1.0/engagements/referralsX',
    'https://api.partner.microsoft.com/v1.0/engagements/referrals/%2e%2e/%2e%2e/admin',
    'http://api.partner.microsoft.com:80/v1.0/referrals',
    'ftp://api.partner.microsoft.com/v1.0/engagements/referrals',
  ])('refuses %s', (link) => {
    expect(checkNextLink(link, base)).toMatchObject({ ok: false });
  });
});
