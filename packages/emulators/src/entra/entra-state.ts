/**
 * The emulated Entra tenant: its app registrations, users, the APIs (resources) it can issue tokens
 * for, token lifetimes, and the sign-ins in flight (refresh tokens, device codes). Mutable at runtime
 * through these methods, the control routes, or directly by in-process tests.
 *
 * Glossary: an *app* is an app registration (client id + secrets) with its service principal in this
 * tenant; a *resource* is an API's service principal, known by its App ID URI (token `aud`);
 * *public client* is the "Allow public client flows" switch that lets device code and ROPC run
 * without a client secret.
 */
import { createHash } from 'node:crypto';
import { DEV_CREDENTIALS, PARTNER_CENTER_AUDIENCES } from '../credentials.ts';
import type { Random } from '../shared/random.ts';
import { type AuthorizationCodes, createAuthorizationCodes } from './authorization-codes.ts';
import { describeCertificate, type EntraCertificate } from './client-assertion.ts';
import {
  type ApproveOutcome,
  createDeviceCodes,
  type DeviceCodeRecord,
  type DeviceCodes,
} from './device-codes.ts';
import { createRefreshTokens, type RefreshTokens } from './refresh-tokens.ts';
import { trimTrailingSlashes } from './token-target.ts';

export type EntraSecret = {
  value: string /** Epoch ms; expired secrets get AADSTS7000222. */;
  expiresAt?: number;
};

export type EntraApp = {
  clientId: string;
  displayName: string;
  secrets: EntraSecret[];
  /** Certificate credentials (client assertions). */
  certificates: EntraCertificate[];
  publicClient: boolean;
  redirectUris: string[];
  /** Object id of the app's service principal: the `oid`/`sub` of its app-only tokens. */
  servicePrincipalId: string;
  /** Application permissions granted to the app, by resource audience: the `roles` of app-only tokens. */
  appRoles: Record<string, string[]>;
  /**
   * "Assignment required?" on the app's service principal: a user without an app-role assignment for
   * this app is refused at the authorize page (`error=access_denied`, AADSTS50105).
   */
  appRoleAssignmentRequired: boolean;
};

export type EntraUser = {
  username: string;
  password: string;
  oid: string;
  displayName: string;
  /** Device-code sign-ins of a registered user satisfy MFA (`amr` gets "mfa"). */
  mfaRegistered: boolean;
  /** Conditional access demands MFA: ROPC (which cannot do MFA) fails with AADSTS50076. */
  mfaRequired: boolean;
  /** App roles assigned to the user, by client id of the app: the `roles` claim of its id_tokens. */
  appRoleAssignments: Record<string, string[]>;
};

export type EntraResource = {
  /** App ID URI, the `aud` of v1 access tokens, e.g. "https://api.partner.microsoft.com". */
  audience: string;
  /** The resource's application id; scopes may name it instead of the URI; `aud` of v2 access tokens. */
  appId?: string;
  displayName: string;
  /** Delegated permissions (`scp`), e.g. ["user_impersonation"]. */
  delegatedScopes: string[];
  /** Application permissions apps may be granted (`roles`). */
  appRoles: string[];
  /**
   * Access-token version the API accepts (`accessTokenAcceptedVersion` in its manifest). It, not the
   * endpoint, decides the token format; Microsoft's own APIs (Partner Center, Dataverse) take v1.
   */
  accessTokenVersion: 1 | 2;
};

export type EntraAppInput = Partial<Omit<EntraApp, 'clientId' | 'secrets' | 'certificates'>> & {
  clientId: string;
  /** PEM certificates whose keys may sign client assertions. */
  certificates?: string[];
  /** Shorthand for one never-expiring secret. */
  secret?: string;
  secrets?: EntraSecret[];
};
export type EntraUserInput = Partial<Omit<EntraUser, 'username' | 'password'>> & {
  username: string;
  password: string;
};
export type EntraResourceInput = Partial<Omit<EntraResource, 'audience'>> & { audience: string };

export type EntraSettings = {
  tokenLifetimeSeconds: number;
  /** Inactivity window of each refresh token (Entra: 90 days). */
  refreshTokenLifetimeSeconds: number;
  deviceCodeLifetimeSeconds: number;
  /** `interval` of devicecode responses; fractions are allowed so tests poll quickly. */
  deviceCodeIntervalSeconds: number;
  /** Username every new device code is approved as at once (demo mode). */
  deviceCodeAutoApprove: string | undefined;
  /** Life of an authorization code from the authorize page (Entra: about 10 minutes). */
  authorizationCodeLifetimeSeconds: number;
};

export type EntraOptions = Partial<EntraSettings> & {
  tenantId?: string;
  /** Verified domain of the tenant; also accepted as the tenant path segment. */
  tenantDomain?: string;
  /** Replace the default app (DEV_CREDENTIALS.clientId). */
  apps?: EntraAppInput[];
  /** Replace the default user (DEV_CREDENTIALS.username). */
  users?: EntraUserInput[];
  /** Added to the default Partner Center resources. */
  resources?: EntraResourceInput[];
};

export type DeviceCodeApprovalResult = ApproveOutcome | { ok: false; reason: 'unknown_user' };

export type EntraState = {
  readonly tenantId: string;
  readonly tenantDomain: string;
  readonly settings: EntraSettings;
  readonly apps: Map<string, EntraApp>;
  readonly users: Map<string, EntraUser>;
  readonly resources: EntraResource[];
  readonly refreshTokens: RefreshTokens;
  readonly deviceCodes: DeviceCodes;
  readonly authorizationCodes: AuthorizationCodes;
  addApp(input: EntraAppInput): EntraApp;
  addUser(input: EntraUserInput): EntraUser;
  /** Registers (or replaces, by audience) an API the tenant can issue tokens for. */
  addResource(input: EntraResourceInput): EntraResource;
  findApp(clientId: string): EntraApp | undefined;
  findUser(username: string): EntraUser | undefined;
  /** By App ID URI (case and trailing slash ignored) or app id. */
  findResource(audienceOrAppId: string): EntraResource | undefined;
  /** Whether a tenant path segment names this tenant (id or domain). */
  isThisTenant(segment: string): boolean;
  setTokenLifetime(seconds: number): void;
  approveDeviceCode(userCode: string, username: string): DeviceCodeApprovalResult;
  pendingDeviceCodes(): DeviceCodeRecord[];
  /** Revokes every refresh token of the user (as "Revoke sessions" does); returns how many. */
  revokeRefreshTokens(username: string): number;
};

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Microsoft Partner Center's application id; both API hosts belong to it. */
const PARTNER_CENTER_APP_ID = 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd';

export const DEFAULT_ENTRA_SETTINGS: EntraSettings = {
  tokenLifetimeSeconds: 3600,
  refreshTokenLifetimeSeconds: 90 * 24 * 3600,
  deviceCodeLifetimeSeconds: 900,
  deviceCodeIntervalSeconds: 5,
  deviceCodeAutoApprove: undefined,
  authorizationCodeLifetimeSeconds: 600,
};

export function createEntraState(
  options: EntraOptions,
  deps: { now: () => number; random: Random },
): EntraState {
  const { now, random } = deps;
  const tenantId = options.tenantId ?? DEV_CREDENTIALS.tenant;
  const tenantDomain = options.tenantDomain ?? DEV_CREDENTIALS.username.split('@')[1] ?? 'contoso.example';
  const settings: EntraSettings = {
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_ENTRA_SETTINGS.tokenLifetimeSeconds,
    refreshTokenLifetimeSeconds:
      options.refreshTokenLifetimeSeconds ?? DEFAULT_ENTRA_SETTINGS.refreshTokenLifetimeSeconds,
    deviceCodeLifetimeSeconds:
      options.deviceCodeLifetimeSeconds ?? DEFAULT_ENTRA_SETTINGS.deviceCodeLifetimeSeconds,
    deviceCodeIntervalSeconds:
      options.deviceCodeIntervalSeconds ?? DEFAULT_ENTRA_SETTINGS.deviceCodeIntervalSeconds,
    deviceCodeAutoApprove: options.deviceCodeAutoApprove,
    authorizationCodeLifetimeSeconds:
      options.authorizationCodeLifetimeSeconds ?? DEFAULT_ENTRA_SETTINGS.authorizationCodeLifetimeSeconds,
  };
  const apps = new Map<string, EntraApp>();
  const users = new Map<string, EntraUser>();
  const resources: EntraResource[] = [];
  const opaque = random.fork('entra/opaque');

  const state: EntraState = {
    tenantId,
    tenantDomain,
    settings,
    apps,
    users,
    resources,
    refreshTokens: createRefreshTokens({ now, mint: () => `0.A${opaqueText(opaque, 180)}` }),
    deviceCodes: createDeviceCodes({
      now,
      mintDeviceCode: () => `DAQABIQEAAAD${opaqueText(opaque, 120)}`,
      mintUserCode: () => userCodeText(opaque),
    }),
    authorizationCodes: createAuthorizationCodes({
      now,
      mint: () => `1.A${opaqueText(opaque, 240)}`,
    }),
    addApp(input) {
      const app: EntraApp = {
        clientId: input.clientId.toLowerCase(),
        displayName: input.displayName ?? `App ${input.clientId}`,
        secrets: [...(input.secrets ?? []), ...(input.secret === undefined ? [] : [{ value: input.secret }])],
        certificates: (input.certificates ?? []).map(describeCertificate),
        publicClient: input.publicClient ?? false,
        redirectUris: input.redirectUris ?? [],
        servicePrincipalId: input.servicePrincipalId ?? derivedGuid(`sp:${tenantId}:${input.clientId}`),
        appRoles: normalizeRoleKeys(input.appRoles ?? {}),
        appRoleAssignmentRequired: input.appRoleAssignmentRequired ?? false,
      };
      apps.set(app.clientId, app);
      return app;
    },
    addUser(input) {
      const user: EntraUser = {
        username: input.username,
        password: input.password,
        oid: input.oid ?? derivedGuid(`user:${tenantId}:${input.username.toLowerCase()}`),
        displayName: input.displayName ?? input.username.split('@')[0] ?? input.username,
        mfaRegistered: input.mfaRegistered ?? true,
        mfaRequired: input.mfaRequired ?? false,
        appRoleAssignments: Object.fromEntries(
          Object.entries(input.appRoleAssignments ?? {}).map(([clientId, roles]) => [
            clientId.toLowerCase(),
            [...roles],
          ]),
        ),
      };
      users.set(user.username.toLowerCase(), user);
      return user;
    },
    addResource(input) {
      const resource: EntraResource = {
        audience: trimTrailingSlashes(input.audience),
        ...(input.appId ? { appId: input.appId.toLowerCase() } : {}),
        displayName: input.displayName ?? input.audience,
        delegatedScopes: input.delegatedScopes ?? ['user_impersonation'],
        appRoles: input.appRoles ?? [],
        accessTokenVersion: input.accessTokenVersion ?? 1,
      };
      const existing = resources.findIndex((r) => sameAudience(r.audience, resource.audience));
      if (existing >= 0) resources.splice(existing, 1, resource);
      else resources.push(resource);
      return resource;
    },
    findApp: (clientId) => apps.get(clientId.trim().toLowerCase()),
    findUser: (username) => users.get(username.trim().toLowerCase()),
    findResource(audienceOrAppId) {
      const wanted = audienceOrAppId.trim();
      return resources.find(
        (r) =>
          sameAudience(r.audience, wanted) || (r.appId !== undefined && r.appId === wanted.toLowerCase()),
      );
    },
    isThisTenant: (segment) => {
      const lower = segment.toLowerCase();
      return lower === tenantId.toLowerCase() || lower === tenantDomain.toLowerCase();
    },
    setTokenLifetime(seconds) {
      settings.tokenLifetimeSeconds = seconds;
    },
    approveDeviceCode(userCode, username) {
      const user = state.findUser(username);
      if (!user) return { ok: false, reason: 'unknown_user' };
      return state.deviceCodes.approve(userCode, {
        username: user.username,
        amr: user.mfaRegistered ? ['pwd', 'mfa'] : ['pwd'],
        at: now(),
      });
    },
    pendingDeviceCodes: () => state.deviceCodes.pending(),
    revokeRefreshTokens: (username) => state.refreshTokens.revokeUser(username),
  };

  const defaultApps: EntraAppInput[] = [
    {
      clientId: DEV_CREDENTIALS.clientId,
      displayName: 'Referral Connector',
      secret: DEV_CREDENTIALS.clientSecret,
      publicClient: true,
    },
  ];
  const defaultUsers: EntraUserInput[] = [
    {
      username: DEV_CREDENTIALS.username,
      password: DEV_CREDENTIALS.password,
      displayName: 'Referrals Admin',
    },
  ];
  for (const app of options.apps ?? defaultApps) state.addApp(app);
  for (const user of options.users ?? defaultUsers) state.addUser(user);
  state.addResource({
    audience: PARTNER_CENTER_AUDIENCES.referrals,
    appId: PARTNER_CENTER_APP_ID,
    displayName: 'Microsoft Partner Center',
  });
  state.addResource({
    audience: PARTNER_CENTER_AUDIENCES.webhooks,
    displayName: 'Microsoft Partner Center (classic API)',
  });
  // A sign-in that asks only for OpenID scopes gets its access token for Microsoft Graph, as on Entra.
  state.addResource({
    audience: GRAPH_AUDIENCE,
    appId: GRAPH_APP_ID,
    displayName: 'Microsoft Graph',
    delegatedScopes: ['User.Read'],
  });
  for (const resource of options.resources ?? []) state.addResource(resource);
  if (settings.deviceCodeAutoApprove !== undefined && !state.findUser(settings.deviceCodeAutoApprove)) {
    throw new Error(
      `entra.deviceCodeAutoApprove names '${settings.deviceCodeAutoApprove}', who is not a user of the emulated tenant; add them to entra.users or leave deviceCodeAutoApprove unset`,
    );
  }
  return state;
}

function sameAudience(a: string, b: string): boolean {
  return trimTrailingSlashes(a).toLowerCase() === trimTrailingSlashes(b).toLowerCase();
}

function normalizeRoleKeys(roles: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(roles).map(([key, value]) => [trimTrailingSlashes(key), value]));
}

/** A stable GUID for a name, so ids survive restarts and do not shift other seeded draws. */
export function derivedGuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32).split('');
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const OPAQUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function opaqueText(random: Random, length: number): string {
  return Array.from({ length }, () => OPAQUE_ALPHABET[random.int(0, OPAQUE_ALPHABET.length - 1)]).join('');
}

/** Nine characters, like Entra's user codes ("F6RKQ2JPS"). */
function userCodeText(random: Random): string {
  return Array.from(
    { length: 9 },
    () => USER_CODE_ALPHABET[random.int(0, USER_CODE_ALPHABET.length - 1)],
  ).join('');
}
