/**
 * Builds the CRM adapter `crm.kind` names. Each adapter owns its identity, limits and field limits; the
 * connector hands it only what is shared: the sign-in host, HTTP clients, and the Partner Center app
 * registration (which a Microsoft CRM may reuse as its identity).
 */
import type { HttpClient, HttpClientOptions } from '../net/http-client.ts';
import type { CrmAdapter } from './crm-adapter.ts';
import type { CrmConfig } from './crm-config.ts';
import { createDynamicsAdapterFromConfig } from './dynamics/dynamics-from-config.ts';
import { createHubSpotAdapterFromConfig } from './hubspot/hubspot-from-config.ts';
import { createSalesforceAdapterFromConfig } from './salesforce/salesforce-from-config.ts';

export type CrmContext = {
  /** Entra ID sign-in host (`entra.authorityHost`). */
  authorityHost: string;
  /** The Partner Center app registration, as configured (keys may be missing). */
  partnerCenterApp: {
    tenantId?: string | undefined;
    clientId?: string | undefined;
    clientSecret?: string | undefined;
  };
  /** A client for one remote; the caller closes them all when the connector stops. */
  httpClient(remote: string, budget?: HttpClientOptions['budget']): HttpClient;
  /** The client msal's token requests go through. */
  entraHttp: HttpClient;
};

export function createCrmAdapter(config: CrmConfig, context: CrmContext): CrmAdapter {
  const shared = withInstanceShare(context, config.instanceShare);
  switch (config.kind) {
    case 'dynamics':
      return createDynamicsAdapterFromConfig(config.dynamics, shared);
    case 'salesforce':
      return createSalesforceAdapterFromConfig(config.salesforce, shared);
    case 'hubspot':
      return createHubSpotAdapterFromConfig(config.hubspot, shared);
  }
}

/**
 * Several instances on one store each send their own requests, while a CRM counts them together (per user
 * or per portal): each instance keeps to its configured share of every request budget its adapter asks for.
 */
function withInstanceShare(context: CrmContext, share: number): CrmContext {
  if (share >= 1) return context;
  const part = (n: number | undefined) => (n === undefined ? undefined : Math.max(1, Math.floor(n * share)));
  return {
    ...context,
    httpClient: (remote, budget) =>
      context.httpClient(
        remote,
        budget && {
          ...budget,
          concurrency: part(budget.concurrency) ?? budget.concurrency,
          ...(budget.requestsPerWindow !== undefined
            ? { requestsPerWindow: part(budget.requestsPerWindow) }
            : {}),
          ...(budget.executionMsPerWindow !== undefined
            ? { executionMsPerWindow: budget.executionMsPerWindow * share }
            : {}),
        },
      ),
  };
}
