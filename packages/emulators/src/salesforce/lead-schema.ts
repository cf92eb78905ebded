/**
 * The `Lead` sObject of the emulated org (spec B2, B7): the standard fields a lead sync touches, with
 * the lengths, types and flags describe reports, plus the org's custom fields (by default the
 * `Referral_Id__c` external id and `Referral_URL__c`). `CountryCode`/`StateCode` exist only while the
 * org has State and Country/Territory picklists turned on (B9).
 */
import { countryCatalog } from './countries.ts';
import type { LeadStatuses } from './lead-statuses.ts';
import { KEY_PREFIXES } from './salesforce-ids.ts';
import { createSObjectType, type FieldDef, picklistOf, type SObjectType } from './sobject-type.ts';

/**
 * A custom field the org added to Lead: Text (the default, `length` 1–255), or a Number (`double`),
 * Currency or Checkbox (`boolean`) field; numbers take `precision` (total digits, ≤ 18) and `scale`.
 */
export type SalesforceCustomField = SalesforceCustomTextField | SalesforceCustomValueField;

export type SalesforceCustomTextField = {
  /** API name, ending in `__c`. */
  name: string;
  label?: string;
  type?: 'string';
  /** Maximum characters (Text fields take 1–255). */
  length: number;
  /** External ID: an upsert key, addressable as `/sobjects/Lead/<name>/<value>`. */
  externalId?: boolean;
  /** Unique: a second record with the same value is refused (`DUPLICATE_VALUE`). */
  unique?: boolean;
  /** Unique values compare case-sensitively (only meaningful with `unique`). */
  caseSensitive?: boolean;
};

export type SalesforceCustomValueField = {
  name: string;
  label?: string;
  type: 'double' | 'currency' | 'boolean';
  /** Numbers: total digits (default 18) and digits after the point (default 2). */
  precision?: number;
  scale?: number;
};

export const DEFAULT_CUSTOM_FIELDS: readonly SalesforceCustomField[] = [
  {
    name: 'Referral_Id__c',
    label: 'Referral Id',
    length: 100,
    externalId: true,
    unique: true,
    caseSensitive: true,
  },
  { name: 'Referral_URL__c', label: 'Referral URL', length: 255 },
];

/** The LeadSource values of a new org (unrestricted there; restricted in this org, see README). */
export const DEFAULT_LEAD_SOURCES: readonly string[] = [
  'Web',
  'Phone Inquiry',
  'Partner Referral',
  'Purchased List',
  'Other',
];

const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'];
const RATINGS = ['Hot', 'Warm', 'Cold'];
const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];

export type LeadSchemaSettings = {
  customFields: readonly SalesforceCustomField[];
  statuses: LeadStatuses;
  leadSources: readonly string[];
  stateCountryPicklists: boolean;
};

type Writable = Pick<FieldDef, 'nillable' | 'createable' | 'updateable'>;
const WRITABLE: Writable = { nillable: true, createable: true, updateable: true };
const READ_ONLY: Writable = { nillable: true, createable: false, updateable: false };
const SYSTEM: Writable = { nillable: false, createable: false, updateable: false };

const text = (name: string, label: string, length: number, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label,
  type: 'string',
  length,
  ...WRITABLE,
  ...extra,
});

const reference = (
  name: string,
  label: string,
  to: string[],
  relationship: string,
  extra: Partial<FieldDef> = {},
) =>
  ({
    name,
    label,
    type: 'reference',
    length: 18,
    referenceTo: to,
    relationshipName: relationship,
    ...READ_ONLY,
    ...extra,
  }) satisfies FieldDef;

export function createLeadType(settings: LeadSchemaSettings): SObjectType {
  for (const custom of settings.customFields) {
    if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(custom.name) || custom.name.includes('___')) {
      throw new Error(`customFields: "${custom.name}" is not a custom field API name (Name__c)`);
    }
    if ('length' in custom && (custom.length < 1 || custom.length > 255))
      throw new Error(`customFields: ${custom.name} length must be 1–255`);
    if (
      'precision' in custom &&
      custom.precision !== undefined &&
      (custom.precision < 1 || custom.precision > 18)
    )
      throw new Error(`customFields: ${custom.name} precision must be 1–18`);
  }
  const countries = countryCatalog();
  const statusValues = () =>
    settings.statuses
      .rows()
      .map((row) => ({ value: row.ApiName, label: row.MasterLabel, defaultValue: row.IsDefault }));

  const addressFields: FieldDef[] = [
    { name: 'Street', label: 'Street', type: 'textarea', length: 255, ...WRITABLE },
    text('City', 'City', 40),
    text('State', 'State/Province', 80),
    text('PostalCode', 'Zip/Postal Code', 20),
    text('Country', 'Country', 80),
  ];
  if (settings.stateCountryPicklists) {
    addressFields.push(
      {
        name: 'StateCode',
        label: 'State/Province Code',
        type: 'picklist',
        length: 255,
        ...WRITABLE,
        picklist: {
          restricted: true,
          checkedAsAddress: true,
          controllerName: 'CountryCode',
          values: () =>
            countries.countries().flatMap((country) =>
              countries.states(country.code).map((state) => ({
                value: state.code,
                label: state.name,
                defaultValue: false,
                validFor: country.code,
              })),
            ),
        },
      },
      {
        name: 'CountryCode',
        label: 'Country Code',
        type: 'picklist',
        length: 255,
        ...WRITABLE,
        picklist: {
          restricted: true,
          checkedAsAddress: true,
          values: () =>
            countries
              .countries()
              .map((country) => ({ value: country.code, label: country.name, defaultValue: false })),
        },
      },
    );
  }

  const fields: FieldDef[] = [
    {
      name: 'Id',
      label: 'Lead ID',
      type: 'id',
      length: 18,
      ...SYSTEM,
      defaultedOnCreate: true,
      idLookup: true,
    },
    { name: 'IsDeleted', label: 'Deleted', type: 'boolean', ...SYSTEM, defaultedOnCreate: true },
    text('LastName', 'Last Name', 80, { nillable: false, required: true }),
    text('FirstName', 'First Name', 40),
    {
      name: 'Salutation',
      label: 'Salutation',
      type: 'picklist',
      length: 255,
      ...WRITABLE,
      picklist: { restricted: false, values: () => picklistOf(SALUTATIONS) },
    },
    { name: 'Name', label: 'Full Name', type: 'string', length: 121, ...SYSTEM, nameField: true },
    text('Title', 'Title', 128),
    text('Company', 'Company', 255, { nillable: false, required: true }),
    ...addressFields,
    { name: 'Address', label: 'Address', type: 'address', ...READ_ONLY, filterable: false },
    { name: 'Phone', label: 'Phone', type: 'phone', length: 40, ...WRITABLE },
    { name: 'MobilePhone', label: 'Mobile Phone', type: 'phone', length: 40, ...WRITABLE },
    { name: 'Email', label: 'Email', type: 'email', length: 80, ...WRITABLE, idLookup: true },
    { name: 'Website', label: 'Website', type: 'url', length: 255, ...WRITABLE },
    {
      name: 'Description',
      label: 'Description',
      type: 'textarea',
      length: 32_000,
      ...WRITABLE,
      filterable: false,
    },
    {
      name: 'LeadSource',
      label: 'Lead Source',
      type: 'picklist',
      length: 255,
      ...WRITABLE,
      picklist: { restricted: true, values: () => picklistOf(settings.leadSources) },
    },
    {
      name: 'Status',
      label: 'Status',
      type: 'picklist',
      length: 255,
      ...WRITABLE,
      nillable: false,
      defaultedOnCreate: true,
      picklist: { restricted: true, values: statusValues },
    },
    {
      name: 'Industry',
      label: 'Industry',
      type: 'picklist',
      length: 255,
      ...WRITABLE,
      picklist: { restricted: false, values: () => picklistOf(INDUSTRIES) },
    },
    {
      name: 'Rating',
      label: 'Rating',
      type: 'picklist',
      length: 255,
      ...WRITABLE,
      picklist: { restricted: false, values: () => picklistOf(RATINGS) },
    },
    {
      name: 'AnnualRevenue',
      label: 'Annual Revenue',
      type: 'currency',
      precision: 18,
      scale: 0,
      ...WRITABLE,
    },
    { name: 'NumberOfEmployees', label: 'Employees', type: 'int', digits: 8, ...WRITABLE },
    reference('OwnerId', 'Owner ID', ['Group', 'User'], 'Owner', {
      nillable: false,
      createable: true,
      updateable: true,
      defaultedOnCreate: true,
    }),
    {
      name: 'HasOptedOutOfEmail',
      label: 'Email Opt Out',
      type: 'boolean',
      ...WRITABLE,
      nillable: false,
      defaultedOnCreate: true,
    },
    {
      name: 'DoNotCall',
      label: 'Do Not Call',
      type: 'boolean',
      ...WRITABLE,
      nillable: false,
      defaultedOnCreate: true,
    },
    { name: 'IsConverted', label: 'Converted', type: 'boolean', ...SYSTEM, defaultedOnCreate: true },
    { name: 'ConvertedDate', label: 'Converted Date', type: 'date', ...READ_ONLY },
    reference('ConvertedAccountId', 'Converted Account ID', ['Account'], 'ConvertedAccount'),
    reference('ConvertedContactId', 'Converted Contact ID', ['Contact'], 'ConvertedContact'),
    reference('ConvertedOpportunityId', 'Converted Opportunity ID', ['Opportunity'], 'ConvertedOpportunity'),
    {
      name: 'IsUnreadByOwner',
      label: 'Unread By Owner',
      type: 'boolean',
      ...SYSTEM,
      defaultedOnCreate: true,
    },
    { name: 'CreatedDate', label: 'Created Date', type: 'datetime', ...SYSTEM, defaultedOnCreate: true },
    reference('CreatedById', 'Created By ID', ['User'], 'CreatedBy', {
      nillable: false,
      defaultedOnCreate: true,
    }),
    {
      name: 'LastModifiedDate',
      label: 'Last Modified Date',
      type: 'datetime',
      ...SYSTEM,
      defaultedOnCreate: true,
    },
    reference('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy', {
      nillable: false,
      defaultedOnCreate: true,
    }),
    {
      name: 'SystemModstamp',
      label: 'System Modstamp',
      type: 'datetime',
      ...SYSTEM,
      defaultedOnCreate: true,
    },
    { name: 'LastActivityDate', label: 'Last Activity', type: 'date', ...READ_ONLY },
    ...settings.customFields.map(customFieldDef),
  ];
  return createSObjectType(
    { name: 'Lead', label: 'Lead', labelPlural: 'Leads', keyPrefix: KEY_PREFIXES.Lead },
    fields,
  );
}

function customFieldDef(custom: SalesforceCustomField): FieldDef {
  const label = custom.label ?? custom.name.replace(/__c$/, '').replaceAll('_', ' ');
  if ('length' in custom) {
    return {
      ...text(custom.name, label, custom.length),
      custom: true,
      externalId: custom.externalId ?? false,
      unique: custom.unique ?? false,
      caseSensitive: custom.caseSensitive ?? false,
      idLookup: (custom.externalId ?? false) || (custom.unique ?? false),
    };
  }
  if (custom.type === 'boolean') {
    // A Checkbox is never null: unchecked by default, as on a standard boolean field.
    return {
      name: custom.name,
      label,
      type: 'boolean',
      ...WRITABLE,
      nillable: false,
      defaultedOnCreate: true,
      custom: true,
    };
  }
  return {
    name: custom.name,
    label,
    type: custom.type,
    precision: custom.precision ?? 18,
    scale: custom.scale ?? 2,
    ...WRITABLE,
    custom: true,
  };
}
