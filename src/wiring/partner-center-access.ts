/**
 * Everything that talks to Partner Center: the signed-in user's app (device-code sign-in, refresh token
 * kept in the store, sealed), the Referrals and webhook-registration clients and their tokens. Needs only
 * the Partner Center keys, so `auth login` and `webhooks …` work before a CRM is configured.
 */
import { credentialKeysAt } from '../auth/credential-keys.ts';
import { resolveEncryptionKey } from '../auth/encryption-key.ts';
import { createMsalApp, createMsalPublicApp } from '../auth/msal-app.ts';
import { createSecretBox } from '../auth/secret-box.ts';
import { createTokenCachePlugin, type SecretStore } from '../auth/token-cache-plugin.ts';
import {
  createAppTokenProvider,
  createDelegatedTokenProvider,
  type TokenProvider,
} from '../auth/token-provider.ts';
import type { Config } from '../config/config-schema.ts';
import { requireKeys } from '../config/load-config.ts';
import type { Logger } from '../observability/logger.ts';
import { createReferralsClient, type ReferralsClient } from '../partner-center/referrals-client.ts';
import { createWebhooksClient, type WebhooksClient } from '../partner-center/webhooks-client.ts';
import type { RemoteClients } from './remote-clients.ts';

export const PARTNER_CENTER_TOKEN_CACHE = 'msal-cache/partner-center';

export type PartnerCenterAccess = {
  /** The Partner Center app registration as a public client: `auth login` signs the user in with it. */
  app: ReturnType<typeof createMsalPublicApp>;
  referrals: ReferralsClient;
  webhooks: WebhooksClient;
  /** The tokens those clients send: the user's for referrals; app-only (with a secret) or the user's for webhooks. */
  tokens: { referrals: TokenProvider; webhooks: TokenProvider };
};

export function createPartnerCenterAccess(
  config: Config,
  deps: { secrets: SecretStore; clients: RemoteClients; logger: Logger },
): PartnerCenterAccess {
  requireKeys(config, ['partnerCenter.tenantId', 'partnerCenter.clientId'], 'to reach Partner Center');
  const pc = config.partnerCenter;
  const box = createSecretBox(resolveEncryptionKey(config, deps.logger));
  const credentialKeys = credentialKeysAt('partnerCenter');
  const registration = {
    authorityHost: config.entra.authorityHost,
    tenantId: pc.tenantId as string,
    clientId: pc.clientId as string,
    clientSecret: pc.clientSecret,
    configKeys: credentialKeys,
  };
  const app = createMsalPublicApp(
    registration,
    deps.clients.entra,
    createTokenCachePlugin(deps.secrets, box, PARTNER_CENTER_TOKEN_CACHE),
  );
  // Instances sharing a store take turns refreshing the user's tokens (one msal cache, one refresh token).
  const lock = deps.secrets.withSecretLock?.bind(deps.secrets);
  const serialize = <T>(refresh: () => Promise<T>) =>
    lock ? lock(PARTNER_CENTER_TOKEN_CACHE, refresh) : refresh();
  // Without a secret the webhook API is called with the signed-in user's token (App+User works there too).
  const webhooksTokens = pc.clientSecret
    ? createAppTokenProvider(createMsalApp(registration, deps.clients.entra), pc.webhooksAudience, {
        credentialKeys,
      })
    : createDelegatedTokenProvider(app, pc.webhooksAudience, { credentialKeys, serialize });
  const referralsTokens = createDelegatedTokenProvider(app, pc.referralsAudience, {
    credentialKeys,
    serialize,
  });
  return {
    app,
    tokens: { referrals: referralsTokens, webhooks: webhooksTokens },
    referrals: createReferralsClient({
      baseUrl: pc.referralsUrl,
      http: deps.clients.client('referrals'),
      tokens: referralsTokens,
    }),
    webhooks: createWebhooksClient({
      baseUrl: pc.webhooksUrl,
      http: deps.clients.client('webhooks'),
      tokens: webhooksTokens,
    }),
  };
}
