import type { Config } from '../config/config-schema.ts';
import { createLogger } from '../observability/logger.ts';
import { openBackend } from '../wiring/open-backend.ts';
import { createPartnerCenterAccess, type PartnerCenterAccess } from '../wiring/partner-center-access.ts';
import { createRemoteClients } from '../wiring/remote-clients.ts';

/**
 * Runs a command that talks only to Partner Center (`auth login`, `webhooks …`): the store (which keeps
 * the sealed sign-in) and the Partner Center clients, no CRM, no server, no workers.
 */
export async function withPartnerCenter<T>(
  config: Config,
  run: (partnerCenter: PartnerCenterAccess) => Promise<T>,
): Promise<T> {
  const clients = createRemoteClients(config);
  const backend = await openBackend(config);
  try {
    const access = createPartnerCenterAccess(config, {
      secrets: backend.store,
      clients,
      logger: createLogger({ level: 'warn' }),
    });
    return await run(access);
  } finally {
    await Promise.allSettled([clients.closeAll(), backend.close()]);
  }
}
