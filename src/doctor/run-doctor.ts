/**
 * Runs every check a partner needs before going live, in the order a problem would surface: the
 * configuration and the files it names, the store, Entra ID and Partner Center, the CRM, the clock.
 * A check whose prerequisite failed is reported as not checked, never left out. Only reads, except
 * what every command does: opening (and migrating) the store, refreshing the stored sign-in, and one
 * cursor write proving the store takes writes.
 */
import { ConfigError } from '../config/config-error.ts';
import type { Config } from '../config/config-schema.ts';
import { readConfiguredPem } from '../config/read-pem-file.ts';
import { failed, passed, type SetupCheck, skipped } from '../core/setup-check.ts';
import { describeFailure } from '../net/explain-error.ts';
import { createLogger } from '../observability/logger.ts';
import { openBackend } from '../wiring/open-backend.ts';
import { createPartnerCenterAccess, type PartnerCenterAccess } from '../wiring/partner-center-access.ts';
import { createRemoteClients } from '../wiring/remote-clients.ts';
import { checkClockSkew, observeClocks } from './clock-checks.ts';
import {
  checkConfiguredFiles,
  checkPublicUrl,
  checkStoreLocation,
  type LocalCheck,
} from './configuration-checks.ts';
import { checkCrm } from './crm-checks.ts';
import { type DoctorLine, type DoctorReport, inGroup, reportOf } from './doctor-report.ts';
import { checkPartnerCenterSignIn } from './entra-checks.ts';
import { checkStore, type OpenedStore } from './store-checks.ts';
import { checkSigningCertificate, checkWebhookRegistration } from './webhook-checks.ts';

export const GROUPS = {
  configuration: 'configuration',
  store: 'store',
  entra: 'Entra ID and Partner Center',
  webhook: 'Partner Center webhook',
  crm: 'CRM',
  clock: 'clock',
} as const;

export type DoctorOptions = {
  /** Where the configuration came from, for its line ("referral-connector.yaml"). */
  source?: string;
  now?: () => number;
};

export async function runDoctor(load: () => Config, options: DoctorOptions = {}): Promise<DoctorReport> {
  const now = options.now ?? Date.now;
  let config: Config;
  try {
    config = load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return reportOf(
      error.problems.map((problem) => ({
        group: GROUPS.configuration,
        ...failed(
          problem.path,
          problem.problem,
          problem.fix ?? `set \`${problem.path}\` in the configuration file or its environment variable`,
        ),
      })),
    );
  }

  const lines: DoctorLine[] = [
    {
      group: GROUPS.configuration,
      ...passed('configuration', `valid (${options.source ?? 'defaults and environment'})`),
    },
  ];
  const files = checkConfiguredFiles(config, now());
  const storeLocation = checkStoreLocation(config);
  lines.push(...inGroup(GROUPS.configuration, [...files, checkPublicUrl(config)].map(withoutStartFlag)));
  const unusable = files.filter((check) => check.status === 'fail');
  const remoteGroups = [GROUPS.entra, GROUPS.webhook, `${GROUPS.crm} (${config.crm.kind})`, GROUPS.clock];
  if (unusable.length > 0) {
    const keys = unusable.map((check) => check.name).join(', ');
    return reportOf([
      ...lines,
      ...remoteGroups.map((group) => ({ group, ...skipped('remote checks', `need ${keys} fixed first`) })),
    ]);
  }

  const opened: OpenedStore = await openBackend(config).then(
    (backend) => ({ ok: true as const, backend }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (storeLocation.status === 'fail')
    lines.push({ group: GROUPS.store, ...withoutStartFlag(storeLocation) });
  lines.push(...inGroup(GROUPS.store, await checkStore(config, opened, now)));

  const observed = observeClocks(createRemoteClients(config), now);
  const { clients } = observed;
  try {
    const crm = checkCrm(config, {
      authorityHost: config.entra.authorityHost,
      partnerCenterApp: {
        tenantId: config.partnerCenter.tenantId,
        clientId: config.partnerCenter.clientId,
        clientSecret: config.partnerCenter.clientSecret,
      },
      httpClient: clients.client,
      entraHttp: clients.entra,
    });
    const partnerCenter = checkPartnerCenter(config, opened, clients);
    const [partnerCenterLines, crmLines] = await Promise.all([partnerCenter, crm]);
    lines.push(...partnerCenterLines);
    lines.push(...inGroup(`${GROUPS.crm} (${config.crm.kind})`, crmLines));
    lines.push({ group: GROUPS.clock, ...checkClockSkew(observed.samples()) });
  } finally {
    await Promise.allSettled([clients.closeAll(), opened.ok ? opened.backend.close() : Promise.resolve()]);
  }
  return reportOf(lines);
}

/** Entra sign-in first, then the webhook: both may refresh the one stored sign-in, one at a time. */
async function checkPartnerCenter(
  config: Config,
  opened: OpenedStore,
  clients: ReturnType<typeof createRemoteClients>,
): Promise<DoctorLine[]> {
  const certificate = checkSigningCertificate(
    config,
    {
      ...optional('trustedRootsPem', readConfiguredPem(config, 'partnerCenter.trustedRootsFile')?.pem),
      ...optional('intermediatesPem', readConfiguredPem(config, 'partnerCenter.intermediatesFile')?.pem),
      ...optional('downloadCaPem', clients.extraCaPem),
    },
    clients.client('certificates'),
  ).catch((error: unknown) => {
    const { problem, fix } = describeFailure(error);
    return failed('signing certificate', problem, fix ?? 'check `partnerCenter.certificateHosts`');
  });
  if (!opened.ok) {
    return [
      {
        group: GROUPS.entra,
        ...skipped('Partner Center sign-in', 'needs the store, which keeps the sign-in'),
      },
      { group: GROUPS.webhook, ...skipped('registration', 'needs the store, which keeps the sign-in') },
      { group: GROUPS.webhook, ...(await certificate) },
    ];
  }
  let access: PartnerCenterAccess;
  try {
    access = createPartnerCenterAccess(config, {
      secrets: opened.backend.store,
      clients,
      logger: createLogger({ level: 'silent' }),
    });
  } catch (error) {
    const { problem, fix } = describeFailure(error);
    return [
      {
        group: GROUPS.entra,
        ...failed(
          'Partner Center app',
          problem,
          fix ?? 'set `partnerCenter.tenantId` and `partnerCenter.clientId`',
        ),
      },
      { group: GROUPS.webhook, ...skipped('registration', 'needs the Partner Center app') },
      { group: GROUPS.webhook, ...(await certificate) },
    ];
  }
  const entra = await checkPartnerCenterSignIn(access, config);
  const registration: SetupCheck = await checkWebhookRegistration(access.webhooks, config);
  return [...inGroup(GROUPS.entra, entra), ...inGroup(GROUPS.webhook, [registration, await certificate])];
}

function withoutStartFlag({ blocksStart: _, ...check }: LocalCheck): SetupCheck {
  return check;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
