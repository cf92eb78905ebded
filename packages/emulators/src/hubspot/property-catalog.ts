/**
 * Property definitions of the emulated portal (spec C9): HubSpot's own properties the connector may
 * touch on contacts, companies, deals and leads, plus custom ones a portal admin created — by default
 * the unique text property `referral_id` on leads and on deals. `POST /crm/v3/properties/{object}` adds
 * more at run time.
 */
import { HubSpotError, validationError } from './hubspot-error.ts';
import { OBJECT_NAMES, type ObjectName } from './object-types.ts';

export const PROPERTY_TYPES = [
  'string',
  'number',
  'enumeration',
  'date',
  'datetime',
  'bool',
  'phone_number',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** Field types each property type may be shown with. */
const FIELD_TYPES: Record<PropertyType, readonly string[]> = {
  string: ['text', 'textarea', 'html', 'file'],
  number: ['number', 'calculation_equation'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  date: ['date'],
  datetime: ['date'],
  bool: ['booleancheckbox', 'calculation_equation'],
  phone_number: ['phonenumber'],
};

export type PropertyOption = {
  label: string;
  value: string;
  description: string;
  displayOrder: number;
  hidden: boolean;
};

export type PropertyDefinition = {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hubspotDefined: boolean;
  /** Only HubSpot sets it; an API write is refused with READ_ONLY_VALUE. */
  readOnlyValue: boolean;
  calculated: boolean;
  hidden: boolean;
  formField: boolean;
  /** Its values come from the portal's pipelines, stages or owners, not from `options` (left empty). */
  optionsFrom?: 'pipelines' | 'stages' | 'owners';
  referencedObjectType?: string;
  showCurrencySymbol?: boolean;
  createdAt?: string;
  updatedAt?: string;
};

/** What `POST /crm/v3/properties/{object}` takes (PropertyCreate), and `HubSpotOptions.customProperties`. */
export type PropertyInput = {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description?: string;
  options?: ReadonlyArray<{
    label: string;
    value: string;
    description?: string;
    displayOrder?: number;
    hidden?: boolean;
  }>;
  hasUniqueValue?: boolean;
  displayOrder?: number;
  hidden?: boolean;
  formField?: boolean;
};

const referralId = (object: string): PropertyInput => ({
  name: 'referral_id',
  label: 'Referral ID',
  type: 'string',
  fieldType: 'text',
  groupName: `${object}information`,
  description: 'Microsoft Partner Center referral id; one record per referral.',
  hasUniqueValue: true,
});

/**
 * The portal admin's setup the connector expects: a unique `referral_id` on leads and deals, and on
 * contacts for a referral's contact without an e-mail address.
 */
export const DEFAULT_CUSTOM_PROPERTIES: Partial<Record<ObjectName, readonly PropertyInput[]>> = {
  contacts: [referralId('contact')],
  leads: [referralId('lead')],
  deals: [referralId('deal')],
};

type BuiltIn = Partial<PropertyDefinition> &
  Pick<PropertyDefinition, 'name' | 'label' | 'type' | 'fieldType'> & { values?: readonly string[] };

const text = (name: string, label: string): BuiltIn => ({ name, label, type: 'string', fieldType: 'text' });
const phone = (name: string, label: string): BuiltIn => ({
  name,
  label,
  type: 'string',
  fieldType: 'phonenumber',
});
const choice = (name: string, label: string, values: readonly string[]): BuiltIn => ({
  name,
  label,
  type: 'enumeration',
  fieldType: 'radio',
  values,
});
const system = (name: string, label: string, type: PropertyType, fieldType: string): BuiltIn => ({
  name,
  label,
  type,
  fieldType,
  readOnlyValue: true,
  calculated: false,
});
const owner: BuiltIn = {
  name: 'hubspot_owner_id',
  label: 'Owner',
  type: 'enumeration',
  fieldType: 'select',
  optionsFrom: 'owners',
  referencedObjectType: 'OWNER',
};
const createdate = system('createdate', 'Create Date', 'datetime', 'date');
const objectId = system('hs_object_id', 'Record ID', 'number', 'number');
const lastModified = system('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date');

const BUILT_INS: Record<ObjectName, readonly BuiltIn[]> = {
  contacts: [
    { ...text('email', 'Email') },
    text('firstname', 'First Name'),
    text('lastname', 'Last Name'),
    text('company', 'Company Name'),
    text('jobtitle', 'Job Title'),
    text('website', 'Website URL'),
    text('address', 'Street Address'),
    text('city', 'City'),
    text('state', 'State/Region'),
    text('zip', 'Postal Code'),
    text('country', 'Country/Region'),
    phone('phone', 'Phone Number'),
    phone('mobilephone', 'Mobile Phone Number'),
    choice('lifecyclestage', 'Lifecycle Stage', [
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]),
    choice('hs_lead_status', 'Lead Status', [
      'NEW',
      'OPEN',
      'IN_PROGRESS',
      'OPEN_DEAL',
      'UNQUALIFIED',
      'ATTEMPTED_TO_CONTACT',
      'CONNECTED',
      'BAD_TIMING',
    ]),
    owner,
    createdate,
    system('lastmodifieddate', 'Last Modified Date', 'datetime', 'date'),
    objectId,
  ],
  companies: [
    text('name', 'Company name'),
    text('domain', 'Company Domain Name'),
    text('website', 'Website URL'),
    text('city', 'City'),
    text('country', 'Country/Region'),
    text('industry', 'Industry'),
    phone('phone', 'Phone Number'),
    { ...text('description', 'Description'), fieldType: 'textarea' },
    owner,
    createdate,
    lastModified,
    objectId,
  ],
  deals: [
    text('dealname', 'Deal Name'),
    {
      name: 'pipeline',
      label: 'Pipeline',
      type: 'enumeration',
      fieldType: 'select',
      optionsFrom: 'pipelines',
    },
    {
      name: 'dealstage',
      label: 'Deal Stage',
      type: 'enumeration',
      fieldType: 'radio',
      optionsFrom: 'stages',
    },
    { name: 'amount', label: 'Amount', type: 'number', fieldType: 'number', showCurrencySymbol: true },
    { name: 'closedate', label: 'Close Date', type: 'datetime', fieldType: 'date' },
    { ...choice('dealtype', 'Deal Type', ['newbusiness', 'existingbusiness']) },
    { ...text('description', 'Deal Description'), fieldType: 'textarea' },
    owner,
    { ...system('hs_is_closed', 'Is Deal Closed?', 'bool', 'booleancheckbox'), calculated: true },
    { ...system('hs_is_closed_won', 'Is Closed Won', 'bool', 'booleancheckbox'), calculated: true },
    createdate,
    lastModified,
    objectId,
  ],
  leads: [
    text('hs_lead_name', 'Lead name'),
    {
      name: 'hs_pipeline',
      label: 'Pipeline',
      type: 'enumeration',
      fieldType: 'select',
      optionsFrom: 'pipelines',
    },
    {
      name: 'hs_pipeline_stage',
      label: 'Lead stage',
      type: 'enumeration',
      fieldType: 'select',
      optionsFrom: 'stages',
    },
    {
      ...choice('hs_lead_type', 'Lead type', ['NEW_BUSINESS', 'UPSELL', 'RE_ATTEMPTING']),
      fieldType: 'select',
    },
    { ...choice('hs_lead_label', 'Lead label', ['HOT', 'WARM', 'COLD']), fieldType: 'select' },
    owner,
    createdate,
    lastModified,
    objectId,
  ],
};

const GROUPS: Record<ObjectName, string> = {
  contacts: 'contactinformation',
  companies: 'companyinformation',
  deals: 'dealinformation',
  leads: 'leadinformation',
};

export type PropertyCatalog = {
  list(type: ObjectName): PropertyDefinition[];
  get(type: ObjectName, name: string): PropertyDefinition | undefined;
  /** A portal admin creates a property; 400 for a bad definition, 409 when the name is taken. */
  create(type: ObjectName, input: unknown): PropertyDefinition;
};

export function createPropertyCatalog(options: {
  now: () => number;
  custom?: Partial<Record<ObjectName, readonly PropertyInput[]>>;
}): PropertyCatalog {
  const byType = new Map<ObjectName, Map<string, PropertyDefinition>>();
  for (const type of OBJECT_NAMES) {
    const properties = new Map<string, PropertyDefinition>();
    BUILT_INS[type].forEach((builtIn, index) => {
      properties.set(builtIn.name, fromBuiltIn(builtIn, GROUPS[type], index));
    });
    byType.set(type, properties);
  }
  const catalog: PropertyCatalog = {
    list: (type) => [...(byType.get(type)?.values() ?? [])],
    get: (type, name) => byType.get(type)?.get(name),
    create(type, input) {
      const properties = byType.get(type) as Map<string, PropertyDefinition>;
      const definition = readPropertyInput(input, options.now(), properties.size);
      if (properties.has(definition.name)) {
        throw new HubSpotError(409, `Property named '${definition.name}' already exists.`, {
          category: 'OBJECT_ALREADY_EXISTS',
        });
      }
      properties.set(definition.name, definition);
      return definition;
    },
  };
  // Given custom properties replace the default set as a whole: `{ leads: [...] }` means none on deals.
  const custom = options.custom ?? DEFAULT_CUSTOM_PROPERTIES;
  for (const type of OBJECT_NAMES) {
    for (const input of custom[type] ?? []) {
      catalog.create(type, input);
    }
  }
  return catalog;
}

function fromBuiltIn(builtIn: BuiltIn, groupName: string, displayOrder: number): PropertyDefinition {
  const { values, ...rest } = builtIn;
  return {
    groupName,
    description: '',
    displayOrder,
    hasUniqueValue: false,
    hubspotDefined: true,
    readOnlyValue: false,
    calculated: false,
    hidden: false,
    formField: !builtIn.readOnlyValue,
    ...rest,
    options: (values ?? []).map((value, index) => ({
      label: value,
      value,
      description: '',
      displayOrder: index,
      hidden: false,
    })),
  };
}

const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Checks a property definition as the properties API does; throws its 400. */
function readPropertyInput(input: unknown, nowMs: number, displayOrder: number): PropertyDefinition {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw validationError(
      'Invalid input JSON on line 1, column 1: a property definition object was expected',
    );
  const value = input as Record<string, unknown>;
  for (const field of ['name', 'label', 'type', 'fieldType', 'groupName']) {
    if (typeof value[field] !== 'string' || value[field] === '')
      throw validationError(`Property definition is missing the required field "${field}"`);
  }
  const name = value.name as string;
  if (!NAME_PATTERN.test(name) || name.startsWith('hs_'))
    throw validationError(
      `Property name '${name}' is invalid: use lowercase letters, digits and underscores, starting with a letter; the hs_ prefix is reserved`,
    );
  const type = value.type as PropertyType;
  if (!(PROPERTY_TYPES as readonly string[]).includes(type))
    throw validationError(`Property type '${type}' is invalid; use one of ${PROPERTY_TYPES.join(', ')}`);
  const fieldType = value.fieldType as string;
  if (!FIELD_TYPES[type].includes(fieldType))
    throw validationError(
      `Field type '${fieldType}' cannot be used with property type '${type}'; use ${FIELD_TYPES[type].join(', ')}`,
    );
  const hasUniqueValue = value.hasUniqueValue === true;
  // Unique values exist for single-line text and numbers only.
  if (hasUniqueValue && !((type === 'string' && fieldType === 'text') || type === 'number'))
    throw validationError(
      `Property '${name}' cannot have unique values: only text and number properties can`,
    );
  const rawOptions = Array.isArray(value.options) ? (value.options as Array<Record<string, unknown>>) : [];
  const options = rawOptions.map((option, index) => {
    if (typeof option.label !== 'string' || typeof option.value !== 'string')
      throw validationError(`Option ${index} of property '${name}' needs a string label and value`);
    return {
      label: option.label,
      value: option.value,
      description: typeof option.description === 'string' ? option.description : '',
      displayOrder: typeof option.displayOrder === 'number' ? option.displayOrder : index,
      hidden: option.hidden === true,
    };
  });
  const at = new Date(nowMs).toISOString();
  return {
    name,
    label: value.label as string,
    type,
    fieldType,
    groupName: value.groupName as string,
    description: typeof value.description === 'string' ? value.description : '',
    options: type === 'enumeration' ? options : [],
    displayOrder: typeof value.displayOrder === 'number' ? value.displayOrder : displayOrder,
    hasUniqueValue,
    hubspotDefined: false,
    readOnlyValue: false,
    calculated: false,
    hidden: value.hidden === true,
    formField: value.formField === true,
    createdAt: at,
    updatedAt: at,
  };
}
