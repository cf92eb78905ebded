/**
 * Partner Center's side of Entra ID: a user is signed in (the device-code sign-in kept in the store),
 * its refresh token still redeems, the token it gives carries MFA (Partner Center refuses App+User calls
 * without it since April 2026), a Referrals read succeeds (the user holds a Referrals role), and the
 * webhook API's token (app-only with a secret, else the user's) is issued.
 */
import { AuthError } from '../auth/token-provider.ts';
import type { Config } from '../config/config-schema.ts';
import { failed, passed, type SetupCheck, skipped } from '../core/setup-check.ts';
import { describeFailure } from '../net/explain-error.ts';
import { RemoteError } from '../net/remote-error.ts';
import type { PartnerCenterAccess } from '../wiring/partner-center-access.ts';

const LOGIN = 'run `referral-connector auth login` as a Partner Center user with the Referrals admin role';

export async function checkPartnerCenterSignIn(
  access: PartnerCenterAccess,
  config: Config,
): Promise<SetupCheck[]> {
  const pc = config.partnerCenter;
  const webhooksLine = `token for ${pc.webhooksAudience}`;
  const checks: SetupCheck[] = [];
  const later = ['refresh token', 'MFA', 'Referrals read'];

  const [account] = await access.app.getTokenCache().getAllAccounts();
  if (!account) {
    checks.push(failed('Partner Center user', 'nobody is signed in', LOGIN));
    checks.push(...later.map((name) => skipped(name, 'needs a signed-in user')));
  } else {
    checks.push(passed('Partner Center user', `${account.username} is signed in`));
    let token: string | undefined;
    try {
      // A forced refresh: redeems the stored refresh token, as the connector does every hour.
      access.tokens.referrals.invalidate();
      token = await access.tokens.referrals.token();
      checks.push(passed('refresh token', `redeemed for a token for ${pc.referralsAudience}`));
    } catch (error) {
      checks.push(tokenFailure('refresh token', error));
      checks.push(...later.slice(1).map((name) => skipped(name, 'needs a token')));
    }
    if (token) {
      checks.push(mfaCheck(token));
      checks.push(await referralsRead(access));
    }
  }

  if (!pc.clientSecret && !account) {
    checks.push(
      skipped(
        webhooksLine,
        "without partnerCenter.clientSecret the user's token is used: needs a signed-in user",
      ),
    );
  } else {
    try {
      await access.tokens.webhooks.token();
      checks.push(
        passed(
          webhooksLine,
          pc.clientSecret ? 'issued to the app (client credentials)' : "the user's, issued",
        ),
      );
    } catch (error) {
      checks.push(tokenFailure(webhooksLine, error));
    }
  }
  return checks;
}

/** `amr` of the access token: Entra's own statement of how the user signed in (read, not verified). */
function mfaCheck(token: string): SetupCheck {
  const amr = claimsOf(token)?.amr;
  const methods = Array.isArray(amr) ? amr.map(String) : [];
  if (methods.includes('mfa')) return passed('MFA', `the user's token says ${methods.join(', ')}`);
  return failed(
    'MFA',
    methods.length > 0
      ? `the user's token says ${methods.join(', ')}, without mfa: Partner Center refuses such App+User calls`
      : "the user's token says nothing of MFA (no amr claim): Partner Center refuses App+User calls without it",
    'sign in again with `referral-connector auth login` (device code), as a user with multi-factor authentication',
  );
}

async function referralsRead(access: PartnerCenterAccess): Promise<SetupCheck> {
  const name = 'Referrals read';
  try {
    const pages = access.referrals.list({ top: 1 });
    const first = await pages.next();
    await pages.return(undefined);
    const count = first.done ? 0 : first.value.length;
    return passed(name, `listing referrals answered (${count === 0 ? 'none yet' : 'at least one'})`);
  } catch (error) {
    if (error instanceof RemoteError && error.status === 403) {
      return failed(
        name,
        `refused (403${error.remoteCode ? ` ${error.remoteCode}` : ''}): ${error.message}`,
        'give the user the Referrals admin (or Referrals user) role in Partner Center, and sign in with MFA',
      );
    }
    return tokenFailure(name, error);
  }
}

function tokenFailure(name: string, error: unknown): SetupCheck {
  if (error instanceof AuthError && error.code === 'login_required')
    return failed(name, error.message, LOGIN);
  if (error instanceof AuthError && error.code === 'credential_rejected') {
    return failed(name, error.message, `fix ${error.configKeys.map((key) => `\`${key}\``).join(' or ')}`);
  }
  const { problem, fix } = describeFailure(error);
  return failed(
    name,
    problem,
    fix ?? 'run doctor again; if it fails the same way, check the Entra app registration',
  );
}

function claimsOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
