/**
 * Who may call the emulated Referrals API, decided like the real one: a valid Entra token for
 * `https://api.partner.microsoft.com`, issued in the partner's tenant, delegated (App+User with
 * `user_impersonation`), and, since MFA enforcement (April 2026), carrying `mfa` in `amr`.
 * The status codes for the last three refusals are unconfirmed; see README.
 */
import type { AccessTokenClaims, AccessTokens, TokenCheck } from '../../shared/access-tokens.ts';
import { ReferralsError } from './referrals-error.ts';

export type ReferralsAuthOptions = {
  tokens: AccessTokens;
  audience: string;
  /** The partner's Entra tenant; tokens from other tenants are refused. */
  tenantId: string;
  requireMfa: () => boolean;
};

/** Resolves to the caller's claims or throws the `ReferralsError` the API answers with. */
export type ReferralsAuthenticator = (authorization: string | undefined) => Promise<AccessTokenClaims>;

const UNAUTHENTICATED: Record<Exclude<TokenCheck, { ok: true }>['reason'], string> = {
  missing: 'The Authorization header is missing; send a Bearer access token.',
  malformed: 'The access token is malformed or not a Bearer token.',
  bad_signature: 'The access token signature is invalid.',
  expired: 'The access token has expired.',
  wrong_audience: 'The access token audience is not valid for this API.',
};

/** The claims challenge Entra clients understand: ask for a token whose `amr` includes `mfa`. */
const MFA_CLAIMS_CHALLENGE = Buffer.from(
  JSON.stringify({ access_token: { amr: { values: ['mfa'] } } }),
).toString('base64');

export function createReferralsAuthenticator(options: ReferralsAuthOptions): ReferralsAuthenticator {
  return async (authorization) => {
    const check = await options.tokens.check(authorization, options.audience);
    if (!check.ok) {
      const description = UNAUTHENTICATED[check.reason];
      throw new ReferralsError(401, 'unauthenticated', description, {
        innerError: {
          code: check.reason === 'wrong_audience' ? 'invalidAudience' : 'invalidToken',
          message: description,
        },
        headers: {
          'www-authenticate':
            check.reason === 'missing'
              ? 'Bearer'
              : `Bearer error="invalid_token", error_description="${description}"`,
        },
      });
    }
    const { claims } = check;
    if (claims.tid !== options.tenantId) {
      throw accessDenied('tenantNotAuthorized', `Tenant '${claims.tid}' has no access to these referrals.`);
    }
    const scopes = (claims.scp ?? '').split(' ');
    if (claims.scp === undefined || claims.scp === '') {
      throw accessDenied(
        'appOnlyTokenNotSupported',
        'This API supports only App+User (delegated) tokens; app-only tokens are not supported.',
      );
    }
    if (!scopes.includes('user_impersonation')) {
      throw accessDenied('missingScope', "The access token lacks the delegated scope 'user_impersonation'.");
    }
    if (options.requireMfa() && !(claims.amr ?? []).includes('mfa')) {
      throw new ReferralsError(
        403,
        'accessDenied',
        'Multi-factor authentication is required: sign in with MFA and use a token whose amr claim includes mfa.',
        {
          innerError: {
            code: 'mfaRequired',
            message: 'The access token was issued without multi-factor authentication.',
          },
          headers: {
            'www-authenticate': `Bearer error="insufficient_claims", error_description="MFA required", claims="${MFA_CLAIMS_CHALLENGE}"`,
          },
        },
      );
    }
    return claims;
  };
}

function accessDenied(code: string, message: string): ReferralsError {
  return new ReferralsError(403, 'accessDenied', message, { innerError: { code, message } });
}
