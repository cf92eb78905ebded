/**
 * Every configuration key that names a PEM file goes through the one loader, and each works, through
 * its real consumer, with a bundle made by `cat a.pem b.pem` where `a.pem` has no final newline.
 */
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  connectorConfig,
  DEV_SALESFORCE,
  type IssuedCertificate,
  issueCertificate,
} from '@referral-connector/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorWorld, startConnectorWorld, waitFor } from '../../test/support/connector-world.ts';
import { credentialKeysAt } from '../auth/credential-keys.ts';
import { loginWithDeviceCode } from '../auth/device-code-login.ts';
import { createMsalApp } from '../auth/msal-app.ts';
import { createAppTokenProvider } from '../auth/token-provider.ts';
import { createConnector } from '../connector.ts';
import { toReferralKey } from '../core/index.ts';
import { createSalesforceAdapterFromConfig } from '../crm/salesforce/salesforce-from-config.ts';
import { createLogger } from '../observability/logger.ts';
import { registerWebhook } from '../partner-center/register-webhook.ts';
import { useTempDirectory } from '../store/sqlite/test-support.ts';
import { createRemoteClients } from '../wiring/remote-clients.ts';
import { ConfigError } from './config-error.ts';
import { CONFIG_KEYS } from './config-keys.ts';
import { loadConfig } from './load-config.ts';
import { PEM_FILE_KEYS } from './read-pem-file.ts';

/** Keys naming files that are not PEM; a new `…File` key must join one list or the other. */
const NON_PEM_FILE_KEYS: readonly string[] = [];

const tempDirectory = useTempDirectory();
let cw: ConnectorWorld;
let stranger: IssuedCertificate;

beforeAll(async () => {
  cw = await startConnectorWorld({ seed: 'pem-file-keys' });
  stranger = await issueCertificate({ subject: 'CN=Unrelated CA', isCa: true, key: 'ec-p256' });
});
afterAll(() => cw?.close());

/** `cat first second > file` where `first` has no final newline. */
function gluedFile(name: string, first: string, second: string): string {
  const file = join(tempDirectory(), name);
  const text = first.trimEnd() + second;
  expect(text).toMatch(/-----END [A-Z ]+----------BEGIN /);
  writeFileSync(file, text);
  return file;
}

const configWith = (overrides: Record<string, unknown>) =>
  loadConfig({ env: {}, ignoreDefaultFile: true, overrides });

describe('PEM file keys', () => {
  it('are every configuration key that names a file', () => {
    const fileKeys = CONFIG_KEYS.map((key) => key.path).filter((path) => path.endsWith('File'));
    expect([...fileKeys].sort()).toEqual([...Object.keys(PEM_FILE_KEYS), ...NON_PEM_FILE_KEYS].sort());
  });

  it('tls.extraCaFile: a glued bundle trusts the CA that comes second', async () => {
    const file = gluedFile('extra-ca.pem', stranger.certPem, cw.world.tlsCaPem ?? '');
    const clients = createRemoteClients(configWith({ 'tls.extraCaFile': file }));
    try {
      const response = await clients.entra.send({
        method: 'GET',
        url: `${cw.world.urls.entra}/${cw.world.credentials.tenant}/v2.0/.well-known/openid-configuration`,
      });
      expect(response.status).toBe(200);
    } finally {
      await clients.closeAll();
    }
  });

  it('crm.dynamics.certificateFile: a certificate glued before its private key signs the app in', async () => {
    const app = await issueCertificate({ subject: 'CN=dataverse-app', key: 'rsa-2048' });
    const clientId = '66666666-6666-4666-8666-666666666666';
    cw.world.entra.addApp({ clientId, displayName: 'glued', certificates: [app.certPem] });
    const keys = credentialKeysAt('crm.dynamics');
    const msal = createMsalApp(
      {
        ...cw.registration,
        clientId,
        clientSecret: undefined,
        certificateFile: gluedFile('dataverse-app.pem', app.certPem, app.keyPem),
        configKeys: keys,
      },
      cw.http('entra'),
    );
    const tokens = createAppTokenProvider(msal, cw.world.dataverseOrgUrl, { credentialKeys: keys });
    expect((await tokens.token()).split('.')).toHaveLength(3);
  });

  it('crm.salesforce.privateKeyFile: a key glued to its certificate signs the JWT bearer grant', async () => {
    const config = configWith({
      'crm.kind': 'salesforce',
      'crm.salesforce.instanceUrl': cw.world.urls.salesforce,
      'crm.salesforce.clientId': DEV_SALESFORCE.clientId,
      'crm.salesforce.username': DEV_SALESFORCE.username,
      'crm.salesforce.privateKeyFile': gluedFile(
        'salesforce-jwt.pem',
        DEV_SALESFORCE.jwtPrivateKeyPem,
        DEV_SALESFORCE.jwtCertificatePem,
      ),
    });
    const adapter = createSalesforceAdapterFromConfig(config.crm.salesforce, {
      authorityHost: cw.world.urls.entra,
      partnerCenterApp: {},
      httpClient: (remote) => cw.http(remote),
      entraHttp: cw.http('entra'),
    });
    await expect(adapter.readLead(toReferralKey('no-such-referral'))).resolves.toBeNull();
    await adapter.close();
  });

  it('a file that cannot serve names its key, the file, the block and the fix', () => {
    const file = gluedFile('ca-and-key.pem', stranger.certPem, stranger.keyPem);
    const failure = (() => {
      try {
        createRemoteClients(configWith({ 'tls.extraCaFile': file }));
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).problems).toEqual([
      {
        path: 'tls.extraCaFile',
        problem: `names ${file}, which holds a block #2 (PRIVATE KEY), where only certificates belong`,
        fix: 'keep only the -----BEGIN CERTIFICATE----- blocks in this file',
      },
    ]);
  });
});

describe('PEM file keys of a running connector', () => {
  it('partnerCenter.trustedRootsFile and intermediatesFile: glued bundles verify the signed webhooks', async () => {
    const { world } = cw;
    const dataDir = tempDirectory();
    const config = configWith({
      ...connectorConfig(world, {
        dataDir,
        signingRootsFile: gluedFile('roots.pem', stranger.certPem, world.signingRootPem),
        tlsCaFile: gluedFile('tls-ca.pem', stranger.certPem, world.tlsCaPem ?? ''),
      }),
      'partnerCenter.intermediatesFile': gluedFile(
        'intermediates.pem',
        stranger.certPem,
        await intermediateOfSigningChain(),
      ),
      // No AIA download: the intermediate can come from intermediatesFile only.
      'partnerCenter.issuerCertificateHosts': ['issuers.invalid'],
      'admin.enabled': false,
      'sync.reconcileIntervalSeconds': 0,
    });
    const connector = await createConnector(config, { logger: createLogger({ level: 'silent' }) });
    try {
      await loginWithDeviceCode(connector.partnerCenterApp, config.partnerCenter.referralsAudience, () => {});
      const url = await connector.start();
      await registerWebhook(
        connector.webhooks,
        {
          webhookUrl: `${url}/webhooks/partner-center`,
          webhookEvents: [...config.partnerCenter.webhookEvents],
          signatureInMsSignatureHeader: false,
        },
        { overwriteForeign: true },
      );
      const referral = world.referrals.create({}, { as: 'microsoft' });
      const delivery = () => world.webhooks.deliveries().find((d) => d.referralId === referral.id);
      await waitFor(() => delivery()?.attempts[0]?.status !== undefined, 'the first delivery', 15_000);
      expect(delivery()?.attempts[0]).toMatchObject({ status: 200 });
    } finally {
      await connector.stop(2_000);
    }
  });
});

/** The signing chain's intermediate, from the one place the emulator serves it (the leaf's AIA URL). */
async function intermediateOfSigningChain(): Promise<string> {
  const response = await cw.http('certificates').send({
    method: 'GET',
    url: `${cw.world.urls.entra}/pki/emulated-microsoft-notifications-issuing-ca-01.cer`,
  });
  return new X509Certificate(response.body).toString();
}
