import { readFileSync } from 'node:fs';
import { PARTNER_CENTER_AUDIENCES } from '@referral-connector/emulators';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorWorld,
  createMemorySecretStore,
  DEVICE_CODE_ENDPOINT,
  startConnectorWorld,
  TOKEN_CACHE_NAME,
  waitFor,
} from '../../test/support/connector-world.ts';
import { createSqliteBackend } from '../store/sqlite/create-sqlite-backend.ts';
import { databasePathIn, useTempDirectory } from '../store/sqlite/test-support.ts';
import { loginWithDeviceCode } from './device-code-login.ts';
import { createSecretBox, SecretBoxError } from './secret-box.ts';
import { AuthError, createDelegatedTokenProvider } from './token-provider.ts';

const REFERRALS = PARTNER_CENTER_AUDIENCES.referrals;
const WEBHOOKS = PARTNER_CENTER_AUDIENCES.webhooks;
// Shorter than msal's own five-minute renewal offset, so msal never answers from its cache and every
// refresh of ours is visible as a request to Entra.
const TOKEN_LIFETIME_SECONDS = 60;

let cw: ConnectorWorld;
beforeAll(async () => {
  cw = await startConnectorWorld({ entra: { tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS } });
});
afterAll(() => cw?.close());

/** Token requests Entra answered since `since`, once at least `expected` have been counted. */
async function tokenRequestsSince(since: number, expected: number): Promise<number> {
  await waitFor(() => cw.tokenRequests() - since >= expected, `${expected} token requests`);
  return cw.tokenRequests() - since;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function refreshTokenIn(serializedCache: string): string {
  const cache = JSON.parse(serializedCache) as { RefreshToken?: Record<string, { secret: string }> };
  const [entry] = Object.values(cache.RefreshToken ?? {});
  if (!entry) throw new Error('no refresh token in the msal cache');
  return entry.secret;
}

describe('app token provider', () => {
  it('fetches a token for the audience once and serves the next call from its cache', async () => {
    const tokens = cw.appTokens(WEBHOOKS);
    const before = cw.tokenRequests();
    const first = await tokens.token();
    const second = await tokens.token();

    expect(second).toBe(first);
    expect(await tokenRequestsSince(before, 1)).toBe(1);
    expect(tokens.fetched).toBe(1);
    expect(decodeJwt(first)).toMatchObject({ aud: WEBHOOKS, tid: cw.world.credentials.tenant });
  });

  it('lets concurrent callers share one request to Entra', async () => {
    const tokens = cw.appTokens(WEBHOOKS);
    const before = cw.tokenRequests();
    const all = await Promise.all(Array.from({ length: 8 }, () => tokens.token()));

    expect(new Set(all).size).toBe(1);
    expect(await tokenRequestsSince(before, 1)).toBe(1);
  });

  it('fetches a new token after invalidate()', async () => {
    const tokens = cw.appTokens(WEBHOOKS);
    const before = cw.tokenRequests();
    await tokens.token();
    tokens.invalidate();
    await tokens.token();

    expect(await tokenRequestsSince(before, 2)).toBe(2);
    expect(tokens.fetched).toBe(2);
  });

  it('refreshes a short-lived token halfway through its lifetime, before it expires', async () => {
    let offset = 0;
    const tokens = cw.appTokens(WEBHOOKS, () => Date.now() + offset);
    const before = cw.tokenRequests();
    const first = await tokens.token();
    expect(await tokenRequestsSince(before, 1)).toBe(1);

    offset = (TOKEN_LIFETIME_SECONDS / 2 - 5) * 1000;
    expect(await tokens.token()).toBe(first);
    expect(tokens.fetched).toBe(1);

    offset = (TOKEN_LIFETIME_SECONDS / 2 + 1) * 1000;
    await tokens.token();
    expect(await tokenRequestsSince(before, 2)).toBe(2);
    expect(tokens.fetched).toBe(2);
  });

  it('reports a token Entra refuses as token_request_failed, without the client secret in the message', async () => {
    const failure = await rejection(cw.appTokens('https://not-a-registered-api.example').token());
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as AuthError).code).toBe('token_request_failed');
    expect((failure as Error).message).not.toContain(cw.world.credentials.clientSecret);
  });
});

describe('delegated token provider', () => {
  it('asks for a sign-in (login_required) while no user is signed in', async () => {
    const tokens = createDelegatedTokenProvider(cw.publicApp(), REFERRALS);
    const failure = await rejection(tokens.token());
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as AuthError).code).toBe('login_required');
  });

  it('gives user tokens after a device code sign-in', async () => {
    const app = cw.publicApp();
    const shown: string[] = [];
    const user = await loginWithDeviceCode(app, REFERRALS, (message) => shown.push(message));
    const token = await createDelegatedTokenProvider(app, REFERRALS).token();

    expect(user).toEqual({ username: cw.world.credentials.username, tenantId: cw.world.credentials.tenant });
    expect(shown).toHaveLength(1);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ aud: REFERRALS, upn: cw.world.credentials.username });
    expect(String(claims.scp).split(' ')).toContain('user_impersonation');
  });

  it('asks for a sign-in again once the refresh token is revoked', async () => {
    const tokens = await cw.signedInTokens(REFERRALS);
    await tokens.token();
    cw.world.entra.revokeRefreshTokens(cw.world.credentials.username);
    tokens.invalidate();

    const failure = await rejection(tokens.token());
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as AuthError).code).toBe('login_required');
  });
});

describe('token cache persisted in the store', () => {
  const tempDirectory = useTempDirectory();

  it('keeps the sign-in across a new app and a reopened database', async () => {
    const path = databasePathIn(tempDirectory());
    const box = createSecretBox({ current: Buffer.alloc(32, 7) });
    const first = createSqliteBackend({ path });
    await loginWithDeviceCode(cw.publicApp(first.store, box), REFERRALS, () => {});
    await first.close();

    const devicecodes = cw.world.traffic.counters().entra.byEndpoint[DEVICE_CODE_ENDPOINT]?.count;
    const reopened = createSqliteBackend({ path });
    try {
      const token = await createDelegatedTokenProvider(cw.publicApp(reopened.store, box), REFERRALS).token();
      expect(decodeJwt(token)).toMatchObject({ aud: REFERRALS, upn: cw.world.credentials.username });
      expect(cw.world.traffic.counters().entra.byEndpoint[DEVICE_CODE_ENDPOINT]?.count).toBe(devicecodes);
    } finally {
      await reopened.close();
    }
  });

  it('never writes the refresh token in clear when a key is set', async () => {
    const path = databasePathIn(tempDirectory());
    const backend = createSqliteBackend({ path });
    const app = cw.publicApp(backend.store, createSecretBox({ current: Buffer.alloc(32, 9) }));
    await loginWithDeviceCode(app, REFERRALS, () => {});
    const refreshToken = refreshTokenIn(await app.getTokenCache().serialize());

    const stored = await backend.store.getSecret(TOKEN_CACHE_NAME);
    expect(stored).not.toBeNull();
    expect(Buffer.from(stored ?? []).includes(refreshToken)).toBe(false);
    await backend.close();
    for (const file of [path, `${path}-wal`]) {
      const bytes = readFileSyncIfPresent(file);
      expect(bytes.includes(refreshToken), file).toBe(false);
    }
  });

  it('fails with secret_unreadable when the cache was sealed with another key', async () => {
    const store = createMemorySecretStore();
    await loginWithDeviceCode(
      cw.publicApp(store, createSecretBox({ current: Buffer.alloc(32, 1) })),
      REFERRALS,
      () => {},
    );
    const otherKey = createSecretBox({ current: Buffer.alloc(32, 2) });
    const failure = await rejection(
      createDelegatedTokenProvider(cw.publicApp(store, otherKey), REFERRALS).token(),
    );

    expect(failure).toBeInstanceOf(SecretBoxError);
  });
});

function readFileSyncIfPresent(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
