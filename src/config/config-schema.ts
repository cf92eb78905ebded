/**
 * The connector's configuration: one zod schema holding every key, its default and its description.
 * Defaults point at the real Microsoft endpoints; everything tenant- or credential-specific has no
 * default and is required only by the commands that need it (see `requireKeys`).
 */
import { z } from 'zod';
import { crmConfigSchema } from '../crm/crm-config.ts';
import { INGRESS_DEFAULTS } from '../ingress/ingress-defaults.ts';
import { mappingConfigSchema } from '../mapping/mapping-config-schema.ts';
import { QUEUE_DEFAULTS } from '../store/queue-defaults.ts';
import { SELECT_ALL, SELECTABLE_DIRECTIONS, SELECTABLE_STATUSES } from '../sync/selection-policy.ts';
import { proxyTrustSchema } from './proxy-trust.ts';

const url = () => z.url({ protocol: /^https?$/ });
const flag = () => z.union([z.boolean(), z.stringbool()]);
const base64Key = () =>
  z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (openssl rand -base64 32)');
const WEBHOOK_EVENTS = [
  'referral-created',
  'referral-updated',
  'related-referral-created',
  'related-referral-updated',
] as const;

export const configSchema = z.strictObject({
  dataDir: z.string().min(1).default('./data').describe('where the SQLite database lives'),
  server: z
    .strictObject({
      host: z.string().min(1).default('0.0.0.0').describe('address the HTTP server binds'),
      port: z.coerce.number().int().min(0).max(65535).default(8080).describe('HTTP port'),
      publicUrl: url()
        .optional()
        .describe(
          'https URL Partner Center reaches this server at; the webhook is <publicUrl>/webhooks/partner-center',
        ),
      bodyLimitBytes: z.coerce
        .number()
        .int()
        .min(1024)
        .max(1_048_576)
        .default(INGRESS_DEFAULTS.bodyLimit)
        .describe('largest webhook body accepted'),
      trustProxy: proxyTrustSchema
        .default(false)
        .describe(
          'whose X-Forwarded-* headers to believe: false (nobody), true (every hop, only behind a proxy that ' +
            'overwrites them) or the proxies as addresses/CIDRs, e.g. [10.0.0.0/8]; no hop count',
        ),
    })
    .prefault({}),
  entra: z
    .strictObject({
      authorityHost: url().default('https://login.microsoftonline.com').describe('Entra ID sign-in host'),
    })
    .prefault({}),
  partnerCenter: z
    .strictObject({
      tenantId: z.string().min(1).optional().describe("the partner's Entra tenant id"),
      clientId: z
        .string()
        .min(1)
        .optional()
        .describe('app registration with Partner Center user_impersonation'),
      clientSecret: z.string().min(1).optional().describe('secret of that app (confidential client)'),
      referralsUrl: url()
        .default('https://api.partner.microsoft.com/v1.0/engagements/referrals')
        .describe('Referrals API base URL'),
      referralsAudience: z
        .string()
        .min(1)
        .default('https://api.partner.microsoft.com')
        .describe('token audience of the Referrals API'),
      webhooksUrl: url()
        .default('https://api.partnercenter.microsoft.com/webhooks/v1')
        .describe('Webhook registration API base URL'),
      webhooksAudience: z
        .string()
        .min(1)
        .default('https://api.partnercenter.microsoft.com')
        .describe('token audience of the webhook API'),
      webhookEvents: z
        .array(z.enum(WEBHOOK_EVENTS))
        .default([...WEBHOOK_EVENTS])
        .describe('events to register'),
      signatureInHeader: z
        .enum(['authorization', 'x-ms-signature'])
        .default('authorization')
        .describe('where Partner Center puts the signature (SignatureTokenToMsSignatureHeader)'),
      certificateHosts: z
        .array(z.string().min(1))
        .default([...INGRESS_DEFAULTS.certificateHosts])
        .describe(
          'hosts the signing certificate may be downloaded from (only https://<host>/cert/<file>.cer, no query); ' +
            '`*.suffix` for any name below suffix, `host:port` for a port other than 443',
        ),
      issuerCertificateHosts: z
        .array(z.string().min(1))
        .default([...INGRESS_DEFAULTS.issuerHosts])
        .describe(
          "hosts a certificate's intermediates may be fetched from (AIA caIssuers); `host:port` for a non-default port",
        ),
      trustedRootsFile: z
        .string()
        .min(1)
        .optional()
        .describe("PEM roots trusted in addition to Node's bundled ones"),
      intermediatesFile: z
        .string()
        .min(1)
        .optional()
        .describe('PEM intermediates used when AIA download is not possible'),
    })
    .prefault({}),
  crm: crmConfigSchema.prefault({}),
  mapping: mappingConfigSchema.prefault({}),
  tls: z
    .strictObject({
      extraCaFile: z
        .string()
        .min(1)
        .optional()
        .describe('PEM CAs trusted for outgoing https, in addition to the system ones'),
    })
    .prefault({}),
  sync: z
    .strictObject({
      concurrency: z.coerce
        .number()
        .int()
        .min(1)
        .max(256)
        .default(64)
        .describe('referrals synced in parallel'),
      maxAttempts: z.coerce
        .number()
        .int()
        .min(1)
        .max(100)
        .default(QUEUE_DEFAULTS.maxAttempts)
        .describe('attempts before a job is dead-lettered'),
      backoffBaseMs: z.coerce
        .number()
        .int()
        .min(1)
        .default(QUEUE_DEFAULTS.backoffBaseMs)
        .describe('retry back-off: attempt n waits up to min(cap, base · 2^(n-1)), full jitter'),
      backoffCapMs: z.coerce
        .number()
        .int()
        .min(1)
        .default(QUEUE_DEFAULTS.backoffCapMs)
        .describe('retry back-off ceiling'),
      minIntervalMs: z.coerce
        .number()
        .int()
        .min(0)
        .default(1000)
        .describe(
          'least time between two syncs of one referral; a burst of events in between folds into one',
        ),
      reconcileIntervalSeconds: z.coerce
        .number()
        .min(0)
        .default(300)
        .describe(
          'how often to list changed referrals, catching events Partner Center never delivered (0: off)',
        ),
      crmPollSeconds: z.coerce
        .number()
        .min(0)
        .default(60)
        .describe('how often to ask the CRM which leads sellers qualified or disqualified (0: off)'),
      reconcileLookbackHours: z.coerce
        .number()
        .min(0)
        .default(24)
        .describe(
          'how far back the very first reconciler pass looks; later passes, after a restart too, resume where the last one left off',
        ),
      writeBack: flag().default(true).describe('write the lead id and state back to the referral'),
      leaseSeconds: z.coerce
        .number()
        .int()
        .min(5)
        .default(120)
        .describe('how long a worker holds a job before others may take it'),
      select: z
        .strictObject({
          direction: z
            .enum(SELECTABLE_DIRECTIONS)
            .default(SELECT_ALL.direction)
            .describe(
              'which referrals get a lead: incoming (sent to the partner), outgoing (sent by the partner) or all',
            ),
          statuses: z
            .array(z.enum(SELECTABLE_STATUSES))
            .min(1)
            .default([...SELECT_ALL.statuses])
            .describe(
              'referrals in these statuses get a lead; one that has a lead keeps syncing whatever its status, so the lead learns how it ended',
            ),
          createdAfter: z
            .union([z.iso.date(), z.iso.datetime({ offset: true })])
            .optional()
            .describe(
              'only referrals created at or after this date (2026-01-01, midnight UTC) or instant get a lead',
            ),
        })
        .prefault({}),
    })
    .prefault({}),
  store: z
    .strictObject({
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a postgres:// URL')
        .optional()
        .describe(
          'PostgreSQL shared by several instances (postgres://user@host:5432/db?sslmode=verify-full); unset: SQLite in dataDir',
        ),
      schema: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
        .default('referral_connector')
        .describe('PostgreSQL schema holding the connector’s tables; created and migrated at start'),
      poolSize: z.coerce
        .number()
        .int()
        .min(2)
        .max(100)
        .default(10)
        .describe('PostgreSQL connections per instance (one more listens for the others)'),
      synchronous: z
        .enum(['FULL', 'NORMAL'])
        .default('FULL')
        .describe(
          'SQLite durability: FULL survives power loss after a 200; NORMAL may lose the last commits',
        ),
      busyTimeoutMs: z.coerce
        .number()
        .int()
        .min(0)
        .default(2000)
        .describe('how long a write waits for the database lock before the webhook gets 503'),
      inboxRetentionDays: z.coerce
        .number()
        .min(0)
        .default(30)
        .describe('days a received callback is kept for audit and replay (0: for ever)'),
      timelineRetentionDays: z.coerce
        .number()
        .min(0)
        .default(90)
        .describe('days the steps of each sync are kept (0: for ever); links and dead letters stay'),
    })
    .prefault({}),
  secrets: z
    .strictObject({
      encryptionKey: base64Key()
        .optional()
        .describe(
          'encrypts stored secrets (the Partner Center sign-in); unset: a key made once in {dataDir}/secrets.key ' +
            '(mode 0600), which must stay with the data directory (lost, it means `auth login` again)',
        ),
      previousEncryptionKeys: z
        .array(base64Key())
        .default([])
        .describe('keys rotated out of secrets.encryptionKey, still used to open what they sealed'),
    })
    .prefault({}),
  admin: z
    .strictObject({
      enabled: flag().default(true).describe('serve the operator console on its own listener (false: off)'),
      host: z
        .string()
        .min(1)
        .default('127.0.0.1')
        .describe('address the console binds, never the public one: put an https reverse proxy in front'),
      port: z.coerce
        .number()
        .int()
        .min(0)
        .max(65535)
        .default(8081)
        .describe('console port, apart from the webhook port'),
      publicUrl: url()
        .optional()
        .describe(
          'URL people open the console at; https makes its session cookie Secure; Sign in with Microsoft returns to <publicUrl>/auth/callback',
        ),
      token: z
        .string()
        .min(32, 'must be at least 32 characters (openssl rand -base64 32)')
        .optional()
        .describe('sign-in for development and the demo: a long random secret (openssl rand -base64 32)'),
      tenantId: z
        .string()
        .min(1)
        .optional()
        .describe('Entra tenant people sign in from (default: partnerCenter.tenantId)'),
      clientId: z
        .string()
        .min(1)
        .optional()
        .describe(
          'app registration for Sign in with Microsoft (Web platform, redirect URI <publicUrl>/auth/callback)',
        ),
      clientSecret: z.string().min(1).optional().describe('secret of that app'),
      allowedUsers: z
        .array(z.string().min(1))
        .default([])
        .describe('who may sign in with Microsoft: user principal names or object ids'),
      allowedRole: z
        .string()
        .min(1)
        .optional()
        .describe('app role (of admin.clientId) whose holders may sign in with Microsoft'),
      sessionIdleMinutes: z.coerce
        .number()
        .min(1)
        .max(24 * 60)
        .default(30)
        .describe('a console session unused this long ends'),
      sessionMaxHours: z.coerce
        .number()
        .min(1)
        .max(24)
        .default(8)
        .describe('a console session ends this long after sign-in, however busy'),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info')
        .describe('log level'),
    })
    .prefault({}),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
