import { describe, expect, it } from 'vitest';
import { type AccessTokenClaims, createAccessTokens } from './access-tokens.ts';

const AUDIENCE = 'https://api.partner.microsoft.com';

function claimsAt(seconds: number, overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims {
  return {
    aud: AUDIENCE,
    iss: 'https://login.microsoftonline.com/tenant/v2.0',
    tid: 'tenant',
    oid: 'user',
    sub: 'user',
    appid: 'app',
    ver: '2.0',
    iat: seconds,
    nbf: seconds,
    exp: seconds + 3600,
    ...overrides,
  };
}

describe('emulator access tokens', () => {
  it('accepts a token each time it comes and refuses it once expired, also after it was verified', async () => {
    let nowMs = 1_800_000_000_000;
    const tokens = await createAccessTokens({ now: () => nowMs });
    const token = await tokens.sign(claimsAt(nowMs / 1000));
    expect(await tokens.check(`Bearer ${token}`, AUDIENCE)).toMatchObject({ ok: true });
    expect(await tokens.check(`Bearer ${token}`, AUDIENCE)).toMatchObject({ ok: true });
    nowMs += 3_600_000;
    expect(await tokens.check(`Bearer ${token}`, AUDIENCE)).toEqual({ ok: false, reason: 'expired' });
  });

  it('checks the audience on every request', async () => {
    const tokens = await createAccessTokens({ now: () => 1_800_000_000_000 });
    const token = await tokens.sign(claimsAt(1_800_000_000));
    expect(await tokens.check(`Bearer ${token}`, AUDIENCE)).toMatchObject({ ok: true });
    expect(await tokens.check(`Bearer ${token}`, 'https://org.crm.dynamics.com')).toEqual({
      ok: false,
      reason: 'wrong_audience',
    });
  });

  it('refuses a token not yet valid, and one whose signature does not match', async () => {
    const nowMs = 1_800_000_000_000;
    const tokens = await createAccessTokens({ now: () => nowMs });
    const early = await tokens.sign(claimsAt(nowMs / 1000 + 60));
    expect(await tokens.check(`Bearer ${early}`, AUDIENCE)).toEqual({ ok: false, reason: 'malformed' });
    const good = await tokens.sign(claimsAt(nowMs / 1000));
    const [header, payload] = good.split('.');
    const other = await tokens.sign(claimsAt(nowMs / 1000, { sub: 'someone-else' }));
    const forged = `${header}.${payload}.${other.split('.')[2]}`;
    expect(await tokens.check(`Bearer ${forged}`, AUDIENCE)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await tokens.check(`Bearer ${good}`, AUDIENCE)).toMatchObject({ ok: true });
    expect(await tokens.check(`Bearer ${forged}`, AUDIENCE)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});
