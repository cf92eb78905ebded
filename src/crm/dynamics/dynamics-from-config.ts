/**
 * The Dynamics 365 adapter as configured: an application user's app-only token for the organization,
 * and a client that stays inside Dataverse's service-protection limits instead of provoking 429s.
 */
import { credentialKeysAt } from '../../auth/credential-keys.ts';
import { createMsalApp } from '../../auth/msal-app.ts';
import { createAppTokenProvider } from '../../auth/token-provider.ts';
import { ConfigError } from '../../config/config-error.ts';
import type { CrmContext } from '../create-crm-adapter.ts';
import type { CrmAdapter } from '../crm-adapter.ts';
import { createDynamicsAdapter } from './dynamics-adapter.ts';
import type { DynamicsConfig } from './dynamics-config.ts';

export function createDynamicsAdapterFromConfig(config: DynamicsConfig, context: CrmContext): CrmAdapter {
  const pc = context.partnerCenterApp;
  const missing = [
    ...(config.url
      ? []
      : [{ path: 'crm.dynamics.url', problem: 'is required to write leads to Dynamics 365' }]),
    // An application user of the org: its own registration, or the Partner Center app with a secret.
    ...(config.clientId || (pc.clientId && pc.clientSecret)
      ? []
      : [
          {
            path: 'crm.dynamics.clientId',
            problem:
              'Dataverse needs an app-only (application user) registration: set it with a secret or certificate',
          },
          {
            path: 'partnerCenter.clientSecret',
            problem: 'or give the Partner Center app a secret, and it is reused for Dataverse',
          },
        ]),
    ...(config.tenantId || pc.tenantId
      ? []
      : [
          {
            path: 'crm.dynamics.tenantId',
            problem: 'is required (or partnerCenter.tenantId, which it defaults to)',
          },
        ]),
  ];
  if (missing.length > 0 || !config.url) throw new ConfigError(missing, 'Dynamics 365');

  // The keys a refused credential is reported under: this app's own, or the reused Partner Center app's.
  const credentialKeys = {
    ...credentialKeysAt(config.clientId ? 'crm.dynamics' : 'partnerCenter'),
    tenantId: config.tenantId ? 'crm.dynamics.tenantId' : 'partnerCenter.tenantId',
  };
  const app = createMsalApp(
    config.clientId
      ? {
          authorityHost: context.authorityHost,
          tenantId: (config.tenantId ?? pc.tenantId) as string,
          clientId: config.clientId,
          clientSecret: config.clientSecret,
          certificateFile: config.certificateFile,
          certificateThumbprint: config.certificateThumbprint,
          configKeys: credentialKeys,
        }
      : {
          authorityHost: context.authorityHost,
          tenantId: (config.tenantId ?? pc.tenantId) as string,
          clientId: pc.clientId as string,
          clientSecret: pc.clientSecret,
          configKeys: credentialKeys,
        },
    context.entraHttp,
  );
  const { limits } = config;
  return createDynamicsAdapter({
    url: config.url,
    apiVersion: config.apiVersion,
    referralIdColumn: config.referralIdColumn,
    referralUrlColumn: config.referralUrlColumn,
    http: context.httpClient('dataverse', {
      concurrency: limits.concurrency,
      windowMs: limits.windowSeconds * 1000,
      requestsPerWindow: limits.requestsPerWindow,
      executionMsPerWindow: limits.executionSecondsPerWindow * 1000,
    }),
    tokens: createAppTokenProvider(app, config.url, { credentialKeys }),
  });
}
