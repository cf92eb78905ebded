import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectorWorld,
  createMemorySecretStore,
  startConnectorWorld,
} from '../../test/support/connector-world.ts';
import { loginWithDeviceCode } from '../auth/device-code-login.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../observability/logger.ts';
import { useTempDirectory } from '../store/sqlite/test-support.ts';
import { createPartnerCenterAccess, PARTNER_CENTER_TOKEN_CACHE } from './partner-center-access.ts';
import { createRemoteClients } from './remote-clients.ts';

let cw: ConnectorWorld;
const tempDirectory = useTempDirectory();

beforeAll(async () => {
  cw = await startConnectorWorld();
});
afterAll(() => cw?.close());

describe('Partner Center access as configured', () => {
  it('stores the sign-in encrypted though no encryption key is configured', async () => {
    const directory = tempDirectory();
    const caFile = join(directory, 'tls-ca.pem');
    writeFileSync(caFile, cw.world.tlsCaPem ?? '');
    const config = loadConfig({
      env: {},
      ignoreDefaultFile: true,
      overrides: {
        dataDir: join(directory, 'data'),
        'entra.authorityHost': cw.world.urls.entra,
        'partnerCenter.tenantId': cw.world.credentials.tenant,
        'partnerCenter.clientId': cw.world.credentials.clientId,
        'partnerCenter.referralsUrl': cw.world.urls.referrals,
        'partnerCenter.webhooksUrl': cw.world.urls.webhooks,
        'tls.extraCaFile': caFile,
      },
    });
    const secrets = createMemorySecretStore();
    const clients = createRemoteClients(config);
    try {
      const access = createPartnerCenterAccess(config, {
        secrets,
        clients,
        logger: createLogger({ level: 'silent' }),
      });
      await loginWithDeviceCode(access.app, 'https://api.partner.microsoft.com', () => {});
      const cache = JSON.parse(await access.app.getTokenCache().serialize()) as {
        RefreshToken: Record<string, { secret: string }>;
      };
      const [refreshToken] = Object.values(cache.RefreshToken).map((entry) => entry.secret);

      const stored = Buffer.from((await secrets.getSecret(PARTNER_CENTER_TOKEN_CACHE)) ?? []);
      expect(stored.length).toBeGreaterThan(0);
      expect(refreshToken).toBeTruthy();
      expect(stored.includes(refreshToken as string)).toBe(false);
      expect(statSync(join(config.dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
    } finally {
      await clients.closeAll();
    }
  });
});
