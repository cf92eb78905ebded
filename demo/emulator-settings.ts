import type { EmulatorWorld } from '@referral-connector/emulators';

/**
 * The configuration keys that point a connector at an emulated world: its URLs, the development
 * credentials and the files holding the trust anchors. Everything else stays as for the real services.
 */
export function emulatorSettings(
  world: EmulatorWorld,
  files: { dataDir: string; tlsCaFile: string; signingRootsFile: string },
): Record<string, unknown> {
  return {
    dataDir: files.dataDir,
    'server.host': '127.0.0.1',
    'server.port': 0,
    'entra.authorityHost': world.urls.entra,
    'partnerCenter.tenantId': world.credentials.tenant,
    'partnerCenter.clientId': world.credentials.clientId,
    'partnerCenter.clientSecret': world.credentials.clientSecret,
    'partnerCenter.referralsUrl': world.urls.referrals,
    'partnerCenter.webhooksUrl': world.urls.webhooks,
    'partnerCenter.certificateHosts': [world.certificateHost],
    'partnerCenter.issuerCertificateHosts': [world.certificateHost],
    'partnerCenter.trustedRootsFile': files.signingRootsFile,
    'crm.dynamics.url': world.dataverseOrgUrl,
    'tls.extraCaFile': files.tlsCaFile,
  };
}
