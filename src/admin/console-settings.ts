/**
 * The console's settings from the `admin` configuration section: where it listens, the URL people use,
 * and which sign-in methods are on. Pure; a half-configured Microsoft sign-in fails here, naming the key.
 */

import { ConfigError } from '../config/config-error.ts';
import type { Config } from '../config/config-schema.ts';

export type MicrosoftSignIn = {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  allowedUsers: readonly string[];
  allowedRole: string | undefined;
};

export type ConsoleSettings = {
  host: string;
  port: number;
  /** Set: the URL people open; unset: the bound address. */
  publicUrl: string | undefined;
  /** https in front: cookies are `Secure` and the session cookie takes the `__Host-` prefix. */
  secureCookies: boolean;
  token: string | undefined;
  microsoft: MicrosoftSignIn | undefined;
  idleMs: number;
  maxMs: number;
};

export function consoleSettings(config: Config): ConsoleSettings {
  const admin = config.admin;
  const publicUrl = admin.publicUrl?.replace(/\/+$/, '');
  return {
    host: admin.host,
    port: admin.port,
    publicUrl,
    secureCookies: publicUrl?.startsWith('https://') ?? false,
    token: admin.token,
    microsoft: microsoftSignIn(config),
    idleMs: admin.sessionIdleMinutes * 60_000,
    maxMs: admin.sessionMaxHours * 3_600_000,
  };
}

function microsoftSignIn(config: Config): MicrosoftSignIn | undefined {
  const admin = config.admin;
  if (admin.clientId === undefined) return undefined;
  const tenantId = admin.tenantId ?? config.partnerCenter.tenantId;
  const missing = [
    ...(admin.clientSecret === undefined ? ['admin.clientSecret'] : []),
    ...(tenantId === undefined ? ['admin.tenantId'] : []),
  ];
  if (missing.length > 0 || admin.clientSecret === undefined || tenantId === undefined) {
    throw new ConfigError(
      missing.map((path) => ({
        path,
        problem: 'is required for Sign in with Microsoft (admin.clientId is set)',
      })),
      'missing keys',
    );
  }
  if (admin.allowedUsers.length === 0 && admin.allowedRole === undefined) {
    throw new ConfigError(
      [
        {
          path: 'admin.allowedUsers',
          problem: 'names nobody and admin.allowedRole is unset, so no one could sign in with Microsoft',
          fix: 'list user principal names or object ids, or set admin.allowedRole',
        },
      ],
      'missing keys',
    );
  }
  return {
    authorityHost: config.entra.authorityHost.replace(/\/+$/, ''),
    tenantId,
    clientId: admin.clientId,
    clientSecret: admin.clientSecret,
    allowedUsers: admin.allowedUsers,
    allowedRole: admin.allowedRole,
  };
}
