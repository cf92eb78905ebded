/**
 * The errors the emulated token service answers with, each with the real AADSTS code, OAuth `error`
 * string and HTTP status, and the one renderer that turns them into Entra's wire body. Messages follow
 * the real ones closely so that clients which log them read the same text as in production.
 */

/** OAuth error strings Entra uses on its token and device-code endpoints. */
export type EntraErrorName =
  | 'invalid_request'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'invalid_grant'
  | 'invalid_resource'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'authorization_pending'
  | 'expired_token'
  | 'bad_verification_code'
  | 'invalid_tenant'
  | 'invalid_instance'
  | 'temporarily_unavailable'
  | 'server_error'
  | 'access_denied'
  | 'login_required'
  | 'unsupported_response_type';

export class EntraError extends Error {
  readonly status: 400 | 401 | 429 | 500 | 503;
  readonly error: EntraErrorName;
  /** The AADSTS number, also sent as `error_codes[0]`. */
  readonly code: number;
  readonly suberror: string | undefined;

  constructor(
    status: EntraError['status'],
    error: EntraErrorName,
    code: number,
    message: string,
    suberror?: string,
  ) {
    super(message);
    this.name = 'EntraError';
    this.status = status;
    this.error = error;
    this.code = code;
    this.suberror = suberror;
  }
}

const wrongTenantHint =
  'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.';

const tenantNotFoundMessage = (tenant: string) =>
  `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`;

/** One factory per AADSTS code the emulator emits; callers never build prose themselves. */
export const entraErrors = {
  missingParameter: (name: string) =>
    new EntraError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  malformedRequest: () =>
    new EntraError(400, 'invalid_request', 9002313, 'Invalid request. Request is malformed or invalid.'),
  unsupportedGrantType: (grantType: string) =>
    new EntraError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    ),
  tenantNotFound: (tenant: string) =>
    new EntraError(400, 'invalid_request', 90002, tenantNotFoundMessage(tenant)),
  /** The discovery endpoints name the same failure differently. */
  tenantNotFoundInDiscovery: (tenant: string) =>
    new EntraError(400, 'invalid_tenant', 90002, tenantNotFoundMessage(tenant)),
  unknownInstance: () => new EntraError(400, 'invalid_instance', 50049, 'Unknown or invalid instance.'),
  noTenantInformation: () =>
    new EntraError(
      400,
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    ),
  applicationNotFound: (clientId: string, tenant: string) =>
    new EntraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. ${wrongTenantHint} You may have sent your authentication request to the wrong tenant.`,
    ),
  invalidClientSecret: (clientId: string) =>
    new EntraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  expiredClientSecret: (clientId: string) =>
    new EntraError(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  clientCredentialRequired: () =>
    new EntraError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  clientAssertionInvalid: (reason: string) =>
    new EntraError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - ${reason}]`,
    ),
  clientAssertionWrongClient: () =>
    new EntraError(
      401,
      'invalid_client',
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter.",
    ),
  clientAssertionOutOfDate: (now: Date) =>
    new EntraError(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${now.toISOString()}.`,
    ),
  userNotFound: (tenantId: string) =>
    new EntraError(
      400,
      'invalid_grant',
      50034,
      `The user account {EUII Hidden} does not exist in the ${tenantId} directory. To sign into this application, the account must be added to the directory.`,
    ),
  invalidUserCredentials: () =>
    new EntraError(
      400,
      'invalid_grant',
      50126,
      'Error validating credentials due to invalid username or password.',
    ),
  mfaRequired: (resource: string) =>
    new EntraError(
      400,
      'invalid_grant',
      50076,
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resource}'.`,
      'basic_action',
    ),
  invalidGrant: () => new EntraError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.'),
  refreshTokenExpired: (issuedAt: Date, inactiveSeconds: number) =>
    new EntraError(
      400,
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${issuedAt.toISOString()} and was inactive for ${formatTimeSpan(inactiveSeconds)}.`,
    ),
  refreshTokenRevoked: (issuedAt: Date, validFrom: Date) =>
    new EntraError(
      400,
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${issuedAt.toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${validFrom.toISOString()}'.`,
    ),
  resourceNotFound: (resource: string, tenant: string) =>
    new EntraError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. ${wrongTenantHint} You might have sent your authentication request to the wrong tenant.`,
    ),
  multipleResources: (scope: string) =>
    new EntraError(
      400,
      'invalid_scope',
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  invalidScope: (scope: string) =>
    new EntraError(
      400,
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  clientCredentialsNeedDefaultScope: (scope: string) =>
    new EntraError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  authorizationPending: () =>
    new EntraError(
      400,
      'authorization_pending',
      70016,
      'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
    ),
  deviceCodeExpired: () => new EntraError(400, 'expired_token', 70019, 'Verification code expired.'),
  unknownDeviceCode: () =>
    new EntraError(400, 'bad_verification_code', 70000, 'Provided grant is invalid or malformed.'),
  /** Authorization-code flow (the authorize page and the `authorization_code` grant). */
  redirectUriMismatch: (redirectUri: string, clientId: string) =>
    new EntraError(
      400,
      'invalid_request',
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
    ),
  unsupportedResponseType: (clientId: string) =>
    new EntraError(
      400,
      'unsupported_response_type',
      700054,
      `response_type 'id_token' is not enabled for the application. The application requested an ID token from the authorization endpoint, but did not have ID token implicit grant enabled. Application '${clientId}'.`,
    ),
  unsupportedChallengeMethod: (method: string) =>
    new EntraError(
      400,
      'invalid_request',
      501491,
      `Invalid code_challenge_method '${method}'. Supported values are 'S256' and 'plain'.`,
    ),
  userNotAssigned: (username: string, clientId: string) =>
    new EntraError(
      400,
      'access_denied',
      50105,
      `Your administrator has configured the application ${clientId} to block users unless they are specifically granted ('assigned') access to the application. The signed in user '${username}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.`,
    ),
  noSignInSession: () =>
    new EntraError(
      400,
      'login_required',
      50058,
      "A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Azure AD.",
    ),
  authorizationCodeRedeemed: () =>
    new EntraError(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  authorizationCodeExpired: () =>
    new EntraError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  authorizationCodeRedirectMismatch: (sent: string, registered: string) =>
    new EntraError(
      400,
      'invalid_grant',
      500112,
      `The reply address '${sent}' does not match the reply address '${registered}' provided when requesting Authorization code.`,
    ),
  codeVerifierMismatch: () =>
    new EntraError(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  throttled: () =>
    new EntraError(
      429,
      'temporarily_unavailable',
      90055,
      'There are too many incoming requests. Please try again later.',
    ),
  transient: (status: 500 | 503) =>
    new EntraError(
      status,
      'temporarily_unavailable',
      90033,
      'A transient error has occurred. Please try again.',
    ),
  internal: () =>
    new EntraError(500, 'server_error', 90100, 'An unexpected error occurred in the Entra emulator.'),
} as const;

export type EntraErrorBody = {
  error: EntraErrorName;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
};

/** Entra's error body: the AADSTS message, then trace id, correlation id and timestamp joined by CRLF. */
export function renderEntraError(
  error: EntraError,
  context: { traceId: string; correlationId: string; now: number; origin: string },
): EntraErrorBody {
  const timestamp = formatEntraTimestamp(context.now);
  return {
    error: error.error,
    error_description: [
      `AADSTS${error.code}: ${error.message}`,
      `Trace ID: ${context.traceId}`,
      `Correlation ID: ${context.correlationId}`,
      `Timestamp: ${timestamp}`,
    ].join('\r\n'),
    error_codes: [error.code],
    timestamp,
    trace_id: context.traceId,
    correlation_id: context.correlationId,
    error_uri: `${context.origin}/error?code=${error.code}`,
    ...(error.suberror ? { suberror: error.suberror } : {}),
  };
}

/** "2023-05-06 06:03:00Z", the form Entra uses in error bodies. */
export function formatEntraTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** .NET TimeSpan text ("90.00:00:00"), as in AADSTS700082. */
function formatTimeSpan(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((seconds % 86_400) / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  return days > 0 ? `${days}.${clock}` : clock;
}
