/**
 * The emulator's control API, mounted at `/control/entra`: look at and change the tenant while it
 * runs (device-code approval, users, apps, resources, lifetimes, session revocation). Not part of
 * Entra; answers `{ error: { code, message } }` on bad input. Never returns passwords or secrets.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { DeviceCodeRecord } from './device-codes.ts';
import type { EntraApp, EntraState, EntraUser } from './entra-state.ts';

const userBody = z.object({
  username: z.string().min(3),
  password: z.string().min(1),
  oid: z.uuid().optional(),
  displayName: z.string().min(1).optional(),
  mfaRegistered: z.boolean().optional(),
  mfaRequired: z.boolean().optional(),
  /** App roles by client id: the `roles` of the user's id_tokens for that app. */
  appRoleAssignments: z.record(z.string(), z.array(z.string().min(1))).optional(),
});

const appBody = z.object({
  clientId: z.string().min(1),
  displayName: z.string().min(1).optional(),
  secret: z.string().min(1).optional(),
  certificates: z.array(z.string().includes('BEGIN CERTIFICATE')).optional(),
  publicClient: z.boolean().optional(),
  redirectUris: z.array(z.string()).optional(),
  servicePrincipalId: z.uuid().optional(),
  appRoles: z.record(z.string(), z.array(z.string())).optional(),
  appRoleAssignmentRequired: z.boolean().optional(),
});

const resourceBody = z.object({
  audience: z.string().min(1),
  appId: z.string().min(1).optional(),
  displayName: z.string().min(1).optional(),
  delegatedScopes: z.array(z.string().min(1)).optional(),
  appRoles: z.array(z.string().min(1)).optional(),
  accessTokenVersion: z.union([z.literal(1), z.literal(2)]).optional(),
});

const positiveSeconds = z.number().positive();
const settingsBody = z.object({
  tokenLifetimeSeconds: z.number().int().positive().optional(),
  refreshTokenLifetimeSeconds: positiveSeconds.optional(),
  deviceCodeLifetimeSeconds: positiveSeconds.optional(),
  deviceCodeIntervalSeconds: positiveSeconds.optional(),
  /** null turns auto-approval off. */
  deviceCodeAutoApprove: z.string().min(1).nullable().optional(),
  authorizationCodeLifetimeSeconds: positiveSeconds.optional(),
});

const approveBody = z.object({ username: z.string().min(1) });

export function registerEntraControlRoutes(app: FastifyInstance, state: EntraState): void {
  app.get('/state', async () => ({
    tenantId: state.tenantId,
    tenantDomain: state.tenantDomain,
    settings: state.settings,
    apps: [...state.apps.values()].map(appView),
    users: [...state.users.values()].map(userView),
    resources: state.resources,
    pendingDeviceCodes: state.pendingDeviceCodes().map(deviceCodeView),
  }));

  app.get('/device-codes', async () => state.pendingDeviceCodes().map(deviceCodeView));

  app.post<{ Params: { userCode: string } }>('/device-codes/:userCode/approve', async (request, reply) => {
    const body = parse(approveBody, request.body, reply);
    if (!body) return reply;
    const outcome = state.approveDeviceCode(request.params.userCode, body.username);
    if (outcome.ok) return deviceCodeView(outcome.record);
    const status = outcome.reason === 'unknown_code' || outcome.reason === 'unknown_user' ? 404 : 409;
    return sendControlError(
      reply,
      status,
      outcome.reason,
      `Cannot approve ${request.params.userCode}: ${outcome.reason}`,
    );
  });

  app.post('/users', async (request, reply) => {
    const body = parse(userBody, request.body, reply);
    if (!body) return reply;
    return reply.code(201).send(userView(state.addUser(body)));
  });

  app.post<{ Params: { username: string } }>(
    '/users/:username/revoke-refresh-tokens',
    async (request, reply) => {
      if (!state.findUser(request.params.username)) {
        return sendControlError(reply, 404, 'unknown_user', `No user ${request.params.username}`);
      }
      return { revoked: state.revokeRefreshTokens(request.params.username) };
    },
  );

  app.post('/apps', async (request, reply) => {
    const body = parse(appBody, request.body, reply);
    if (!body) return reply;
    return reply.code(201).send(appView(state.addApp(body)));
  });

  app.post('/resources', async (request, reply) => {
    const body = parse(resourceBody, request.body, reply);
    if (!body) return reply;
    return reply.code(201).send(state.addResource(body));
  });

  app.patch('/settings', async (request, reply) => {
    const body = parse(settingsBody, request.body, reply);
    if (!body) return reply;
    const { deviceCodeAutoApprove, ...numbers } = body;
    if (deviceCodeAutoApprove && !state.findUser(deviceCodeAutoApprove)) {
      return sendControlError(
        reply,
        400,
        'unknown_user',
        `No user ${deviceCodeAutoApprove} to auto-approve as`,
      );
    }
    for (const [key, value] of Object.entries(numbers)) {
      if (value !== undefined) state.settings[key as keyof typeof numbers] = value;
    }
    if (deviceCodeAutoApprove !== undefined)
      state.settings.deviceCodeAutoApprove = deviceCodeAutoApprove ?? undefined;
    return state.settings;
  });
}

function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): T | undefined {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  sendControlError(reply, 400, 'invalid_body', z.prettifyError(result.error));
  return undefined;
}

function sendControlError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

function appView(app: EntraApp) {
  const { secrets, certificates, ...rest } = app;
  return {
    ...rest,
    secretCount: secrets.length,
    certificateThumbprints: certificates.map((certificate) => certificate.thumbprintSha256),
  };
}

function userView(user: EntraUser) {
  const { password: _password, ...rest } = user;
  return rest;
}

function deviceCodeView(record: DeviceCodeRecord) {
  return {
    userCode: record.userCode,
    clientId: record.clientId,
    tenant: record.tenant,
    resource: record.target.resource ?? null,
    permissions: record.target.permissions,
    issuedAt: new Date(record.issuedAt).toISOString(),
    expiresAt: new Date(record.expiresAt).toISOString(),
    approvedAs: record.approval?.username ?? null,
  };
}
