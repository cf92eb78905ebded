import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { SecretBox } from './secret-box.ts';

/** Where sealed secrets live (the store implements it). */
export type SecretStore = {
  getSecret(name: string): Promise<Uint8Array | null>;
  putSecret(name: string, value: Uint8Array): Promise<void>;
  /**
   * Runs `work` while no other instance sharing the store runs work under the same name (every storage
   * backend has it; a store that is read by one command only may leave it out).
   */
  withSecretLock?<T>(name: string, work: () => Promise<T>): Promise<T>;
};

/**
 * Persists msal's token cache (accounts and refresh tokens) in the store, sealed by the secret box
 * under its name, so a sign-in survives restarts and the refresh token is never written in clear.
 * After a key rotation the cache is sealed with the new key at its next change (the next token refresh).
 */
export function createTokenCachePlugin(store: SecretStore, box: SecretBox, name: string): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      const sealed = await store.getSecret(name);
      if (sealed) context.tokenCache.deserialize(box.open(name, Buffer.from(sealed)).toString('utf8'));
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (context.cacheHasChanged) {
        await store.putSecret(name, box.seal(name, Buffer.from(context.tokenCache.serialize(), 'utf8')));
      }
    },
  };
}
