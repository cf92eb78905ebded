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
  switch (config.kind) {
    case 'dynamics':
      return createDynamicsAdapterFromConfig(config.dynamics, context);
    case 'salesforce':
      return createSalesforceAdapterFromConfig(config.salesforce, context);
    case 'hubspot':
      return createHubSpotAdapterFromConfig(config.hubspot, context);
  }
}
