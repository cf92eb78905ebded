/**
 * What a command that syncs outside `serve` builds (`backfill`): the store of an existing data
 * directory (it holds the Partner Center sign-in), the Referrals client, and the CRM adapter, built only
 * when first asked for: a dry run, or a backfill whose syncs a running serve does, needs no CRM settings.
 */
import type { SecretStore } from '../auth/token-cache-plugin.ts';
import type { Config } from '../config/config-schema.ts';
import { createCrmAdapter } from '../crm/create-crm-adapter.ts';
import type { CrmAdapter } from '../crm/crm-adapter.ts';
import type { Logger } from '../observability/logger.ts';
import type { ReferralsClient } from '../partner-center/referrals-client.ts';
import type { StorageBackend } from '../store/ports.ts';
import { openExistingBackend } from './open-backend.ts';
import { createPartnerCenterAccess } from './partner-center-access.ts';
import { createRemoteClients } from './remote-clients.ts';

export type SyncParts = {
  backend: StorageBackend;
  referrals: ReferralsClient;
  /** The CRM adapter `crm.kind` names; a configuration error is thrown here, on first use. */
  crm(): CrmAdapter;
  close(): Promise<void>;
};

export async function openSyncParts(
  config: Config,
  options: {
    logger: Logger;
    /**
     * Writes nothing to the store: the refreshed token cache is not saved back. The stored refresh
     * token stays valid (Entra does not revoke a redeemed one), so nothing is lost.
     */
    readOnly?: boolean;
  },
): Promise<SyncParts> {
  const clients = createRemoteClients(config);
  let backend: StorageBackend | undefined;
  try {
    backend = await openExistingBackend(config);
    const store = backend.store;
    const secrets: SecretStore = options.readOnly
      ? { getSecret: (name) => store.getSecret(name), putSecret: async () => {} }
      : store;
    const access = createPartnerCenterAccess(config, { secrets, clients, logger: options.logger });
    let crm: CrmAdapter | undefined;
    const opened = backend;
    return {
      backend: opened,
      referrals: access.referrals,
      crm() {
        const { tenantId, clientId, clientSecret } = config.partnerCenter;
        crm ??= createCrmAdapter(config.crm, {
          authorityHost: config.entra.authorityHost,
          partnerCenterApp: { tenantId, clientId, clientSecret },
          httpClient: clients.client,
          entraHttp: clients.entra,
        });
        return crm;
      },
      async close() {
        await Promise.allSettled([crm?.close(), clients.closeAll()]);
        await opened.close();
      },
    };
  } catch (error) {
    await Promise.allSettled([clients.closeAll(), backend?.close()]);
    throw error;
  }
}
