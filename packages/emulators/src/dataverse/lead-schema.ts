/**
 * The `lead` table of Dynamics 365 Sales (spec A3) plus the organization's custom columns. Types and
 * lengths follow the lead entity reference.
 */
import { type ColumnDef, createSchema, type EntitySchema } from './entity-schema.ts';
import { LEAD_STATES, LEAD_STATUSES } from './lead-status.ts';

/**
 * A custom column the organization added to `lead`: text (String of `maxLength`, the default), or a
 * Currency (`money`), Floating Point Number (`double`), Whole Number (`integer`) or Yes/No (`boolean`).
 */
export type CustomColumn =
  | { name: string; maxLength: number; type?: 'string' | 'memo' }
  | { name: string; type: 'money' | 'double' | 'integer' | 'boolean' };

export const DEFAULT_CUSTOM_COLUMNS: readonly CustomColumn[] = [
  { name: 'new_referralid', maxLength: 100 },
  { name: 'new_referralurl', maxLength: 500 },
];
export const DEFAULT_ALTERNATE_KEY: readonly string[] = ['new_referralid'];

export const LEAD_SOURCE_CODES: Readonly<Record<number, string>> = {
  1: 'Advertisement',
  2: 'Employee Referral',
  3: 'External Referral',
  4: 'Partner',
  5: 'Public Relations',
  6: 'Seminar',
  7: 'Trade Show',
  8: 'Web',
  9: 'Word of Mouth',
  10: 'Other',
};

export const LEAD_QUALITY_CODES: Readonly<Record<number, string>> = { 1: 'Hot', 2: 'Warm', 3: 'Cold' };

const text = (name: string, maxLength: number): ColumnDef => ({ name, type: 'string', maxLength });

const LEAD_COLUMNS: ColumnDef[] = [
  { name: 'leadid', type: 'guid', createOnly: true },
  text('subject', 300),
  text('firstname', 50),
  text('middlename', 50),
  text('lastname', 50),
  { name: 'fullname', type: 'string', maxLength: 160, readOnly: true },
  text('companyname', 100),
  text('emailaddress1', 100),
  text('emailaddress2', 100),
  text('emailaddress3', 100),
  text('telephone1', 50),
  text('telephone2', 50),
  text('telephone3', 50),
  text('mobilephone', 20),
  text('jobtitle', 100),
  text('websiteurl', 200),
  text('address1_line1', 250),
  text('address1_line2', 250),
  text('address1_line3', 250),
  text('address1_city', 80),
  text('address1_stateorprovince', 50),
  text('address1_postalcode', 20),
  text('address1_country', 80),
  { name: 'address1_composite', type: 'memo', maxLength: 1000, readOnly: true },
  { name: 'description', type: 'memo', maxLength: 2000 },
  { name: 'estimatedamount', type: 'money' },
  { name: 'estimatedvalue', type: 'double' },
  { name: 'estimatedclosedate', type: 'dateonly' },
  { name: 'leadsourcecode', type: 'picklist', options: LEAD_SOURCE_CODES },
  { name: 'leadqualitycode', type: 'picklist', options: LEAD_QUALITY_CODES },
  { name: 'statecode', type: 'state', options: LEAD_STATES },
  { name: 'statuscode', type: 'status', options: LEAD_STATUSES },
  { name: 'createdon', type: 'datetime', readOnly: true },
  { name: 'modifiedon', type: 'datetime', readOnly: true },
  { name: 'versionnumber', type: 'bigint', readOnly: true },
  lookup('ownerid', { systemusers: 'systemuser', teams: 'team' }),
  lookup('parentaccountid', { accounts: 'account' }),
  lookup('parentcontactid', { contacts: 'contact' }),
  lookup('campaignid', { campaigns: 'campaign' }),
  lookup('transactioncurrencyid', { transactioncurrencies: 'transactioncurrency' }),
  { ...lookup('qualifyingopportunityid', { opportunities: 'opportunity' }), bindable: false },
];

function lookup(navigation: string, targets: Record<string, string>): ColumnDef {
  return { name: `_${navigation}_value`, type: 'lookup', navigation, targets, bindable: true };
}

export function createLeadSchema(
  customColumns: readonly CustomColumn[] = DEFAULT_CUSTOM_COLUMNS,
  alternateKey: readonly string[] = DEFAULT_ALTERNATE_KEY,
): EntitySchema {
  const custom = customColumns.map(
    (c): ColumnDef =>
      'maxLength' in c ? { name: c.name, type: c.type ?? 'string', maxLength: c.maxLength } : c,
  );
  const schema = createSchema('leads', 'lead', 'leadid', [...LEAD_COLUMNS, ...custom], alternateKey);
  for (const column of alternateKey) {
    if (!schema.columns.has(column)) {
      throw new Error(`alternate key column "${column}" is not a column of lead; add it to customColumns`);
    }
  }
  return schema;
}

/** Columns Dataverse computes from others on every write. */
export function derivedLeadColumns(row: Record<string, unknown>): {
  fullname: string;
  address1_composite: string;
} {
  const str = (name: string) => (typeof row[name] === 'string' ? (row[name] as string) : '');
  const fullname = [str('firstname'), str('middlename'), str('lastname')].filter(Boolean).join(' ');
  const cityLine = [str('address1_city'), str('address1_stateorprovince'), str('address1_postalcode')]
    .filter(Boolean)
    .join(' ');
  const address = [str('address1_line1'), str('address1_line2'), str('address1_line3'), cityLine]
    .concat(str('address1_country'))
    .filter(Boolean)
    .join('\r\n');
  return { fullname, address1_composite: address };
}
