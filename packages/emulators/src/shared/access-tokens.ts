/**
 * JWT access tokens as Entra ID issues them (RS256, `kid` header, v1 or v2 claims), minted by the Entra
 * emulator and checked by the emulated resource servers (Partner Center, Dataverse) the way the real
 * ones do: signature, lifetime and audience.
 */
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';

export type AccessTokenClaims = {
  aud: string;
  iss: string;
  tid: string;
  /** Object id of the user, or of the app's service principal for app-only tokens. */
  oid: string;
  sub: string;
  /** Client id of the app the token was issued to (v1 `appid`, v2 `azp`). */
  appid: string;
  ver: '1.0' | '2.0';
  /** Delegated (App+User) tokens: space-separated scopes. */
  scp?: string;
  /** App-only tokens: application roles. */
  roles?: string[];
  upn?: string;
  name?: string;
  /** Authentication methods, e.g. ["pwd"] or ["pwd", "mfa"]. */
  amr?: string[];
  idtyp?: 'app' | 'user';
  iat: number;
  nbf: number;
  exp: number;
};

export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'bad_signature' | 'expired' | 'wrong_audience' };

export type AccessTokens = {
  keyId: string;
  sign(claims: AccessTokenClaims): Promise<string>;
  /** Checks an `Authorization` header value for a Bearer token valid for the audience. */
  check(authorization: string | undefined, audience: string | readonly string[]): Promise<TokenCheck>;
  /** The public signing keys, as served at the JWKS URI. */
  jwks(): { keys: JWK[] };
};

/** Verified tokens remembered at most; then the memory starts over. */
const VERIFIED_LIMIT = 1_000;

export async function createAccessTokens(options: { now?: () => number } = {}): Promise<AccessTokens> {
  const now = options.now ?? Date.now;
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const keyId = `emu-${Math.floor(now() / 1000).toString(36)}`;
  const publicJwk: JWK = {
    ...(await exportJWK(publicKey)),
    kid: keyId,
    use: 'sig',
    alg: 'RS256',
    kty: 'RSA',
  };

  // Tokens whose signature has been verified, so that each request costs a signature check only the first
  // time a token is seen (jose's verification, WebCrypto RSA included, was ~9 % of the bench harness's main
  // thread in a quick e2e profile, 0.1 % after). Expiry, not-before and audience are still checked on
  // every request.
  const verified = new Map<string, AccessTokenClaims>();
  const checkTimes = (claims: AccessTokenClaims): TokenCheck => {
    const seconds = Math.floor(now() / 1000);
    if (claims.exp <= seconds) return { ok: false, reason: 'expired' };
    if (claims.nbf > seconds) return { ok: false, reason: 'malformed' };
    return { ok: true, claims };
  };

  return {
    keyId,
    sign: (claims) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keyId })
        .sign(privateKey as CryptoKey),
    async check(authorization, audience) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
      if (!authorization) return { ok: false, reason: 'missing' };
      if (!match?.[1]) return { ok: false, reason: 'malformed' };
      const token = match[1];
      const audiences = typeof audience === 'string' ? [audience] : [...audience];
      const known = verified.get(token);
      if (known) {
        const timely = checkTimes(known);
        if (timely.ok && !audiences.includes(known.aud)) return { ok: false, reason: 'wrong_audience' };
        return timely;
      }
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: ['RS256'],
          currentDate: new Date(now()),
          clockTolerance: 0,
        });
        const claims = payload as unknown as AccessTokenClaims;
        if (verified.size >= VERIFIED_LIMIT) verified.clear();
        verified.set(token, claims);
        if (!audiences.includes(claims.aud)) return { ok: false, reason: 'wrong_audience' };
        return { ok: true, claims };
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'expired' };
        if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { ok: false, reason: 'bad_signature' };
        return { ok: false, reason: 'malformed' };
      }
    },
    jwks: () => ({ keys: [publicJwk] }),
  };
}
