/**
 * Signs a Partner Center user in with the device code flow (works with MFA, unlike the password grant)
 * and leaves the refresh token in msal's cache, which the cache plugin persists sealed in the store.
 * The legacy password grant (ROPC) is kept for tenants that still allow it, under an explicit name.
 */
import type { PublicClientApplication } from '@azure/msal-node';
import { AuthError, unexplainedFailure } from './token-provider.ts';

export type SignedInUser = { username: string; tenantId: string };

export async function loginWithDeviceCode(
  app: PublicClientApplication,
  audience: string,
  showCode: (message: string) => void,
): Promise<SignedInUser> {
  try {
    const result = await app.acquireTokenByDeviceCode({
      scopes: [`${audience.replace(/\/$/, '')}/user_impersonation`, 'offline_access'],
      deviceCodeCallback: (response) => showCode(response.message),
    });
    if (!result?.account)
      throw new AuthError('token_request_failed', 'the device code sign-in returned no account');
    return { username: result.account.username, tenantId: result.account.tenantId };
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw unexplainedFailure(audience, error, app);
  }
}

/** Resource owner password grant: cannot satisfy MFA, which Partner Center enforces since April 2026. */
export async function loginWithPasswordLegacy(
  app: PublicClientApplication,
  audience: string,
  credentials: { username: string; password: string },
): Promise<SignedInUser> {
  try {
    const result = await app.acquireTokenByUsernamePassword({
      scopes: [`${audience.replace(/\/$/, '')}/user_impersonation`, 'offline_access'],
      username: credentials.username,
      password: credentials.password,
    });
    if (!result?.account)
      throw new AuthError('token_request_failed', 'the password sign-in returned no account');
    return { username: result.account.username, tenantId: result.account.tenantId };
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw unexplainedFailure(audience, error, app);
  }
}
