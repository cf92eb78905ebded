/**
 * The OAuth grants of the token endpoint (client credentials, password, refresh token, device code,
 * authorization code)
 * and the devicecode endpoint, over the tenant state. Free of HTTP: a request is the path's tenant
 * segment, the form parameters and an optional Basic client credential; the answer is a response body
 * or the EntraError to render.
 */
import { JWT_BEARER_ASSERTION, verifyClientAssertion } from './client-assertion.ts';
import { EntraError, entraErrors } from './entra-error.ts';
import type { EntraApp, EntraResource, EntraState, EntraUser } from './entra-state.ts';
import type { ClientAuthentication, TokenSubject } from './token-claims.ts';
import type { IdTokenExtras, TokenIssuer, V1TokenResponse, V2TokenResponse } from './token-issuer.ts';
import { parseV1Resource, parseV2Scope, type TokenTarget } from './token-target.ts';

export type TokenRequest = {
  version: 'v1' | 'v2';
  /** Path segment: tenant id, verified domain, `common` or `organizations`. */
  tenant: string;
  params: URLSearchParams;
  /** From an `Authorization: Basic` header (client_secret_basic). */
  basic?: { clientId: string; secret: string };
};

export type V1DeviceCodeResponse = {
  user_code: string;
  device_code: string;
  verification_url: string;
  expires_in: string;
  interval: string;
  message: string;
};

export type V2DeviceCodeResponse = {
  user_code: string;
  device_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
  message: string;
};

export type TokenGrants = {
  token(request: TokenRequest): Promise<V1TokenResponse | V2TokenResponse | EntraError>;
  deviceCode(request: TokenRequest): V1DeviceCodeResponse | V2DeviceCodeResponse | EntraError;
};

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations']);
/** Where scopes that name no resource go, as on the real service. */
const DEFAULT_RESOURCE = 'https://graph.microsoft.com';

type AuthenticatedClient = { app: EntraApp; authentication: ClientAuthentication };
type ResolvedTarget = { target: TokenTarget; resource: EntraResource; requestedResource: string };

export function createTokenGrants(deps: {
  state: EntraState;
  issuer: TokenIssuer;
  now: () => number;
  origin: () => string;
}): TokenGrants {
  const { state, issuer } = deps;

  /** Whether the segment names a tenant: true for this tenant, false for common/organizations. */
  const tenantIsSpecific = (segment: string): boolean | EntraError => {
    if (state.isThisTenant(segment)) return true;
    if (MULTI_TENANT_SEGMENTS.has(segment.toLowerCase())) return false;
    return entraErrors.tenantNotFound(segment);
  };

  const findClient = (request: TokenRequest): EntraApp | EntraError => {
    const clientId = param(request.params, 'client_id') ?? request.basic?.clientId;
    if (clientId === undefined) return entraErrors.missingParameter('client_id');
    return state.findApp(clientId) ?? entraErrors.applicationNotFound(clientId, state.tenantId);
  };

  /** Token endpoints of this tenant, the audiences a client assertion may name. */
  const tokenEndpoints = (segment: string): string[] =>
    [segment, state.tenantId, state.tenantDomain].flatMap((tenant) =>
      ['/oauth2/v2.0/token', '/oauth2/token'].map((path) =>
        `${deps.origin()}/${tenant}${path}`.toLowerCase(),
      ),
    );

  const authenticateClient = async (
    request: TokenRequest,
    app: EntraApp,
  ): Promise<AuthenticatedClient | EntraError> => {
    const assertion = param(request.params, 'client_assertion');
    if (assertion !== undefined) {
      if (param(request.params, 'client_assertion_type') !== JWT_BEARER_ASSERTION) {
        return entraErrors.missingParameter('client_assertion_type');
      }
      const failure = await verifyClientAssertion(assertion, {
        app,
        audiences: tokenEndpoints(request.tenant),
        now: deps.now(),
      });
      return failure ?? { app, authentication: '2' };
    }
    const secret = param(request.params, 'client_secret') ?? request.basic?.secret;
    if (secret === undefined) return { app, authentication: '0' };
    const matching = app.secrets.filter((candidate) => candidate.value === secret);
    if (matching.length === 0) return entraErrors.invalidClientSecret(app.clientId);
    const now = deps.now();
    if (matching.every((candidate) => candidate.expiresAt !== undefined && candidate.expiresAt <= now)) {
      return entraErrors.expiredClientSecret(app.clientId);
    }
    return { app, authentication: '1' };
  };

  /** User flows without a secret need "Allow public client flows" on the app. */
  const requirePublicOrSecret = (client: AuthenticatedClient): EntraError | undefined =>
    client.authentication === '0' && !client.app.publicClient
      ? entraErrors.clientCredentialRequired()
      : undefined;

  const readTarget = (request: TokenRequest): TokenTarget | EntraError => {
    if (request.version === 'v1') {
      const resource = param(request.params, 'resource');
      if (resource === undefined) return entraErrors.missingParameter('resource');
      return parseV1Resource(resource, param(request.params, 'scope'));
    }
    const scope = param(request.params, 'scope');
    if (scope === undefined) return entraErrors.missingParameter('scope');
    return parseV2Scope(scope);
  };

  const resolveTarget = (target: TokenTarget): ResolvedTarget | EntraError => {
    const requestedResource = target.resourceAsSent ?? target.resource ?? DEFAULT_RESOURCE;
    const resource = state.findResource(target.resource ?? DEFAULT_RESOURCE);
    if (!resource) return entraErrors.resourceNotFound(requestedResource, state.tenantId);
    return { target, resource, requestedResource };
  };

  const delegatedScopes = (resolved: ResolvedTarget): string[] | EntraError => {
    const { permissions } = resolved.target;
    if (permissions.length === 0 || permissions.includes('.default')) {
      if (permissions.length > 1) return entraErrors.invalidScope(permissions.join(' '));
      return [...resolved.resource.delegatedScopes];
    }
    const granted: string[] = [];
    for (const permission of permissions) {
      const known = resolved.resource.delegatedScopes.find(
        (scope) => scope.toLowerCase() === permission.toLowerCase(),
      );
      if (!known) return entraErrors.invalidScope(`${resolved.requestedResource}/${permission}`);
      if (!granted.includes(known)) granted.push(known);
    }
    return granted;
  };

  const issueForUser = async (
    request: TokenRequest,
    client: AuthenticatedClient,
    user: EntraUser,
    resolved: ResolvedTarget,
    signIn: { amr: string[]; authTime?: number; idToken?: IdTokenExtras },
  ) => {
    const scopes = delegatedScopes(resolved);
    if (scopes instanceof EntraError) return scopes;
    const subject: TokenSubject = { kind: 'user', app: client.app, user, amr: signIn.amr };
    return issuer.issue({
      version: request.version,
      subject,
      resource: resolved.resource,
      requestedResource: resolved.requestedResource,
      permissions: scopes,
      target: resolved.target,
      clientInfo: param(request.params, 'client_info') === '1',
      clientAuthentication: client.authentication,
      ...(signIn.authTime === undefined ? {} : { authTime: signIn.authTime }),
      ...(signIn.idToken === undefined ? {} : { idToken: signIn.idToken }),
    });
  };

  const clientCredentials = async (request: TokenRequest, client: AuthenticatedClient, specific: boolean) => {
    if (client.authentication === '0') return entraErrors.clientCredentialRequired();
    if (!specific) return entraErrors.noTenantInformation();
    const target = readTarget(request);
    if (target instanceof EntraError) return target;
    if (request.version === 'v2' && !target.permissions.every((permission) => permission === '.default')) {
      return entraErrors.clientCredentialsNeedDefaultScope(param(request.params, 'scope') ?? '');
    }
    const resolved = resolveTarget(target);
    if (resolved instanceof EntraError) return resolved;
    return issuer.issue({
      version: request.version,
      subject: { kind: 'app', app: client.app },
      resource: resolved.resource,
      requestedResource: resolved.requestedResource,
      permissions: client.app.appRoles[resolved.resource.audience] ?? [],
      target,
      clientInfo: false,
      clientAuthentication: client.authentication,
    });
  };

  const password = async (request: TokenRequest, client: AuthenticatedClient) => {
    const notAllowed = requirePublicOrSecret(client);
    if (notAllowed) return notAllowed;
    const username = param(request.params, 'username');
    if (username === undefined) return entraErrors.missingParameter('username');
    const secret = param(request.params, 'password');
    if (secret === undefined) return entraErrors.missingParameter('password');
    const target = readTarget(request);
    if (target instanceof EntraError) return target;
    const user = state.findUser(username);
    if (!user) return entraErrors.userNotFound(state.tenantId);
    if (user.password !== secret) return entraErrors.invalidUserCredentials();
    const resolved = resolveTarget(target);
    if (resolved instanceof EntraError) return resolved;
    if (user.mfaRequired)
      return entraErrors.mfaRequired(resolved.resource.appId ?? resolved.resource.audience);
    return issueForUser(request, client, user, resolved, { amr: ['pwd'] });
  };

  const refreshToken = async (request: TokenRequest, client: AuthenticatedClient) => {
    const notAllowed = requirePublicOrSecret(client);
    if (notAllowed) return notAllowed;
    const token = param(request.params, 'refresh_token');
    if (token === undefined) return entraErrors.missingParameter('refresh_token');
    const target = readTarget(request);
    if (target instanceof EntraError) return target;
    const record = state.refreshTokens.redeemable(token, client.app.clientId);
    if (record instanceof EntraError) return record;
    const user = state.findUser(record.username);
    if (!user) return entraErrors.invalidGrant();
    const resolved = resolveTarget(target);
    if (resolved instanceof EntraError) return resolved;
    return issueForUser(request, client, user, resolved, { amr: record.amr, authTime: record.authTime });
  };

  /** OIDC code flow (A3): the code from the authorize page, bound to client, tenant, redirect URI and PKCE. */
  const authorizationCode = async (request: TokenRequest, client: AuthenticatedClient) => {
    const notAllowed = requirePublicOrSecret(client);
    if (notAllowed) return notAllowed;
    const code = param(request.params, 'code');
    if (code === undefined) return entraErrors.missingParameter('code');
    const redirectUri = param(request.params, 'redirect_uri');
    if (redirectUri === undefined) return entraErrors.missingParameter('redirect_uri');
    // One tenant is emulated: any path that got this far (its id, domain, common, organizations) is it.
    const record = state.authorizationCodes.redeem({
      code,
      clientId: client.app.clientId,
      redirectUri,
      codeVerifier: param(request.params, 'code_verifier'),
    });
    if (record instanceof EntraError) return record;
    const user = state.findUser(record.username);
    if (!user) return entraErrors.invalidGrant();
    // The token request names what it wants now (msal repeats the scopes); without one, the authorize's.
    const asked = param(request.params, 'scope') === undefined ? record.target : readTarget(request);
    if (asked instanceof EntraError) return asked;
    const resolved = resolveTarget(asked);
    if (resolved instanceof EntraError) return resolved;
    const roles = user.appRoleAssignments[client.app.clientId] ?? [];
    return issueForUser(request, client, user, resolved, {
      amr: record.amr,
      authTime: record.authTime,
      idToken: { ...(record.nonce === undefined ? {} : { nonce: record.nonce }), roles },
    });
  };

  const deviceCodeGrant = async (request: TokenRequest, client: AuthenticatedClient) => {
    const notAllowed = requirePublicOrSecret(client);
    if (notAllowed) return notAllowed;
    // v2 sends `device_code`; the v1 endpoint (ADAL) sends `code`.
    const code = param(request.params, 'device_code') ?? param(request.params, 'code');
    if (code === undefined) return entraErrors.missingParameter('device_code');
    const record = state.deviceCodes.redeem(code, client.app.clientId);
    if (record instanceof EntraError) return record;
    const approval = record.approval;
    const user = approval ? state.findUser(approval.username) : undefined;
    if (!approval || !user) return entraErrors.invalidGrant();
    const resolved = resolveTarget(record.target);
    if (resolved instanceof EntraError) return resolved;
    return issueForUser(request, client, user, resolved, { amr: approval.amr, authTime: approval.at });
  };

  return {
    async token(request) {
      const specific = tenantIsSpecific(request.tenant);
      if (specific instanceof EntraError) return specific;
      const grantType = param(request.params, 'grant_type');
      if (grantType === undefined) return entraErrors.missingParameter('grant_type');
      const app = findClient(request);
      if (app instanceof EntraError) return app;
      const client = await authenticateClient(request, app);
      if (client instanceof EntraError) return client;
      switch (grantType) {
        case 'client_credentials':
          return clientCredentials(request, client, specific);
        case 'password':
          return password(request, client);
        case 'refresh_token':
          return refreshToken(request, client);
        case 'authorization_code':
          return authorizationCode(request, client);
        case DEVICE_CODE_GRANT:
        case 'device_code':
          return deviceCodeGrant(request, client);
        default:
          return entraErrors.unsupportedGrantType(grantType);
      }
    },

    deviceCode(request) {
      const specific = tenantIsSpecific(request.tenant);
      if (specific instanceof EntraError) return specific;
      const app = findClient(request);
      if (app instanceof EntraError) return app;
      const target = readTarget(request);
      if (target instanceof EntraError) return target;
      const resolved = resolveTarget(target);
      if (resolved instanceof EntraError) return resolved;
      const scopes = delegatedScopes(resolved);
      if (scopes instanceof EntraError) return scopes;

      const { settings } = state;
      const record = state.deviceCodes.issue(
        { clientId: app.clientId, tenant: request.tenant, version: request.version, target },
        settings.deviceCodeLifetimeSeconds,
      );
      if (settings.deviceCodeAutoApprove !== undefined) {
        state.approveDeviceCode(record.userCode, settings.deviceCodeAutoApprove);
      }
      const verificationUri = `${deps.origin()}/devicelogin`;
      const message = `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${record.userCode} to authenticate.`;
      const common = { user_code: record.userCode, device_code: record.deviceCode };
      if (request.version === 'v1') {
        return {
          ...common,
          verification_url: verificationUri,
          expires_in: String(settings.deviceCodeLifetimeSeconds),
          interval: String(settings.deviceCodeIntervalSeconds),
          message,
        };
      }
      return {
        ...common,
        verification_uri: verificationUri,
        expires_in: settings.deviceCodeLifetimeSeconds,
        interval: settings.deviceCodeIntervalSeconds,
        message,
      };
    },
  };
}

/** A form parameter, with empty values treated as absent (as Entra does). */
function param(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value.length === 0 ? undefined : value;
}
