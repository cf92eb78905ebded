/**
 * What a Dynamics 365 environment needs before go-live, read from the Web API (spec
 * entra-oidc-and-metadata.md B8): the app signs in and is an application user (WhoAmI), the lead table
 * exists, the user's roles let it read, create and write leads, the referral-id column exists with an
 * Active alternate key on it alone, the link column exists and is long enough, and "Track changes" is on
 * when the change feed runs. Reads only. Each failure is a `fail` line saying what to change.
 */
import { AuthError } from '../../auth/token-provider.ts';
import { failed, passed, type SetupCheck, skipped, warned } from '../../core/setup-check.ts';
import { describeFailure } from '../../net/explain-error.ts';
import type { HttpRequest, HttpResponse } from '../../net/http-client.ts';
import { RemoteError } from '../../net/remote-error.ts';
import type { SetupNeeds } from '../crm-adapter.ts';
import { checkExtraColumns, extraColumnCheckName } from './extra-column-checks.ts';

export type DynamicsSetupDeps = {
  /** The Web API root, `<org>/api/data/v9.2`. */
  api: string;
  /** The adapter's authorized, classified send. */
  send(request: HttpRequest, what: string, isSuccess: (r: HttpResponse) => boolean): Promise<HttpResponse>;
  referralIdColumn: string;
  referralUrlColumn: string | undefined;
};

/** Referral ids are GUIDs. */
const REFERRAL_ID_LENGTH = 36;
/** A link to a referral (the Referrals API URL and the id) is about 100 characters. */
const REFERRAL_URL_LENGTH = 100;
const LEAD_PRIVILEGES = ['prvCreateLead', 'prvReadLead', 'prvWriteLead'] as const;
/** Dataverse's "user is not a member of the organization": no application user for the app. */
const NOT_A_MEMBER = '0x80072560';

type Attribute = {
  LogicalName?: string;
  AttributeType?: string;
  IsValidForCreate?: boolean;
  IsValidForUpdate?: boolean;
};
type EntityKey = { LogicalName?: string; KeyAttributes?: string[]; EntityKeyIndexStatus?: string };
type RolePrivilege = { PrivilegeName?: string; Depth?: string };

export async function checkDynamicsSetup(deps: DynamicsSetupDeps, needs: SetupNeeds): Promise<SetupCheck[]> {
  const get = async <T>(path: string, what: string): Promise<T> =>
    (
      await deps.send({ method: 'GET', url: `${deps.api}/${path}` }, what, (r) => r.status === 200)
    ).json() as T;
  const lead = "EntityDefinitions(LogicalName='lead')";
  const idColumn = deps.referralIdColumn;
  const checks: SetupCheck[] = [];
  /** The lines after `from`, skipped because `what` failed. */
  const rest = (from: number, what: string): SetupCheck[] =>
    [
      'lead table',
      'leads readable and writable',
      `lead.${idColumn}`,
      `alternate key on lead.${idColumn}`,
      ...(deps.referralUrlColumn ? [`lead.${deps.referralUrlColumn}`] : []),
      'change tracking on lead',
      ...(needs.extraFields ?? []).map(extraColumnCheckName),
    ]
      .slice(from)
      .map((name) => skipped(name, `needs ${what}`));

  const identityName = 'Dataverse identity';
  let userId: string;
  try {
    userId = String((await get<{ UserId?: string }>('WhoAmI', 'WhoAmI')).UserId ?? '');
    checks.push(passed(identityName, `signed in as application user ${userId} (WhoAmI)`));
  } catch (error) {
    checks.push(identityFailure(identityName, error));
    return [...checks, ...rest(0, 'the Dataverse identity')];
  }

  let table: { ChangeTrackingEnabled?: boolean };
  try {
    table = await get(`${lead}?$select=LogicalName,EntitySetName,ChangeTrackingEnabled`, 'lead definition');
    checks.push(passed('lead table', 'present'));
  } catch (error) {
    if (error instanceof RemoteError && error.status === 404) {
      checks.push(
        failed(
          'lead table',
          'the environment has no lead table',
          'install Dynamics 365 Sales in this environment, or point `crm.dynamics.url` at the one that has it',
        ),
      );
    } else {
      checks.push(requestFailure('lead table', error));
    }
    return [...checks, ...rest(1, 'the lead table')];
  }

  checks.push(await leadAccess(get, userId, needs));

  const idCheck = await textColumn(get, idColumn, REFERRAL_ID_LENGTH, 'referralIdColumn');
  checks.push(idCheck);
  checks.push(await alternateKey(get, lead, idColumn, idCheck.status === 'pass'));
  if (deps.referralUrlColumn)
    checks.push(await textColumn(get, deps.referralUrlColumn, REFERRAL_URL_LENGTH, 'referralUrlColumn'));

  const tracking = table.ChangeTrackingEnabled === true;
  checks.push(
    tracking
      ? passed('change tracking on lead', 'on ("Track changes")')
      : needs.changeFeed
        ? failed(
            'change tracking on lead',
            '"Track changes" is off on the lead table, so sellers\' decisions cannot flow back to the referrals',
            'turn on Track changes (Power Apps → Tables → Lead → Properties → Advanced options), or set `sync.crmPollSeconds: 0`',
          )
        : passed('change tracking on lead', 'off, and not needed (sync.crmPollSeconds: 0)'),
  );
  checks.push(...(await checkExtraColumns(get, needs.extraFields ?? [])));
  return checks;
}

/** The privileges (B5), and one read to prove them: the roles may say yes while the row-level security says no. */
async function leadAccess(
  get: <T>(path: string, what: string) => Promise<T>,
  userId: string,
  needs: SetupNeeds,
): Promise<SetupCheck> {
  const name = 'leads readable and writable';
  try {
    const names = encodeURIComponent(JSON.stringify(LEAD_PRIVILEGES));
    const { RolePrivileges: held = [] } = await get<{ RolePrivileges?: RolePrivilege[] }>(
      `systemusers(${userId})/Microsoft.Dynamics.CRM.RetrieveUserSetOfPrivilegesByNames(PrivilegeNames=@p)?@p=${names}`,
      'lead privileges',
    );
    const missing = LEAD_PRIVILEGES.filter((p) => !held.some((h) => h.PrivilegeName === p));
    if (missing.length > 0) {
      return failed(
        name,
        `the application user's roles lack ${missing.join(', ')}`,
        'give the application user a security role with Create, Read and Write on Lead (Power Platform admin center → the environment → S2S apps)',
      );
    }
    await get('leads?$select=leadid&$top=1', 'read a lead');
    const readDepth = held.find((h) => h.PrivilegeName === 'prvReadLead')?.Depth;
    // The change feed needs Read at Global depth ("SecLib::CheckPrivilege failed … Required Depth: Global").
    if (needs.changeFeed && readDepth !== undefined && readDepth !== 'Global') {
      return warned(
        name,
        `Read on Lead is at ${readDepth} depth; the change feed needs Organization (Global)`,
        "set Read on Lead to Organization in the application user's security role",
      );
    }
    return passed(name, `${LEAD_PRIVILEGES.join(', ')} held; a lead read answered`);
  } catch (error) {
    return requestFailure(name, error);
  }
}

/** A text column the connector writes, found with the error-free `$filter` form (spec B4). */
async function textColumn(
  get: <T>(path: string, what: string) => Promise<T>,
  column: string,
  minLength: number,
  key: 'referralIdColumn' | 'referralUrlColumn',
): Promise<SetupCheck> {
  const name = `lead.${column}`;
  const holds = key === 'referralIdColumn' ? 'the referral id' : 'the link to the referral';
  try {
    const filter = encodeURIComponent(`LogicalName eq '${column}'`);
    const { value: [attribute] = [] } = await get<{ value?: Attribute[] }>(
      `EntityDefinitions(LogicalName='lead')/Attributes?$filter=${filter}&$select=LogicalName,AttributeType,IsValidForCreate,IsValidForUpdate`,
      `lead column ${column}`,
    );
    if (!attribute) {
      return failed(
        name,
        `the lead table has no column ${column}, which holds ${holds}`,
        `add a Single line of text column ${column} (${minLength} characters or more) to Lead, or name yours in \`crm.dynamics.${key}\``,
      );
    }
    if (attribute.AttributeType !== 'String' && attribute.AttributeType !== 'Memo') {
      return failed(
        name,
        `${column} is a ${attribute.AttributeType} column; ${holds} needs text`,
        `make ${column} a Single line of text column, or name another in \`crm.dynamics.${key}\``,
      );
    }
    if (attribute.IsValidForCreate === false || attribute.IsValidForUpdate === false) {
      return failed(
        name,
        `${column} cannot be written on create and update`,
        `name a writable text column in \`crm.dynamics.${key}\``,
      );
    }
    const cast = attribute.AttributeType === 'Memo' ? 'MemoAttributeMetadata' : 'StringAttributeMetadata';
    const { MaxLength } = await get<{ MaxLength?: number }>(
      `EntityDefinitions(LogicalName='lead')/Attributes(LogicalName='${column}')/Microsoft.Dynamics.CRM.${cast}?$select=MaxLength`,
      `lead column ${column} length`,
    );
    if (typeof MaxLength === 'number' && MaxLength < minLength) {
      return failed(
        name,
        `${column} holds at most ${MaxLength} characters; ${holds} needs ${minLength}`,
        `raise the Maximum character count of ${column} to ${minLength} or more`,
      );
    }
    return passed(name, `${attribute.AttributeType}(${MaxLength ?? '?'}), written on create and update`);
  } catch (error) {
    return requestFailure(name, error);
  }
}

/** Pass = a key whose columns are exactly the referral-id column, Active (spec B3). */
async function alternateKey(
  get: <T>(path: string, what: string) => Promise<T>,
  lead: string,
  column: string,
  columnExists: boolean,
): Promise<SetupCheck> {
  const name = `alternate key on lead.${column}`;
  if (!columnExists) return skipped(name, `needs a usable column ${column}`);
  try {
    const { value: keys = [] } = await get<{ value?: EntityKey[] }>(
      `${lead}/Keys?$select=LogicalName,KeyAttributes,EntityKeyIndexStatus`,
      'lead alternate keys',
    );
    const key = keys.find((k) => k.KeyAttributes?.length === 1 && k.KeyAttributes[0] === column);
    if (!key) {
      const others = keys.map((k) => `${k.LogicalName} (${(k.KeyAttributes ?? []).join(', ')})`).join(', ');
      return failed(
        name,
        `no alternate key on ${column} alone${others ? `; the table has ${others}` : ''}: every upsert by referral would fail`,
        `add a key on Lead with the single column ${column} (Power Apps → Tables → Lead → Keys) and wait until it is Active`,
      );
    }
    switch (key.EntityKeyIndexStatus) {
      case 'Active':
        return passed(name, `${key.LogicalName}, Active`);
      case 'Pending':
      case 'InProgress':
        return warned(
          name,
          `${key.LogicalName} is ${key.EntityKeyIndexStatus}: its index is being built, upserts by key may fail until then`,
          'wait until the key is Active, then run doctor again',
        );
      default:
        return failed(
          name,
          `${key.LogicalName} is ${key.EntityKeyIndexStatus}: its index job failed (often duplicate values in ${column})`,
          'remove duplicate values, then reactivate the key (ReactivateEntityKey) or delete and recreate it',
        );
    }
  } catch (error) {
    return requestFailure(name, error);
  }
}

function identityFailure(name: string, error: unknown): SetupCheck {
  if (error instanceof RemoteError && error.remoteCode === NOT_A_MEMBER) {
    return failed(
      name,
      'the app signs in, but is no application user of this environment (0x80072560)',
      'add the app as an application user with a security role for leads (Power Platform admin center → the environment → S2S apps)',
    );
  }
  if (error instanceof RemoteError && error.status === 401) {
    return failed(
      name,
      'Dataverse refused the token (401): its audience or tenant is not this environment',
      '`crm.dynamics.url` must be the organization URL, and the app registration in the tenant of the environment',
    );
  }
  if (error instanceof AuthError && error.code === 'credential_rejected') {
    return failed(name, error.message, `fix ${error.configKeys.map((key) => `\`${key}\``).join(' or ')}`);
  }
  return requestFailure(name, error);
}

function requestFailure(name: string, error: unknown): SetupCheck {
  const { problem, fix } = describeFailure(error);
  return failed(
    name,
    problem,
    fix ?? 'run doctor again; if it fails the same way, check the Dataverse environment',
  );
}
