/**
 * The emulated Salesforce org (REST API v31.0–v62.0, Lead and LeadStatus): its My Domain at
 * `<origin>/salesforce` (the instance URL, so `${instance}/services/data/v62.0/...` and
 * `${instance}/services/oauth2/token` are the real paths) and the shared login host at
 * `<origin>/salesforce-login`. See README.md for routes, control API, knobs and choices on
 * unconfirmed points.
 */
import { DEV_SALESFORCE } from '../credentials.ts';
import type { EmulatedService, EmulatorContext } from '../shared/emulated-service.ts';
import { createApiLimits } from './api-limits.ts';
import { LATEST_API_VERSION } from './api-versions.ts';
import { identityOf } from './identity-url.ts';
import { type ConvertParameters, createLeadOperations } from './lead-operations.ts';
import {
  createLeadType,
  DEFAULT_CUSTOM_FIELDS,
  DEFAULT_LEAD_SOURCES,
  type SalesforceCustomField,
} from './lead-schema.ts';
import {
  createLeadStatuses,
  DEFAULT_LEAD_STATUSES,
  LEAD_STATUS_TYPE,
  type LeadStatusDefinition,
  type LeadStatusRow,
} from './lead-statuses.ts';
import { createLeadTable, type StoredLead } from './lead-table.ts';
import type { ConnectedApp, OrgUser } from './oauth-token.ts';
import { createQueryCursors } from './query-cursors.ts';
import { createSalesforceControl } from './salesforce-control.ts';
import { createIdFactory, KEY_PREFIXES, normalizeId } from './salesforce-ids.ts';
import { createSalesforceRoutes, LOGIN_PREFIX, MY_DOMAIN_PREFIX } from './salesforce-routes.ts';
import { createSessions, DEFAULT_SESSION_LIFETIME_MS } from './sessions.ts';
import { type ApiRecord, renderRecord } from './sobject-record.ts';
import type { SObjectType } from './sobject-type.ts';

export type SalesforceUserOptions = { username: string; active?: boolean; preAuthorized?: boolean };

export type SalesforceOptions = {
  /** The connected app. Defaults: the development consumer key, secret and JWT certificate. */
  connectedApp?: Partial<ConnectedApp>;
  /** Users of the org. Default: the integration user (the Run As user, pre-authorised) and a seller. */
  users?: readonly SalesforceUserOptions[];
  /** Custom text fields on Lead. Default: Referral_Id__c (100, external id, unique, case-sensitive), Referral_URL__c (255). */
  customFields?: readonly SalesforceCustomField[];
  /** The LeadStatus rows. Default: Open - Not Contacted (default), Working - Contacted, Closed - Converted, Closed - Not Converted. */
  leadStatuses?: readonly LeadStatusDefinition[];
  /** LeadSource values (a restricted picklist here). */
  leadSources?: readonly string[];
  /** State and Country/Territory picklists (CountryCode/StateCode). Default: off. */
  stateCountryPicklists?: boolean;
  /** Daily API request allocation. Default: 100,000. */
  dailyApiRequests?: number;
  /** Session timeout of inactivity. Default: 2 hours. */
  sessionLifetimeMs?: number;
  /** Leads present at start, as create payloads, written by the seller. */
  leads?: ReadonlyArray<Record<string, unknown>>;
};

export type OrgSettings = {
  stateCountryPicklists: boolean;
  dailyApiRequests: number;
  sessionLifetimeMs: number;
};

/** A lead as the REST API shows it (every field; datetimes as `…T…:….000+0000`). */
export type SalesforceLeadRecord = ApiRecord & {
  Id: string;
  Status: string;
  IsConverted: boolean;
  IsDeleted: boolean;
};

export type SalesforceState = {
  /** `<origin>/salesforce`: instance URL, token endpoint host, JWT audience. */
  myDomainUrl(): string;
  /** `<origin>/salesforce-login`: the login host (JWT bearer only; client credentials refused there). */
  loginUrl(): string;
  orgId(): string;
  latestApiVersion(): string;
  /** Live leads (copies, as the API shows them). */
  leads(): SalesforceLeadRecord[];
  /** A lead by 15- or 18-character id, live or deleted. */
  lead(id: string): SalesforceLeadRecord | undefined;
  /** Live leads holding `value` in an external id field (default: the first external id field). */
  findByExternalId(value: string, field?: string): SalesforceLeadRecord[];
  /** A seller edits a lead in the UI: same validation as the API (throws SalesforceError). */
  sellerUpdate(id: string, changes: Record<string, unknown>): SalesforceLeadRecord;
  /** A seller sets the lead's Status (e.g. "Closed - Not Converted"). */
  setStatus(id: string, status: string): SalesforceLeadRecord;
  /** A seller converts the lead (SOAP convertLead / Apex Database.convertLead). */
  convert(id: string, parameters?: ConvertParameters): SalesforceLeadRecord;
  deleteLead(id: string): void;
  leadStatuses(): LeadStatusRow[];
  org(): OrgSettings;
  setOrg(changes: Partial<OrgSettings>): OrgSettings;
  apiUsage(): { used: number; max: number };
  setApiUsage(used: number): { used: number; max: number };
  /** Ends every session (password reset, "revoke all"); returns how many ended. */
  endSessions(): number;
  connectedApp(): ConnectedApp;
  setConnectedApp(changes: Partial<ConnectedApp>): ConnectedApp;
  user(username: string): OrgUser | undefined;
  setUser(username: string, changes: Partial<Pick<OrgUser, 'active' | 'preAuthorized'>>): OrgUser;
};

export const SELLER_USERNAME = 'seller@contoso-partner.example';

export function createSalesforceEmulator(
  ctx: EmulatorContext,
  options: SalesforceOptions = {},
): EmulatedService<SalesforceState> {
  const random = ctx.random.fork('salesforce');
  const ids = createIdFactory(random.fork('ids'));
  const orgCreatedAt = ctx.now();
  const orgId = ids.next(KEY_PREFIXES.Organization);
  const myDomainUrl = () => `${ctx.origin()}${MY_DOMAIN_PREFIX}`;
  const loginUrl = () => `${ctx.origin()}${LOGIN_PREFIX}`;

  const users = new Map<string, OrgUser>();
  for (const user of options.users ?? [
    { username: DEV_SALESFORCE.username, active: true, preAuthorized: true },
    { username: SELLER_USERNAME, active: true, preAuthorized: false },
  ]) {
    users.set(user.username.toLowerCase(), {
      id: ids.next(KEY_PREFIXES.User),
      username: user.username,
      active: user.active ?? true,
      preAuthorized: user.preAuthorized ?? false,
    });
  }
  const seller = users.get(SELLER_USERNAME) ?? [...users.values()][0];
  if (!seller) throw new Error('salesforce: the org needs at least one user');
  let app: ConnectedApp = {
    clientId: DEV_SALESFORCE.clientId,
    clientSecret: DEV_SALESFORCE.clientSecret,
    certificatePem: DEV_SALESFORCE.jwtCertificatePem,
    clientCredentialsEnabled: true,
    runAsUsername: DEV_SALESFORCE.username,
    ...options.connectedApp,
  };

  const settings: OrgSettings = {
    stateCountryPicklists: options.stateCountryPicklists ?? false,
    dailyApiRequests: options.dailyApiRequests ?? 100_000,
    sessionLifetimeMs: options.sessionLifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS,
  };
  const statuses = createLeadStatuses(options.leadStatuses ?? DEFAULT_LEAD_STATUSES, ids, orgCreatedAt);
  const customFields = options.customFields ?? DEFAULT_CUSTOM_FIELDS;
  const leadSources = options.leadSources ?? DEFAULT_LEAD_SOURCES;
  const buildLeadType = () =>
    createLeadType({
      customFields,
      statuses,
      leadSources,
      stateCountryPicklists: settings.stateCountryPicklists,
    });
  let leadType: SObjectType = buildLeadType();
  const indexedFields = leadType.fields.filter((field) => field.custom && (field.externalId || field.unique));
  const table = createLeadTable({ indexedFields, now: ctx.now });
  const operations = createLeadOperations({
    type: () => leadType,
    table,
    statuses,
    ids,
    stateCountryPicklists: () => settings.stateCountryPicklists,
    now: ctx.now,
  });
  const sessions = createSessions({ orgId, ids, now: ctx.now, lifetimeMs: settings.sessionLifetimeMs });
  const limits = createApiLimits({ max: settings.dailyApiRequests, now: ctx.now });
  const cursors = createQueryCursors({ ids, now: ctx.now });
  const latestApiVersion = `${LATEST_API_VERSION}.0`;

  const view = (lead: StoredLead): SalesforceLeadRecord =>
    renderRecord(leadType, lead, leadType.fields, latestApiVersion) as SalesforceLeadRecord;
  const firstExternalId = () => leadType.fields.find((field) => field.externalId)?.name;

  for (const lead of options.leads ?? []) operations.create({ ...lead }, seller.id);

  const state: SalesforceState = {
    myDomainUrl,
    loginUrl,
    orgId: () => orgId,
    latestApiVersion: () => latestApiVersion,
    leads: () => table.all().map(view),
    lead(id) {
      const row = table.getAny(normalizeLeadId(id));
      return row ? view(row) : undefined;
    },
    findByExternalId(value, fieldName = firstExternalId()) {
      const field = fieldName ? leadType.field(fieldName) : undefined;
      if (!field?.externalId) throw new Error(`${fieldName} is not an external id field of Lead`);
      return table.findBy(field, value).map(view);
    },
    sellerUpdate: (id, changes) => view(operations.update(normalizeLeadId(id), changes, seller.id)),
    setStatus: (id, status) => view(operations.update(normalizeLeadId(id), { Status: status }, seller.id)),
    convert: (id, parameters = {}) => view(operations.convert(normalizeLeadId(id), parameters, seller.id)),
    deleteLead: (id) => operations.remove(normalizeLeadId(id), seller.id),
    leadStatuses: () => statuses.rows(),
    org: () => ({ ...settings }),
    setOrg(changes) {
      if (changes.stateCountryPicklists !== undefined) {
        settings.stateCountryPicklists = changes.stateCountryPicklists;
        leadType = buildLeadType();
      }
      if (changes.dailyApiRequests !== undefined) {
        settings.dailyApiRequests = changes.dailyApiRequests;
        limits.setMax(changes.dailyApiRequests);
      }
      if (changes.sessionLifetimeMs !== undefined) {
        settings.sessionLifetimeMs = changes.sessionLifetimeMs;
        sessions.setLifetimeMs(changes.sessionLifetimeMs);
      }
      return { ...settings };
    },
    apiUsage: () => limits.usage(),
    setApiUsage(used) {
      limits.setUsed(used);
      return limits.usage();
    },
    endSessions: () => sessions.endAll(),
    connectedApp: () => ({ ...app }),
    setConnectedApp(changes) {
      app = { ...app, ...changes };
      return { ...app };
    },
    user: (username) => {
      const user = users.get(username.toLowerCase());
      return user ? { ...user } : undefined;
    },
    setUser(username, changes) {
      const user = users.get(username.toLowerCase());
      if (!user) throw new Error(`no user ${username} in the org`);
      Object.assign(user, changes);
      return { ...user };
    },
  };

  return {
    name: 'salesforce',
    // Two hosts (My Domain and login) are mounted by the routes themselves, under their own prefixes.
    prefix: '',
    routes: createSalesforceRoutes({
      ctx,
      sessions,
      limits,
      rest: {
        leadType: () => leadType,
        statusType: LEAD_STATUS_TYPE,
        operations,
        table,
        statuses,
        cursors,
        limits,
        now: ctx.now,
        orgCreatedAt,
      },
      token: () => ({
        app,
        userByName: (username) => users.get(username.toLowerCase()),
        sessions,
        myDomainUrl: myDomainUrl(),
        orgId,
        audiences: ['https://login.salesforce.com', loginUrl(), myDomainUrl()],
      }),
      identity: (org, userId) => {
        const user = [...users.values()].find((candidate) => candidate.id === userId);
        if (org !== orgId || !user) return undefined;
        return identityOf(user, orgId, myDomainUrl());
      },
      lockedRecord: ([, , field = '', value = '']) => {
        const def = leadType.field(field);
        return def?.externalId ? table.findBy(def, value)[0]?.Id : undefined;
      },
      errorId: () =>
        `${random.int(100_000_000, 999_999_999)}-${random.int(10_000, 99_999)} (${random.int(-2_000_000_000, -1)})`,
    }),
    control: createSalesforceControl({ state }),
    state,
  };
}

/** Ids from tests and control routes may be 15 or 18 characters; the table keys on 18. */
function normalizeLeadId(id: string): string {
  return normalizeId(id) ?? id;
}
