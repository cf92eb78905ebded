/**
 * A HubSpot private app's access token as a TokenProvider: static, it does not expire and nothing can
 * renew it (spec crm.md §C2). When HubSpot refuses it, it was rotated or the app deleted, which only the
 * portal admin and a configuration change can fix; the classifier names the key to set.
 */
import type { TokenProvider } from '../../auth/token-provider.ts';

export function createPrivateAppToken(accessToken: string, audience: string): TokenProvider {
  return {
    audience,
    token: () => Promise.resolve(accessToken),
    // Nothing to forget: the next call sends the same token, and a second refusal is dead-lettered.
    invalidate: () => {},
    fetched: 0,
  };
}
