/**
 * The thin HubSpot client every call of the adapter goes through: the bearer token (sendAuthorized), one
 * classification of every answer, the portal's daily limit (calls turned away at once until it resets),
 * and search's own per-second budget. The burst limit per ten seconds is the HttpClient's budget, made
 * by the caller. The official SDK is not used: it retries on its own and hides the limits (STACK.md).
 */
import { sendAuthorized } from '../../auth/send-authorized.ts';
import type { TokenProvider } from '../../auth/token-provider.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';
import { createRequestBudget } from '../../net/request-budget.ts';
import {
  classifyHubSpotError,
  classifyHubSpotResponse,
  type HubSpotErrorBody,
} from './classify-hubspot-error.ts';
import { createDailyLimitGuard, type DailyLimitGuard, nextDailyReset } from './daily-limit-guard.ts';

export type HubSpotClientOptions = {
  /** `https://api.hubapi.com`, or an emulator's stand-in for it. */
  baseUrl: string;
  http: HttpClient;
  tokens: TokenProvider;
  /** The portal's time zone, where its daily limit resets at midnight. */
  portalTimeZone: string;
  /** The configuration key of the token, named when HubSpot refuses it. */
  tokenKey: string;
  /** CRM searches a second the connector may make (search has its own limit, §C4). */
  searchesPerSecond: number;
  now?: () => number;
};

export type SearchPage = {
  results: Array<{ id?: unknown; properties?: Record<string, unknown> }>;
  nextAfter: string | undefined;
};

export type HubSpotClient = {
  /** `path` under the API root, e.g. `/crm/v3/objects/leads`. */
  send(
    request: Omit<HttpRequest, 'url'> & { path: string },
    what: string,
    isSuccess: (response: HttpResponse) => boolean,
  ): Promise<HttpResponse>;
  search(object: string, body: Record<string, unknown>, what: string): Promise<SearchPage>;
  /** A failed input of a batch answer (207), classified like an answer of its own. */
  classify(status: number, item: HubSpotErrorBody, what: string): RemoteError;
  readonly dailyLimit: DailyLimitGuard;
  close(): Promise<void>;
};

export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const now = options.now ?? Date.now;
  const root = options.baseUrl.replace(/\/$/, '');
  const dailyLimit = createDailyLimitGuard({ now });
  // One search at a time, at most the configured number a second (HubSpot counts them per portal).
  const searches = createRequestBudget({
    concurrency: 1,
    windowMs: 1_000,
    requestsPerWindow: options.searchesPerSecond,
    now,
  });
  const classifyOptions = {
    now,
    nextDailyReset: (at: number) => nextDailyReset(at, options.portalTimeZone),
    tokenKey: options.tokenKey,
  };

  const send: HubSpotClient['send'] = async ({ path, ...request }, what, isSuccess) => {
    dailyLimit.check();
    let dailyLimitError: RemoteError | undefined;
    try {
      return await sendAuthorized(
        options.http,
        options.tokens,
        {
          ...request,
          url: `${root}${path}`,
          headers: {
            accept: 'application/json',
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...request.headers,
          },
        },
        isSuccess,
        (response) => {
          const error = classifyHubSpotResponse(response, what, classifyOptions);
          if (error.code !== 'hubspot_daily_limit') return error;
          dailyLimitError = error;
          dailyLimit.block(now() + (error.retryAfterMs ?? 0));
          // Handed on without its delay: sendAuthorized would pause the HttpClient until midnight and
          // hold every call already queued there for hours; the guard turns later calls away instead.
          return new RemoteError({
            remote: error.remote,
            disposition: error.disposition,
            code: error.code,
            message: error.message,
            status: error.status,
            remoteCode: error.remoteCode,
          });
        },
      );
    } catch (error) {
      throw dailyLimitError ?? error;
    }
  };

  return {
    send,
    async search(object, body, what) {
      const release = await searches.acquire();
      try {
        const response = await send(
          { method: 'POST', path: `/crm/v3/objects/${object}/search`, body: JSON.stringify(body) },
          what,
          (r) => r.status === 200,
        );
        const page = response.json() as {
          results?: SearchPage['results'];
          paging?: { next?: { after?: unknown } };
        };
        const after = page.paging?.next?.after;
        return {
          results: page.results ?? [],
          nextAfter: typeof after === 'string' || typeof after === 'number' ? String(after) : undefined,
        };
      } finally {
        release();
      }
    },
    classify: (status, item, what) => classifyHubSpotError(status, item, what, classifyOptions),
    dailyLimit,
    close: () => options.http.close(),
  };
}
