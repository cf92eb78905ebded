/**
 * What a Salesforce org needs before go-live, read from one Lead describe (spec crm.md §B7): the
 * connected app signs in, the Run As user may read, create and edit leads, the referral-id field is a
 * text field marked External ID and Unique (the upsert key), the link field is writable and long enough,
 * the configured Lead Status and LeadSource values exist, and `countryPicklists` matches the org. Reads
 * only. Each failure is a `fail` line saying what to change.
 */
import { failed, passed, type SetupCheck, skipped, warned } from '../../core/setup-check.ts';
import { describeFailure } from '../../net/explain-error.ts';
import type { HttpRequest, HttpResponse } from '../../net/http-client.ts';
import type { SetupNeeds } from '../crm-adapter.ts';
import { checkExtraFields, extraFieldCheckName } from './extra-field-checks.ts';

export type SalesforceSetupDeps = {
  /** `<instance>/services/data/vXX.X`. */
  api: string;
  /** The adapter's authorized, classified send. */
  send(request: HttpRequest, what: string, isSuccess: (r: HttpResponse) => boolean): Promise<HttpResponse>;
  referralIdField: string;
  referralUrlField: string | undefined;
  leadSource: string;
  disqualifiedStatuses: readonly string[];
  countryPicklists: boolean;
  /** The org's own fields the mapping writes (`mapping.extra`). */
  extraFields?: SetupNeeds['extraFields'];
};

type PicklistValue = { value?: string; active?: boolean };
type Field = {
  name?: string;
  type?: string;
  length?: number;
  externalId?: boolean;
  unique?: boolean;
  createable?: boolean;
  updateable?: boolean;
  restrictedPicklist?: boolean;
  picklistValues?: PicklistValue[];
};
type Describe = { queryable?: boolean; createable?: boolean; updateable?: boolean; fields?: Field[] };

/** Referral ids are GUIDs. */
const REFERRAL_ID_LENGTH = 36;
/** A link to a referral (the Referrals API URL and the id) is about 100 characters. */
const REFERRAL_URL_LENGTH = 100;
const TEXT_TYPES = new Set(['string', 'url', 'textarea']);

export async function checkSalesforceSetup(deps: SalesforceSetupDeps): Promise<SetupCheck[]> {
  const idField = deps.referralIdField;
  const later = [
    'leads readable and writable',
    `Lead.${idField}`,
    ...(deps.referralUrlField ? [`Lead.${deps.referralUrlField}`] : []),
    'Lead Status values',
    'LeadSource value',
    'State and Country/Territory picklists',
    ...(deps.extraFields ?? []).map(extraFieldCheckName),
  ];
  let describe: Describe;
  try {
    const response = await deps.send(
      { method: 'GET', url: `${deps.api}/sobjects/Lead/describe` },
      'Lead describe',
      (r) => r.status === 200,
    );
    describe = response.json() as Describe;
  } catch (error) {
    const { problem, fix } = describeFailure(error);
    return [
      failed(
        'Salesforce identity',
        problem,
        fix ??
          'check `crm.salesforce.instanceUrl`, `crm.salesforce.clientId` and its secret (or username and privateKeyFile), and the connected app’s Run As user',
      ),
      ...later.map((name) => skipped(name, 'needs the Salesforce identity')),
    ];
  }
  const fields = describe.fields ?? [];
  const field = (name: string) => fields.find((f) => f.name?.toLowerCase() === name.toLowerCase());
  const checks: SetupCheck[] = [passed('Salesforce identity', 'signed in; the Lead describe answered')];

  const denied = (['queryable', 'createable', 'updateable'] as const).filter(
    (right) => describe[right] !== true,
  );
  checks.push(
    denied.length === 0
      ? passed('leads readable and writable', 'Lead is queryable, createable and updateable for this user')
      : failed(
          'leads readable and writable',
          `Lead is not ${denied.join(', ')} for the connected app's user`,
          'give the Run As user (or the JWT user) Read, Create and Edit on Lead in its profile or a permission set',
        ),
  );

  checks.push(textField(field(idField), idField, REFERRAL_ID_LENGTH, 'referralIdField', true));
  if (deps.referralUrlField)
    checks.push(
      textField(
        field(deps.referralUrlField),
        deps.referralUrlField,
        REFERRAL_URL_LENGTH,
        'referralUrlField',
        false,
      ),
    );

  const statuses = active(field('Status'));
  const unknownStatuses = deps.disqualifiedStatuses.filter((status) => !statuses.includes(status));
  checks.push(
    unknownStatuses.length === 0
      ? passed('Lead Status values', `${deps.disqualifiedStatuses.map((s) => `"${s}"`).join(', ')} exist`)
      : failed(
          'Lead Status values',
          `Lead Status has no active value ${unknownStatuses.map((s) => `"${s}"`).join(', ')} (it has ${statuses.map((s) => `"${s}"`).join(', ')})`,
          'set `crm.salesforce.disqualifiedStatuses` to the values sellers use to disqualify, or add them (Setup → Object Manager → Lead → Fields → Lead Status)',
        ),
  );

  const sourceField = field('LeadSource');
  const sources = active(sourceField);
  checks.push(
    sources.includes(deps.leadSource)
      ? passed('LeadSource value', `"${deps.leadSource}" exists`)
      : (sourceField?.restrictedPicklist ? failed : warned)(
          'LeadSource value',
          `LeadSource has no active value "${deps.leadSource}"${sourceField?.restrictedPicklist ? ', and the picklist is restricted: every lead write would fail' : ''}`,
          'add the value to the LeadSource picklist, or set `crm.salesforce.leadSource` to one it has',
        ),
  );

  const orgHasPicklists = field('CountryCode') !== undefined;
  checks.push(
    orgHasPicklists === deps.countryPicklists
      ? passed(
          'State and Country/Territory picklists',
          orgHasPicklists
            ? 'on in the org, and CountryCode is written'
            : 'off in the org, and Country is written as text',
        )
      : orgHasPicklists
        ? warned(
            'State and Country/Territory picklists',
            'the org has them, but the connector writes Country as text, which must match the picklist labels exactly',
            'set `crm.salesforce.countryPicklists: true`',
          )
        : failed(
            'State and Country/Territory picklists',
            '`crm.salesforce.countryPicklists` is true, but the org has no CountryCode field: every lead write would fail',
            'set `crm.salesforce.countryPicklists: false`, or turn the picklists on in Setup',
          ),
  );
  checks.push(...checkExtraFields(field, deps.extraFields ?? []));
  return checks;
}

function textField(
  field: Field | undefined,
  name: string,
  minLength: number,
  key: 'referralIdField' | 'referralUrlField',
  isKey: boolean,
): SetupCheck {
  const line = `Lead.${name}`;
  const holds = isKey ? 'the referral id' : 'the link to the referral';
  if (!field) {
    return failed(
      line,
      `Lead has no field ${name}, which holds ${holds}`,
      isKey
        ? `add a Text(${minLength}+) field ${name} marked External ID and Unique to Lead, or name yours in \`crm.salesforce.${key}\``
        : `add a URL or Text field ${name} to Lead, or name yours in \`crm.salesforce.${key}\``,
    );
  }
  if (!TEXT_TYPES.has(field.type ?? '')) {
    return failed(
      line,
      `${name} is a ${field.type} field; ${holds} needs text`,
      `name a text field in \`crm.salesforce.${key}\``,
    );
  }
  if (isKey && !(field.externalId && field.unique)) {
    const missing = [
      field.externalId ? undefined : 'External ID',
      field.unique ? undefined : 'Unique',
    ].filter(Boolean);
    return failed(
      line,
      `${name} is not marked ${missing.join(' and ')}: leads cannot be upserted by referral, and duplicates could appear`,
      `edit the field and tick ${missing.join(' and ')} (Setup → Object Manager → Lead → Fields & Relationships)`,
    );
  }
  if (field.createable !== true || field.updateable !== true) {
    return failed(
      line,
      `${name} is not writable for the connected app's user (field-level security)`,
      `make ${name} visible and editable for the user's profile or a permission set`,
    );
  }
  if (typeof field.length === 'number' && field.length < minLength) {
    return failed(
      line,
      `${name} holds at most ${field.length} characters; ${holds} needs ${minLength}`,
      `raise the length of ${name} to ${minLength} or more`,
    );
  }
  return passed(
    line,
    `${field.type}(${field.length ?? '?'})${isKey ? ', External ID, Unique' : ''}, writable`,
  );
}

function active(field: Field | undefined): string[] {
  return (field?.picklistValues ?? [])
    .filter((v) => v.active !== false && typeof v.value === 'string')
    .map((v) => v.value as string);
}
