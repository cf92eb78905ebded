import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { SecretBox } from './secret-box.ts';

/** Where sealed secrets live (the store implements it). */
export type SecretStore = {
  getSecret(name: string): Promise<Uint8Array | null>;
  putSecret(name: string, value: Uint8Array): Promise<void>;
};

/**
 * Persists msal's token cache (accounts and refresh tokens) in the store, sealed by the secret box,
 * so a sign-in survives restarts and the refresh token is never written in clear when a key is set.
 */
export function createTokenCachePlugin(store: SecretStore, box: SecretBox, name: string): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      const sealed = await store.getSecret(name);
      if (sealed) context.tokenCache.deserialize(box.open(Buffer.from(sealed)).toString('utf8'));
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (context.cacheHasChanged) {
        await store.putSecret(name, box.seal(Buffer.from(context.tokenCache.serialize(), 'utf8')));
      }
    },
  };
}
