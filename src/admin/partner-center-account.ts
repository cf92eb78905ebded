/**
 * Who is signed in to Partner Center for the connector, and until when its current access token is
 * valid, read from msal's token cache. Only the account name and an expiry leave this function: never a
 * token.
 */
import type { PublicClientApplication } from '@azure/msal-node';

export type PartnerCenterAccount = { username: string; accessTokenExpiresAt: string | null };

type CacheJson = {
  AccessToken?: Record<string, { home_account_id?: string; expires_on?: string; target?: string }>;
};

export async function partnerCenterAccount(
  app: PublicClientApplication,
  audience: string,
): Promise<PartnerCenterAccount | null> {
  const cache = app.getTokenCache();
  const [account] = await cache.getAllAccounts();
  if (!account) return null;
  const entries = Object.values((JSON.parse(cache.serialize()) as CacheJson).AccessToken ?? {});
  const wanted = audience.replace(/\/+$/, '').toLowerCase();
  const expiries = entries
    .filter(
      (entry) =>
        entry.home_account_id === account.homeAccountId &&
        (entry.target ?? '').toLowerCase().includes(wanted),
    )
    .map((entry) => Number(entry.expires_on) * 1000)
    .filter((ms) => Number.isFinite(ms));
  const latest = expiries.length > 0 ? Math.max(...expiries) : undefined;
  return {
    username: account.username,
    accessTokenExpiresAt: latest === undefined ? null : new Date(latest).toISOString(),
  };
}
