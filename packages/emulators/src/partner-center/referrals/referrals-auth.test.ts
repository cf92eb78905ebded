import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, REFERRALS_PATH, type ReferralsWorld, startReferralsWorld } from './test-support.ts';

let world: ReferralsWorld;

beforeAll(async () => {
  world = await startReferralsWorld({ seedCount: 3 });
});
afterAll(() => world.close());

const listWith = (token: string | null) => world.call('GET', REFERRALS_PATH, { token });

describe('authentication', () => {
  it('serves a delegated user_impersonation token with MFA', async () => {
    const response = await listWith(await world.token());
    expect(response.status).toBe(200);
  });

  it('answers 401 unauthenticated with a Bearer challenge when the token is missing', async () => {
    const response = await listWith(null);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(json(response).error).toMatchObject({ code: 'unauthenticated' });
  });

  it('answers 401 for a token issued for another audience', async () => {
    const response = await listWith(await world.token({ aud: 'https://graph.windows.net' }));
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(json(response).error).toMatchObject({
      code: 'unauthenticated',
      innerError: { code: 'invalidAudience' },
    });
  });

  it('answers 401 for an expired token', async () => {
    const token = await world.token();
    world.clock.advance(2 * 3_600_000);
    const response = await listWith(token);
    expect(response.status).toBe(401);
    expect(json(response).error).toMatchObject({
      code: 'unauthenticated',
      innerError: { code: 'invalidToken' },
    });
  });

  it('refuses an app-only token with 403 accessDenied', async () => {
    const appOnly = await world.token({
      scp: undefined,
      roles: ['Referrals.ReadWrite.All'],
      idtyp: 'app',
      amr: undefined,
    });
    const response = await listWith(appOnly);
    expect(response.status).toBe(403);
    expect(json(response).error).toMatchObject({
      code: 'accessDenied',
      innerError: { code: 'appOnlyTokenNotSupported' },
    });
  });

  it('refuses a delegated token without user_impersonation', async () => {
    const response = await listWith(await world.token({ scp: 'openid profile' }));
    expect(response.status).toBe(403);
    expect(json(response).error).toMatchObject({ innerError: { code: 'missingScope' } });
  });

  it('refuses a token from another tenant', async () => {
    const response = await listWith(await world.token({ tid: '11111111-2222-4333-8444-555555555555' }));
    expect(response.status).toBe(403);
    expect(json(response).error).toMatchObject({ innerError: { code: 'tenantNotAuthorized' } });
  });

  it('refuses a token without MFA with 403 and an insufficient_claims challenge, unless MFA is not required', async () => {
    const passwordOnly = await world.token({ amr: ['pwd'] });
    const refused = await listWith(passwordOnly);
    expect(refused.status).toBe(403);
    expect(refused.headers['www-authenticate']).toContain('error="insufficient_claims"');
    expect(json(refused).error).toMatchObject({ code: 'accessDenied', innerError: { code: 'mfaRequired' } });

    world.state.setKnobs({ requireMfa: false });
    try {
      expect((await listWith(passwordOnly)).status).toBe(200);
    } finally {
      world.state.setKnobs({ requireMfa: true });
    }
  });

  it('authenticates writes too, before looking at the body', async () => {
    const response = await world.call('POST', REFERRALS_PATH, { token: null, body: { nonsense: true } });
    expect(response.status).toBe(401);
    expect(world.state.all()).toHaveLength(3);
  });
});

describe('requireMfa option', () => {
  it('accepts tokens without MFA when the emulator is created with requireMfa false', async () => {
    const relaxed = await startReferralsWorld({ requireMfa: false });
    try {
      const response = await relaxed.call('GET', REFERRALS_PATH, {
        token: await relaxed.token({ amr: ['pwd'] }),
      });
      expect(response.status).toBe(200);
    } finally {
      await relaxed.close();
    }
  });
});
