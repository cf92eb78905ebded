/**
 * HubSpot errors as the CRM v3/v4 APIs render them (spec C2, C5):
 * `{"status":"error","message","correlationId","category","errors"?,"context"?,"links"?}`, and rate-limit
 * 429s with `errorType: "RATE_LIMIT"` and `policyName` instead of `category`. The category (or the policy)
 * is the stable code clients classify on; messages are for people.
 */

export type HubSpotCategory =
  | 'VALIDATION_ERROR'
  | 'INVALID_AUTHENTICATION'
  | 'EXPIRED_AUTHENTICATION'
  | 'MISSING_SCOPES'
  | 'OBJECT_NOT_FOUND'
  | 'CONFLICT'
  | 'OBJECT_ALREADY_EXISTS';

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

/** One item of `errors[]` (ErrorDetail in the API schema). */
export type ErrorDetail = { message: string; code?: string; context?: Record<string, string[]> };

/** A property value the portal refused, as listed in "Property values were not valid: [...]". */
export type PropertyIssue = { name: string; code: string; message: string; value?: string };

type ErrorFields = {
  category?: HubSpotCategory;
  errors?: ErrorDetail[];
  context?: Record<string, string[]>;
  links?: Record<string, string>;
  headers?: Record<string, string>;
  rateLimit?: { policyName: RateLimitPolicy; groupName?: string };
};

export class HubSpotError extends Error {
  readonly status: number;
  /** The category, the rate-limit policy, or INTERNAL_ERROR for a bare 5xx. */
  readonly code: string;
  readonly category: HubSpotCategory | undefined;
  readonly errors: ErrorDetail[] | undefined;
  readonly context: Record<string, string[]> | undefined;
  readonly links: Record<string, string> | undefined;
  readonly headers: Record<string, string>;
  readonly rateLimit: ErrorFields['rateLimit'];

  constructor(status: number, message: string, fields: ErrorFields = {}) {
    super(message);
    this.name = 'HubSpotError';
    this.status = status;
    this.category = fields.category;
    this.code = fields.category ?? fields.rateLimit?.policyName ?? 'INTERNAL_ERROR';
    this.errors = fields.errors;
    this.context = fields.context;
    this.links = fields.links;
    this.headers = fields.headers ?? {};
    this.rateLimit = fields.rateLimit;
  }

  /** The response body, in the field order HubSpot writes it. */
  body(correlationId: string): Record<string, unknown> {
    if (this.rateLimit) {
      return {
        status: 'error',
        message: this.message,
        errorType: 'RATE_LIMIT',
        correlationId,
        policyName: this.rateLimit.policyName,
        ...(this.rateLimit.groupName ? { groupName: this.rateLimit.groupName } : {}),
      };
    }
    return {
      status: 'error',
      message: this.message,
      correlationId,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.context ? { context: this.context } : {}),
      ...(this.links ? { links: this.links } : {}),
      ...(this.category ? { category: this.category } : {}),
    };
  }

  /** The item a batch answer lists in `errors[]` for one failed input (StandardError in the schema). */
  batchItem(context: Record<string, string[]>): Record<string, unknown> {
    return {
      status: 'error',
      category: this.category ?? 'VALIDATION_ERROR',
      message: this.message,
      context: { ...this.context, ...context },
      errors: this.errors ?? [],
      links: this.links ?? {},
    };
  }
}

export function validationError(
  message: string,
  fields: Omit<ErrorFields, 'category' | 'rateLimit'> = {},
): HubSpotError {
  return new HubSpotError(400, message, { ...fields, category: 'VALIDATION_ERROR' });
}

/** 400 naming each refused property value, in the real message format (a JSON array after the colon). */
export function propertyValuesInvalid(issues: readonly PropertyIssue[], portalId: number): HubSpotError {
  const results = issues.map((issue) => ({
    isValid: false,
    message: issue.message,
    error: issue.code,
    name: issue.name,
    localizedErrorMessage: issue.message,
    ...(issue.value !== undefined ? { propertyValue: issue.value } : {}),
    portalId,
  }));
  return validationError(`Property values were not valid: ${JSON.stringify(results)}`, {
    errors: issues.map((issue) => ({
      message: issue.message,
      code: issue.code,
      context: { propertyName: [issue.name] },
    })),
  });
}

export function objectNotFound(message: string, context?: Record<string, string[]>): HubSpotError {
  return new HubSpotError(404, message, { category: 'OBJECT_NOT_FOUND', ...(context ? { context } : {}) });
}

/** 409 on a unique value another record holds; clients parse the id after "Existing ID: ". */
export function conflict(objectLabel: string, existingId: string): HubSpotError {
  return new HubSpotError(409, `${objectLabel} already exists. Existing ID: ${existingId}`, {
    category: 'CONFLICT',
  });
}

/** A body that is not valid JSON, or JSON of the wrong shape. */
export function invalidInput(detail: string): HubSpotError {
  return validationError(`Invalid input JSON on line 1, column 1: ${detail}`);
}

export const AUTHENTICATION_NOT_FOUND =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function invalidAuthentication(): HubSpotError {
  return new HubSpotError(401, AUTHENTICATION_NOT_FOUND, {
    category: 'INVALID_AUTHENTICATION',
    headers: { 'X-HubSpot-Auth-Failure': '401 Unauthorized' },
  });
}

export function expiredAuthentication(expiredAtMs: number, nowMs: number): HubSpotError {
  const hours = Math.max(0, Math.floor((nowMs - expiredAtMs) / 3_600_000));
  return new HubSpotError(401, `The OAuth token used to make this call expired ${hours} hour(s) ago.`, {
    category: 'EXPIRED_AUTHENTICATION',
    context: { 'expire time': [new Date(expiredAtMs).toISOString()] },
    headers: { 'X-HubSpot-Auth-Failure': '401 Unauthorized' },
  });
}

export function missingScopes(anyOf: readonly string[]): HubSpotError {
  return new HubSpotError(
    403,
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      category: 'MISSING_SCOPES',
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: [...anyOf] },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}

/** An unexpected server error: HubSpot answers these without a category. */
export function internalError(status: 500 | 502 | 503 | 504 = 500): HubSpotError {
  return new HubSpotError(status, status === 503 ? 'Service Unavailable' : 'internal error');
}

const RATE_LIMIT_MESSAGES: Record<RateLimitPolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  DAILY: 'You have reached your daily limit.',
  SECONDLY: 'You have reached your secondly limit.',
};

export function rateLimited(
  policyName: RateLimitPolicy,
  groupName: string | undefined,
  headers: Record<string, string> = {},
): HubSpotError {
  return new HubSpotError(429, RATE_LIMIT_MESSAGES[policyName], {
    rateLimit: { policyName, ...(groupName ? { groupName } : {}) },
    headers,
  });
}
