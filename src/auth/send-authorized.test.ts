import { createServer } from 'node:net';
import { PARTNER_CENTER_AUDIENCES } from '@referral-connector/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  answeredStatuses,
  type ConnectorWorld,
  startConnectorWorld,
} from '../../test/support/connector-world.ts';
import type { HttpClient, HttpResponse } from '../net/http-client.ts';
import { RemoteError } from '../net/remote-error.ts';
import { classifyPartnerCenterResponse } from '../partner-center/classify-partner-center-error.ts';
import { sendAuthorized } from './send-authorized.ts';
import type { TokenProvider } from './token-provider.ts';

const GET_REFERRAL = 'GET /v1.0/engagements/referrals/:id';

let cw: ConnectorWorld;
let http: HttpClient;
let userTokens: TokenProvider;
let referralId: string;

beforeAll(async () => {
  cw = await startConnectorWorld();
  http = cw.http('referrals');
  userTokens = await cw.signedInTokens(PARTNER_CENTER_AUDIENCES.referrals);
  referralId = cw.world.referrals.create({}, { as: 'microsoft' }).id;
});
afterAll(() => cw?.close());
beforeEach(() => cw.world.traffic.reset());

/** A provider whose cached token has gone stale: the first token is refused, fresh ones are real. */
function withStaleFirstToken(real: TokenProvider): TokenProvider & { invalidations: number } {
  let stale = true;
  let invalidations = 0;
  return {
    audience: real.audience,
    token: () => (stale ? Promise.resolve('eyJhbGciOiJub25lIn0.e30.stale') : real.token()),
    invalidate() {
      stale = false;
      invalidations += 1;
      real.invalidate();
    },
    get fetched() {
      return real.fetched;
    },
    get invalidations() {
      return invalidations;
    },
  };
}

const getReferral = (tokens: TokenProvider, client: HttpClient = http, url?: string) =>
  sendAuthorized(
    client,
    tokens,
    { method: 'GET', url: url ?? `${cw.world.urls.referrals}/${referralId}` },
    (response: HttpResponse) => response.status === 200,
    (response: HttpResponse) => classifyPartnerCenterResponse('referrals', response, 'GET referral'),
  );

async function failureOf(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RemoteError)) throw new Error(`expected a RemoteError, got ${String(error)}`);
  return error;
}

const statusesSeen = (count: number) => answeredStatuses(cw.world, 'referrals', GET_REFERRAL, count);

describe('sendAuthorized', () => {
  it('sends the bearer token and returns the successful response', async () => {
    const response = await getReferral(userTokens);
    expect(response.status).toBe(200);
    expect((response.json() as { id: string }).id).toBe(referralId);
    expect(await statusesSeen(1)).toEqual({ 200: 1 });
  });

  it('replaces a refused token and makes the call once more', async () => {
    const tokens = withStaleFirstToken(userTokens);
    const response = await getReferral(tokens);

    expect(response.status).toBe(200);
    expect(tokens.invalidations).toBe(1);
    expect(await statusesSeen(2)).toEqual({ 200: 1, 401: 1 });
  });

  it('dead-letters when a fresh token is refused too (a configuration problem)', async () => {
    // An app token for the webhook API: valid, but for another audience, so the Referrals API refuses it.
    const wrongAudience = cw.appTokens(PARTNER_CENTER_AUDIENCES.webhooks);
    const failure = await failureOf(getReferral(wrongAudience));

    expect(failure).toMatchObject({
      disposition: 'dead_letter',
      code: 'referrals_unauthorized',
      status: 401,
      remote: 'referrals',
    });
    expect(failure.message).toContain('a fresh token was refused too');
    expect(await statusesSeen(2)).toEqual({ 401: 2 });
  });

  it('retries later, not dead-letters, when a remote whose sessions die on their own refuses a fresh one too', async () => {
    const wrongAudience = cw.appTokens(PARTNER_CENTER_AUDIENCES.webhooks);
    const failure = await failureOf(
      sendAuthorized(
        http,
        wrongAudience,
        { method: 'GET', url: `${cw.world.urls.referrals}/${referralId}` },
        (response) => response.status === 200,
        (response) => classifyPartnerCenterResponse('referrals', response, 'GET referral'),
        { repeatedRefusal: 'session' },
      ),
    );
    expect(failure).toMatchObject({ disposition: 'retry', status: 401 });
  });

  it('renews a token refused to many concurrent calls once, and keeps the fresh one', async () => {
    let fresh = 0;
    let cached = 'stale';
    const tokens: TokenProvider = {
      audience: userTokens.audience,
      token: async () => {
        if (cached === 'stale') return cached;
        return userTokens.token();
      },
      invalidate(refused) {
        if (refused !== undefined && refused !== cached) return;
        fresh += 1;
        cached = 'fresh';
      },
      fetched: 0,
    };
    const responses = await Promise.all(Array.from({ length: 5 }, () => getReferral(tokens)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(fresh).toBe(1);
  });

  it('does not retry a refusal that a new token cannot fix (403)', async () => {
    // App-only tokens for the Referrals audience are valid tokens of the wrong kind: 403.
    const appOnly = cw.appTokens(PARTNER_CENTER_AUDIENCES.referrals);
    const failure = await failureOf(getReferral(appOnly));

    expect(failure).toMatchObject({ disposition: 'dead_letter', code: 'referrals_forbidden', status: 403 });
    expect(await statusesSeen(1)).toEqual({ 403: 1 });
  });

  it('holds every call to a throttled remote until its Retry-After has passed', async () => {
    const client = cw.http('referrals');
    cw.world.traffic.setFaults({
      referrals: { endpoints: { [GET_REFERRAL]: { '429': 1, retryAfterSeconds: 1 } } },
    });
    try {
      const failure = await failureOf(getReferral(userTokens, client));
      expect(failure).toMatchObject({ disposition: 'retry', retryAfterMs: 1_000 });
    } finally {
      cw.world.traffic.setFaults({});
    }
    const started = Date.now();
    const response = await getReferral(userTokens, client);

    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await statusesSeen(2)).toEqual({ 200: 1, 429: 1 });
  });

  it('turns a remote that cannot be reached into a retryable RemoteError', async () => {
    const port = await closedPort();
    const failure = await failureOf(
      getReferral(userTokens, cw.http('referrals'), `https://127.0.0.1:${port}/v1.0/engagements/referrals/x`),
    );
    expect(failure).toMatchObject({
      disposition: 'retry',
      code: 'referrals_connection',
      remote: 'referrals',
    });
  });
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
