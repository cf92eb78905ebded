/**
 * The one place that decides what a HubSpot answer means. Codes and bodies: spec crm.md §C2, §C3, §C5.
 * Errors are `{status, message, correlationId, category, errors[], context}`; 429s carry `errorType:
 * "RATE_LIMIT"` and a `policyName` instead of a category, and no Retry-After (§G, as the emulator), so the
 * wait comes from the policy.
 */
import type { HttpResponse } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';
import { parseRetryAfter } from '../../net/retry-after.ts';

export type HubSpotErrorBody = {
  message?: unknown;
  category?: unknown;
  errorType?: unknown;
  policyName?: unknown;
  errors?: unknown;
  context?: unknown;
};

export type ClassifyOptions = {
  now: () => number;
  /** When the portal's daily limit resets after `now` (midnight in its time zone), epoch ms. */
  nextDailyReset: (now: number) => number;
  /** Where the access token is configured, named when HubSpot refuses it. */
  tokenKey: string;
};

/**
 * A short pause after a ten-secondly 429. HubSpot's window rolls, so room frees as older calls age out of
 * it; our own limiter already keeps the connector to its share, so a 429 means other integrations took
 * the rest for a moment. Pausing for the whole interval (10 s) on every 429 would stall the connector
 * whenever a neighbour bursts.
 */
export const TEN_SECONDLY_PAUSE_MS = 1_000;
/** Search's own limit is per second. */
export const SECONDLY_PAUSE_MS = 1_000;
/** 423 Locked: a record being merged or imported; HubSpot asks for about two seconds (§C5). */
export const LOCKED_PAUSE_MS = 2_000;

export function classifyHubSpotResponse(
  response: HttpResponse,
  what: string,
  options: ClassifyOptions,
): RemoteError {
  return classifyHubSpotError(response.status, readBody(response), what, options, response.headers);
}

/** Also for one failed input of a batch answer (207), whose item has no HTTP status of its own. */
export function classifyHubSpotError(
  status: number,
  body: HubSpotErrorBody,
  what: string,
  options: ClassifyOptions,
  headers: Record<string, string> = {},
): RemoteError {
  const category = typeof body.category === 'string' ? body.category : undefined;
  const policy = typeof body.policyName === 'string' ? body.policyName : undefined;
  const remoteCode = category ?? policy;
  const message = typeof body.message === 'string' ? body.message.slice(0, 300) : undefined;
  const details = detailsOf(body.errors);
  const base = {
    remote: 'hubspot',
    status,
    remoteCode,
    message: `${what} answered ${status}${remoteCode ? ` ${remoteCode}` : ''}${message ? `: ${message}` : ''}${details}`,
  };

  if (status === 401) {
    // A private-app token does not expire; refused, it was rotated or deleted. sendAuthorized tries once
    // more, which only a provider with a fresh token could pass, then dead-letters naming the key.
    return new RemoteError({
      ...base,
      disposition: 'reauthenticate',
      code: 'hubspot_unauthorized',
      message: `${base.message}; set ${options.tokenKey} to the private app's current access token`,
    });
  }
  if (status === 429 || body.errorType === 'RATE_LIMIT') {
    if (policy === 'DAILY') {
      const now = options.now();
      const resetAt = options.nextDailyReset(now);
      return new RemoteError({
        ...base,
        disposition: 'retry',
        code: 'hubspot_daily_limit',
        retryAfterMs: Math.max(1_000, resetAt - now),
        message: `${base.message}; the portal's daily API limit is used up: HubSpot calls pause until it resets at ${new Date(resetAt).toISOString()}`,
      });
    }
    return new RemoteError({
      ...base,
      disposition: 'retry',
      code: 'hubspot_throttled',
      retryAfterMs:
        parseRetryAfter(headers['retry-after']) ??
        (policy === 'SECONDLY' ? SECONDLY_PAUSE_MS : TEN_SECONDLY_PAUSE_MS),
    });
  }
  if (status === 423)
    return new RemoteError({
      ...base,
      disposition: 'retry',
      code: 'hubspot_locked',
      retryAfterMs: LOCKED_PAUSE_MS,
    });
  if (status >= 500 || status === 408)
    return new RemoteError({ ...base, disposition: 'retry', code: 'hubspot_unavailable' });
  if (status === 403) {
    const scopes = requiredScopes(body.errors);
    return new RemoteError({
      ...base,
      disposition: 'dead_letter',
      code: category === 'MISSING_SCOPES' ? 'hubspot_missing_scopes' : 'hubspot_forbidden',
      message: scopes.length
        ? `${base.message}; give the private app one of the scopes ${scopes.join(', ')}`
        : base.message,
    });
  }
  if (status === 404 || category === 'OBJECT_NOT_FOUND')
    return new RemoteError({ ...base, disposition: 'not_found', code: 'hubspot_not_found' });
  if (status === 409 || category === 'CONFLICT') {
    // A unique value another record holds: two writers raced to create one record. The next attempt
    // finds it and updates it.
    return new RemoteError({ ...base, disposition: 'conflict', code: 'hubspot_conflict' });
  }
  // Validation (a property that does not exist, a value it refuses, an idProperty that is not unique):
  // the data or the portal's set-up, which retrying cannot change.
  return new RemoteError({ ...base, disposition: 'dead_letter', code: 'hubspot_rejected' });
}

/** The record a 409 CONFLICT names: "Lead already exists. Existing ID: 12345" (§C3, the way to recover). */
export function existingRecordId(body: HubSpotErrorBody): string | undefined {
  const message = typeof body.message === 'string' ? body.message : '';
  return /Existing ID: (\d+)/.exec(message)?.[1];
}

export function readBody(response: HttpResponse): HubSpotErrorBody {
  try {
    const body = response.json();
    return typeof body === 'object' && body !== null ? (body as HubSpotErrorBody) : {};
  } catch {
    return {};
  }
}

type ErrorDetail = { message?: unknown; code?: unknown; context?: Record<string, unknown> };

/** "(PROPERTY_DOESNT_EXIST referral_id; INVALID_EMAIL email)": which values were refused, and why. */
function detailsOf(errors: unknown): string {
  if (!Array.isArray(errors)) return '';
  const items = (errors as ErrorDetail[])
    .filter((item) => typeof item?.code === 'string')
    .map((item) => {
      const names = item.context?.propertyName;
      return `${String(item.code)}${Array.isArray(names) ? ` ${names.join(',')}` : ''}`;
    });
  return items.length > 0 ? ` (${items.slice(0, 5).join('; ')})` : '';
}

/** The scopes a 403 MISSING_SCOPES lists, any one of which would do (`requiredScopes` in older answers). */
function requiredScopes(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  return (errors as ErrorDetail[]).flatMap((item) => {
    const scopes = item?.context?.requiredGranularScopes ?? item?.context?.requiredScopes;
    return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
  });
}
