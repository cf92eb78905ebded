/**
 * The Salesforce adapter as configured: a session from the connected app (client credentials, or JWT
 * bearer with the app's certificate key), and a client that stays within the org's limits.
 */
import { ConfigError, type ConfigProblem } from '../../config/config-error.ts';
import { readPemFile } from '../../config/read-pem-file.ts';
import type { CrmContext } from '../create-crm-adapter.ts';
import type { CrmAdapter } from '../crm-adapter.ts';
import { createApiUsageGuard } from './api-usage-guard.ts';
import { createSalesforceAdapter } from './salesforce-adapter.ts';
import type { SalesforceConfig } from './salesforce-config.ts';
import { createSalesforceTokenProvider, type SalesforceGrant } from './salesforce-tokens.ts';

export function createSalesforceAdapterFromConfig(config: SalesforceConfig, context: CrmContext): CrmAdapter {
  const problems: ConfigProblem[] = [];
  if (!config.instanceUrl)
    problems.push({ path: 'crm.salesforce.instanceUrl', problem: 'is required: the org’s My Domain URL' });
  if (!config.clientId)
    problems.push({
      path: 'crm.salesforce.clientId',
      problem: 'is required: the connected app’s consumer key',
    });
  if (!config.clientSecret && !(config.username && config.privateKeyFile)) {
    problems.push({
      path: 'crm.salesforce.clientSecret',
      problem:
        'is required for the client-credentials flow (or set username and privateKeyFile for JWT bearer)',
    });
  }
  if (problems.length > 0 || !config.instanceUrl || !config.clientId)
    throw new ConfigError(problems, 'Salesforce');

  const grant: SalesforceGrant = config.clientSecret
    ? { kind: 'client_credentials', clientId: config.clientId, clientSecret: config.clientSecret }
    : {
        kind: 'jwt_bearer',
        clientId: config.clientId,
        username: config.username as string,
        privateKeyPem: readPemFile(
          'crm.salesforce.privateKeyFile',
          config.privateKeyFile as string,
          'private-key',
        ).privateKeyPem as string,
        audience: config.jwtAudience,
      };
  const http = context.httpClient('salesforce', { concurrency: config.limits.concurrency });
  const pauseMs = config.limits.pauseSeconds * 1000;
  return createSalesforceAdapter({
    instanceUrl: config.instanceUrl,
    apiVersion: config.apiVersion,
    referralIdField: config.referralIdField,
    referralUrlField: config.referralUrlField,
    leadSource: config.leadSource,
    disqualifiedStatuses: config.disqualifiedStatuses,
    countryPicklists: config.countryPicklists,
    http,
    tokens: createSalesforceTokenProvider({ instanceUrl: config.instanceUrl, grant, http }),
    usage: createApiUsageGuard({ share: config.limits.dailyAllocationShare, pauseMs }),
    limitPauseMs: pauseMs,
  });
}
