import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import type { HttpClient, HttpClientOptions } from '../net/http-client.ts';
import { createCrmAdapter } from './create-crm-adapter.ts';

function budgetsFor(overrides: Record<string, unknown>): Array<HttpClientOptions['budget']> {
  const config = loadConfig({ env: {}, ignoreDefaultFile: true, overrides });
  const budgets: Array<HttpClientOptions['budget']> = [];
  const http = { remote: 'x', send: async () => undefined, pauseFor: () => {}, close: async () => {} };
  createCrmAdapter(config.crm, {
    authorityHost: 'https://login.microsoftonline.com',
    partnerCenterApp: { tenantId: 't', clientId: 'c', clientSecret: 's' },
    httpClient: (_remote, budget) => {
      budgets.push(budget);
      return http as unknown as HttpClient;
    },
    entraHttp: http as unknown as HttpClient,
  });
  return budgets;
}

describe('createCrmAdapter', () => {
  it("gives each of several instances its share of the CRM's request limits", () => {
    const dynamics = { 'crm.dynamics.url': 'https://contoso.crm4.dynamics.com' };
    expect(budgetsFor(dynamics)).toEqual([
      { concurrency: 52, windowMs: 300_000, requestsPerWindow: 6000, executionMsPerWindow: 1_200_000 },
    ]);
    expect(budgetsFor({ ...dynamics, 'crm.instanceShare': 1 / 3 })).toEqual([
      { concurrency: 17, windowMs: 300_000, requestsPerWindow: 2000, executionMsPerWindow: 400_000 },
    ]);
  });
});
