/**
 * The emulated Dynamics 365 Sales organization: the Dataverse Web API (v9.2) for leads, mounted at
 * `/dataverse/api/data/v9.2`; the organization URL, which access tokens must name as audience, is
 * `<origin>/dataverse`. See README.md for routes, control API, knobs and choices on unconfirmed points.
 */
import { DEV_CREDENTIALS } from '../credentials.ts';
import type { EmulatedService, EmulatorContext } from '../shared/emulated-service.ts';
import { createDataverseControl } from './dataverse-control.ts';
import { createDataverseRoutes } from './dataverse-routes.ts';
import { createDeltaTokens, DEFAULT_DELTA_TOKEN_LIFETIME_MS } from './delta-tokens.ts';
import { createEntityMetadata, KEY_INDEX_STATUSES, type KeyIndexStatus } from './entity-metadata.ts';
import type { Row } from './entity-schema.ts';
import { createLeadOperations, type QualifyResult } from './lead-operations.ts';
import { createLeadPrivileges, LEAD_PRIVILEGES, type LeadPrivilege } from './lead-privileges.ts';
import { type LeadRejectionRule, readLeadRejectionRules } from './lead-rejection-rules.ts';
import {
  type CustomColumn,
  createLeadSchema,
  DEFAULT_ALTERNATE_KEY,
  DEFAULT_CUSTOM_COLUMNS,
} from './lead-schema.ts';
import { createLeadTable, type LeadRecord } from './lead-table.ts';
import type { KeyValue } from './odata-resource-path.ts';
import {
  createServiceProtection,
  type ServiceProtectionLimits,
  type ThrottledCounters,
} from './service-protection.ts';
import { CURRENCY_SCHEMA, createCurrencyRows } from './transaction-currencies.ts';
import { createWebApi } from './web-api.ts';

export const DATAVERSE_SERVICE_PATH = '/dataverse/api/data/v9.2';

export type DataverseOptions = {
  /** Client ids of the Entra apps that are application users of the organization. Default: the dev app. */
  applicationUsers?: readonly string[];
  /** The organization's Entra tenant; tokens from other tenants get 401. Default: the dev tenant. */
  tenantId?: string;
  /** Custom String columns on lead. Default: new_referralid (100), new_referralurl (500). */
  customColumns?: readonly CustomColumn[];
  /** Columns of lead's alternate key. Default: ["new_referralid"]. */
  alternateKey?: readonly string[];
  limits?: Partial<ServiceProtectionLimits>;
  /** How long a delta token stays valid. Default: 7 days. */
  deltaTokenLifetimeMs?: number;
  /** Leads present at start, as create payloads (e.g. `{ lastname, new_referralid }`). */
  leads?: ReadonlyArray<Record<string, unknown>>;
  /** Scheme://host of the sign-in service named in 401 challenges. Default: the world origin. */
  loginOrigin?: () => string;
  /**
   * A synchronous plug-in refusing lead creates and updates whose resulting row matches a rule: 400
   * `0x80040265` with the rule's message. Installed after `leads`, which it never sees.
   */
  rejectLeads?: readonly LeadRejectionRule[];
  /** "Track changes" on lead. Default: on. Off: track-changes and delta requests get 400 `0x80072491`. */
  changeTracking?: boolean;
  /** Index status of the alternate key, as its metadata reports it. Default: Active. */
  alternateKeyStatus?: KeyIndexStatus;
  /** Lead privileges the application users' roles grant. Default: all of LEAD_PRIVILEGES. */
  leadPrivileges?: readonly LeadPrivilege[];
};

/** What a person sets up in the maker portal and the admin center; changeable while the emulator runs. */
export type DataverseSetup = {
  changeTracking: boolean;
  alternateKeyStatus: KeyIndexStatus;
  leadPrivileges: LeadPrivilege[];
};

/** Parameters of the QualifyLead action, as the Web API names them. */
export type QualifyParameters = {
  CreateAccount: boolean;
  CreateContact: boolean;
  CreateOpportunity: boolean;
  Status: number;
};

export type DataverseState = {
  organizationUrl(): string;
  serviceRoot(): string;
  /** All lead rows as stored (copies). */
  leads(): LeadRecord[];
  lead(id: string): LeadRecord | undefined;
  /** By the alternate key: its single value, or values by column for a composite key. */
  findByAlternateKey(value: string | Record<string, string>): LeadRecord | undefined;
  /** A seller edits the lead in the CRM UI: same validation as the API, counts as a change for change tracking. */
  sellerUpdate(id: string, changes: Record<string, unknown>): LeadRecord;
  /** A seller qualifies the lead (default: account, contact and opportunity, status Qualified). */
  sellerQualify(id: string, parameters?: Partial<QualifyParameters>): QualifyResult;
  deleteLead(id: string): boolean;
  currencies(): Row[];
  /** systemuserid of an application user, by client id. */
  applicationUser(clientId: string): string | undefined;
  limits(): ServiceProtectionLimits;
  setLimits(changes: Partial<ServiceProtectionLimits>): ServiceProtectionLimits;
  /** Requests refused by service protection, per limit (injected faults are counted in traffic). */
  throttled(): ThrottledCounters;
  /** The plug-in rules in force. */
  rejectLeads(): LeadRejectionRule[];
  /** Replaces the plug-in rules (`[]` unregisters it); throws a TypeError naming a bad rule. */
  setRejectLeads(rules: unknown): LeadRejectionRule[];
  /** Change tracking, the alternate key's index status and the lead privileges, as set up now. */
  setup(): DataverseSetup;
  /** Changes part of the setup; throws a TypeError naming a bad value. */
  setSetup(changes: Partial<DataverseSetup>): DataverseSetup;
};

export function createDataverseEmulator(
  ctx: EmulatorContext,
  options: DataverseOptions = {},
): EmulatedService<DataverseState> {
  const random = ctx.random.fork('dataverse');
  const tenantId = options.tenantId ?? DEV_CREDENTIALS.tenant;
  const organizationUrl = () => `${ctx.origin()}/dataverse`;
  const serviceRoot = () => `${ctx.origin()}${DATAVERSE_SERVICE_PATH}`;
  const organizationId = random.uuid();
  const businessUnitId = random.uuid();
  const applicationUsers = new Map(
    (options.applicationUsers ?? [DEV_CREDENTIALS.clientId]).map((clientId) => [
      clientId,
      random.fork(`user/${clientId}`).uuid(),
    ]),
  );
  const sellerId = random.uuid();

  const leadSchema = createLeadSchema(
    options.customColumns ?? DEFAULT_CUSTOM_COLUMNS,
    options.alternateKey ?? DEFAULT_ALTERNATE_KEY,
  );
  const currencies = createCurrencyRows(random.fork('currencies'));
  const baseCurrencyId = String(currencies[0]?.transactioncurrencyid);
  let rejectionRules: LeadRejectionRule[] = [];
  const table = createLeadTable({
    schema: leadSchema,
    now: ctx.now,
    initialVersion: 4_471_000 + random.int(0, 999),
  });
  const operations = createLeadOperations({
    table,
    schema: leadSchema,
    random: random.fork('rows'),
    baseCurrencyId,
    rejectionRules: () => rejectionRules,
    payload: {
      schema: leadSchema,
      serviceRoot,
      exists: (setName, id) =>
        setName === 'transactioncurrencies'
          ? currencies.some((c) => c.transactioncurrencyid === id)
          : undefined,
    },
  });
  let deltaLifetime = options.deltaTokenLifetimeMs ?? DEFAULT_DELTA_TOKEN_LIFETIME_MS;
  const deltaTokens = createDeltaTokens({ now: ctx.now, lifetimeMs: () => deltaLifetime });
  let setup: DataverseSetup = readSetup(
    {
      changeTracking: options.changeTracking ?? true,
      alternateKeyStatus: options.alternateKeyStatus ?? 'Active',
      leadPrivileges: [...(options.leadPrivileges ?? LEAD_PRIVILEGES)],
    },
    undefined,
  );
  const customColumns = new Set((options.customColumns ?? DEFAULT_CUSTOM_COLUMNS).map((c) => c.name));
  const metadata = createEntityMetadata({
    serviceRoot,
    tables: new Map([
      ['lead', { schema: leadSchema, objectTypeCode: 4, tracked: () => setup.changeTracking }],
      ['transactioncurrency', { schema: CURRENCY_SCHEMA, objectTypeCode: 9105, tracked: () => false }],
    ]),
    settings: () => setup,
    isCustom: (table, column) => table === 'lead' && customColumns.has(column),
  });
  const systemUserIds = new Set(applicationUsers.values());
  const privileges = createLeadPrivileges({
    serviceRoot,
    businessUnitId,
    held: () => new Set(setup.leadPrivileges),
    isApplicationUser: (id) => systemUserIds.has(id),
  });
  const protection = createServiceProtection({
    now: ctx.now,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const api = createWebApi({
    serviceRoot,
    leadSchema,
    table,
    operations,
    currencySchema: CURRENCY_SCHEMA,
    currencies,
    deltaTokens,
    organizationId,
    businessUnitId,
    metadata,
    privileges,
    changeTracking: () => setup.changeTracking,
  });
  const seller = { systemUserId: sellerId };
  for (const lead of options.leads ?? []) operations.create(lead, seller);
  if (options.rejectLeads) rejectionRules = readLeadRejectionRules(options.rejectLeads, leadSchema);

  const state: DataverseState = {
    organizationUrl,
    serviceRoot,
    leads: () => table.all().map((row) => ({ ...row })),
    lead: (id) => {
      const row = table.get(id);
      return row ? { ...row } : undefined;
    },
    findByAlternateKey(value) {
      const values: Record<string, KeyValue> =
        typeof value === 'string' ? { [leadSchema.alternateKey[0] ?? '']: value } : { ...value };
      const row = table.findByKey(values);
      return row ? { ...row } : undefined;
    },
    sellerUpdate: (id, changes) => ({ ...operations.update(id, changes) }),
    sellerQualify: (id, parameters = {}) =>
      operations.qualify(
        { kind: 'id', id },
        { CreateAccount: true, CreateContact: true, CreateOpportunity: true, Status: 3, ...parameters },
      ),
    deleteLead: (id) => table.remove(id),
    currencies: () => currencies.map((row) => ({ ...row })),
    applicationUser: (clientId) => applicationUsers.get(clientId),
    limits: () => protection.limits(),
    setLimits: (changes) => protection.setLimits(changes),
    throttled: () => protection.throttled(),
    rejectLeads: () => rejectionRules.map((rule) => ({ ...rule })),
    setRejectLeads(rules) {
      rejectionRules = readLeadRejectionRules(rules, leadSchema);
      return state.rejectLeads();
    },
    setup: () => ({ ...setup, leadPrivileges: [...setup.leadPrivileges] }),
    setSetup(changes) {
      setup = readSetup(changes, setup);
      return state.setup();
    },
  };

  return {
    name: 'dataverse',
    prefix: DATAVERSE_SERVICE_PATH,
    routes: createDataverseRoutes({
      ctx,
      servicePath: DATAVERSE_SERVICE_PATH,
      organizationUrl,
      loginOrigin: options.loginOrigin ?? ctx.origin,
      tenantId,
      applicationUsers,
      api,
      batch: { table, random: random.fork('batch'), servicePath: DATAVERSE_SERVICE_PATH },
      protection,
      random: random.fork('http'),
    }),
    control: createDataverseControl({
      state,
      setDeltaTokenLifetime: (ms) => {
        deltaLifetime = ms;
      },
    }),
    state,
  };
}

/** `changes` over `current`, checked: a control request or an option must not leave a setup that cannot be. */
function readSetup(changes: Partial<DataverseSetup>, current: DataverseSetup | undefined): DataverseSetup {
  const next = { ...current, ...changes } as DataverseSetup;
  if (typeof next.changeTracking !== 'boolean') throw new TypeError('changeTracking must be true or false');
  if (!KEY_INDEX_STATUSES.includes(next.alternateKeyStatus))
    throw new TypeError(`alternateKeyStatus must be one of ${KEY_INDEX_STATUSES.join(', ')}`);
  if (
    !Array.isArray(next.leadPrivileges) ||
    !next.leadPrivileges.every((name) => (LEAD_PRIVILEGES as readonly string[]).includes(name))
  )
    throw new TypeError(`leadPrivileges must list some of ${LEAD_PRIVILEGES.join(', ')}`);
  return { ...next, leadPrivileges: [...new Set(next.leadPrivileges)] };
}
