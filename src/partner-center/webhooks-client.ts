/**
 * The webhook registration API (api.partnercenter.microsoft.com/webhooks/v1). One registration per
 * tenant and one URL per event: registering overwrites whoever held the events before (gotcha G5),
 * so callers look first and warn. Bodies are sent PascalCase and read case-insensitively (§4.1).
 */
import { sendAuthorized } from '../auth/send-authorized.ts';
import type { TokenProvider } from '../auth/token-provider.ts';
import type { HttpClient, HttpRequest } from '../net/http-client.ts';
import { RemoteError } from '../net/remote-error.ts';
import { classifyPartnerCenterResponse } from './classify-partner-center-error.ts';

export type WebhookRegistration = {
  webhookUrl: string;
  webhookEvents: string[];
  signatureInMsSignatureHeader: boolean;
  subscriberId?: string | undefined;
};

export type ValidationResult = {
  correlationId: string;
  status: string;
  results: Array<{
    responseCode: string;
    responseMessage: string;
    systemError: boolean;
    dateTimeUtc: string;
  }>;
};

export type WebhooksClient = {
  /** The current registration, or null when the tenant has none. */
  get(): Promise<WebhookRegistration | null>;
  /** Creates the registration, or replaces it when one exists. */
  put(registration: WebhookRegistration, mode: 'create' | 'replace'): Promise<WebhookRegistration>;
  availableEvents(): Promise<string[]>;
  /** Asks Partner Center to send a test-created event; returns its correlation id. */
  sendTestEvent(): Promise<string>;
  testEventResult(correlationId: string): Promise<ValidationResult>;
};

export function createWebhooksClient(options: {
  baseUrl: string;
  http: HttpClient;
  tokens: TokenProvider;
}): WebhooksClient {
  const base = `${options.baseUrl.replace(/\/$/, '')}/registration`;
  const send = (request: HttpRequest, what: string) =>
    sendAuthorized(
      options.http,
      options.tokens,
      { ...request, headers: { accept: 'application/json', ...request.headers } },
      (response) => response.status >= 200 && response.status < 300,
      (response) => classifyPartnerCenterResponse('webhooks', response, what),
    );

  return {
    async get() {
      try {
        const response = await send({ method: 'GET', url: base }, 'GET registration');
        return readRegistration(response.json());
      } catch (error) {
        if (error instanceof RemoteError && error.disposition === 'not_found') return null;
        throw error;
      }
    },
    async put(registration, mode) {
      const body = JSON.stringify({
        WebhookUrl: registration.webhookUrl,
        WebhookEvents: registration.webhookEvents,
        SignatureTokenToMsSignatureHeader: registration.signatureInMsSignatureHeader,
      });
      const response = await send(
        {
          method: mode === 'create' ? 'POST' : 'PUT',
          url: base,
          headers: { 'content-type': 'application/json' },
          body,
        },
        `${mode === 'create' ? 'POST' : 'PUT'} registration`,
      );
      // The answer documents only SubscriberId, WebhookUrl and WebhookEvents: keep the mode we sent.
      return readRegistration(response.json(), registration.signatureInMsSignatureHeader);
    },
    async availableEvents() {
      const response = await send({ method: 'GET', url: `${base}/events` }, 'GET registration/events');
      const events = response.json();
      return Array.isArray(events) ? events.map(String) : [];
    },
    async sendTestEvent() {
      const response = await send(
        { method: 'POST', url: `${base}/validationEvents` },
        'POST validationEvents',
      );
      // Documented both as {"correlationId": "…"} and as a bare JSON string.
      const body = response.json();
      const id = typeof body === 'string' ? body : pick(body, 'correlationId');
      if (typeof id !== 'string' || id === '') {
        throw new RemoteError({
          remote: 'webhooks',
          disposition: 'dead_letter',
          code: 'webhooks_unexpected_response',
          message: 'validationEvents answered without a correlation id',
        });
      }
      return id;
    },
    async testEventResult(correlationId) {
      const response = await send(
        { method: 'GET', url: `${base}/validationEvents/${encodeURIComponent(correlationId)}` },
        'GET validationEvents',
      );
      const body = response.json();
      const results = pick(body, 'results');
      return {
        correlationId,
        status: String(pick(body, 'status') ?? 'unknown'),
        results: Array.isArray(results)
          ? results.map((r) => ({
              responseCode: String(pick(r, 'responseCode') ?? ''),
              responseMessage: String(pick(r, 'responseMessage') ?? ''),
              systemError: pick(r, 'systemError') === true,
              dateTimeUtc: String(pick(r, 'dateTimeUtc') ?? ''),
            }))
          : [],
      };
    },
  };
}

function readRegistration(body: unknown, sentHeaderMode = false): WebhookRegistration {
  const events = pick(body, 'webhookEvents');
  const subscriberId = pick(body, 'subscriberId');
  const headerMode = pick(body, 'signatureTokenToMsSignatureHeader');
  return {
    webhookUrl: String(pick(body, 'webhookUrl') ?? ''),
    webhookEvents: Array.isArray(events) ? events.map(String) : [],
    signatureInMsSignatureHeader: typeof headerMode === 'boolean' ? headerMode : sentHeaderMode,
    ...(typeof subscriberId === 'string' ? { subscriberId } : {}),
  };
}

/** Reads a property whatever its casing (the service answers PascalCase, models say camelCase). */
function pick(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const wanted = name.toLowerCase();
  for (const [key, child] of Object.entries(value)) if (key.toLowerCase() === wanted) return child;
  return undefined;
}
