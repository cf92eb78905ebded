/**
 * The org's lead statuses: the `LeadStatus` rows that back the Lead `Status` picklist (spec B2, B5).
 * One row is the default a new lead gets; rows with `IsConverted` are the statuses lead conversion may
 * set. The value set differs between orgs, so it is configurable and clients must read it, not assume it.
 */
import type { IdFactory } from './salesforce-ids.ts';
import { KEY_PREFIXES } from './salesforce-ids.ts';
import { formatDateTime } from './salesforce-time.ts';
import { createSObjectType, type FieldDef } from './sobject-type.ts';

export type LeadStatusDefinition = {
  /** API name and label (the emulator keeps them equal, as most orgs do). */
  label: string;
  converted?: boolean;
  /** The status a lead gets when created without one; exactly one row has it. */
  default?: boolean;
};

/** The values of a Developer Edition / Sales Cloud org as created. */
export const DEFAULT_LEAD_STATUSES: readonly LeadStatusDefinition[] = [
  { label: 'Open - Not Contacted', default: true },
  { label: 'Working - Contacted' },
  { label: 'Closed - Converted', converted: true },
  { label: 'Closed - Not Converted' },
];

export type LeadStatusRow = {
  Id: string;
  ApiName: string;
  MasterLabel: string;
  IsConverted: boolean;
  IsDefault: boolean;
  SortOrder: number;
  CreatedDate: string;
  LastModifiedDate: string;
  SystemModstamp: string;
};

const readOnly = { nillable: false, createable: false, updateable: false };
const LEAD_STATUS_FIELDS: FieldDef[] = [
  { name: 'Id', label: 'Lead Status ID', type: 'id', length: 18, ...readOnly, idLookup: true },
  { name: 'MasterLabel', label: 'Master Label', type: 'string', length: 255, ...readOnly, nameField: true },
  { name: 'ApiName', label: 'Api Name', type: 'string', length: 255, ...readOnly },
  { name: 'SortOrder', label: 'Sort Order', type: 'int', digits: 9, ...readOnly, nillable: true },
  { name: 'IsDefault', label: 'Is Default', type: 'boolean', ...readOnly },
  { name: 'IsConverted', label: 'Is Converted', type: 'boolean', ...readOnly },
  { name: 'CreatedDate', label: 'Created Date', type: 'datetime', ...readOnly },
  { name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime', ...readOnly },
  { name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime', ...readOnly },
];

/** The LeadStatus sObject: read-only setup data, queryable with SOQL. */
export const LEAD_STATUS_TYPE = createSObjectType(
  {
    name: 'LeadStatus',
    label: 'Lead Status Value',
    labelPlural: 'Lead Status Values',
    keyPrefix: KEY_PREFIXES.LeadStatus,
  },
  LEAD_STATUS_FIELDS,
);

export type LeadStatuses = {
  rows(): LeadStatusRow[];
  /** The rows as SOQL reads them (datetimes as epoch ms). */
  queryRows(): Array<Record<string, string | number | boolean>>;
  labels(): string[];
  defaultStatus(): string;
  /** The converted status conversion uses when none is given (the first converted row). */
  defaultConvertedStatus(): string;
  isConverted(label: string): boolean;
  has(label: string): boolean;
};

export function createLeadStatuses(
  definitions: readonly LeadStatusDefinition[],
  ids: IdFactory,
  /** When the org was set up: the rows' timestamps. */
  createdAt: number,
): LeadStatuses {
  const defaults = definitions.filter((d) => d.default);
  if (defaults.length !== 1) throw new Error('leadStatuses: exactly one status must be the default');
  if (defaults[0]?.converted) throw new Error('leadStatuses: the default status cannot be a converted one');
  if (!definitions.some((d) => d.converted))
    throw new Error('leadStatuses: at least one status must be converted');
  const rows: LeadStatusRow[] = definitions.map((d, index) => ({
    Id: ids.next(KEY_PREFIXES.LeadStatus),
    ApiName: d.label,
    MasterLabel: d.label,
    IsConverted: d.converted ?? false,
    IsDefault: d.default ?? false,
    SortOrder: index + 1,
    CreatedDate: formatDateTime(createdAt),
    LastModifiedDate: formatDateTime(createdAt),
    SystemModstamp: formatDateTime(createdAt),
  }));
  const byLabel = new Map(rows.map((row) => [row.ApiName, row]));
  return {
    rows: () => rows.map((row) => ({ ...row })),
    queryRows: () =>
      rows.map((row) => ({
        ...row,
        CreatedDate: createdAt,
        LastModifiedDate: createdAt,
        SystemModstamp: createdAt,
      })),
    labels: () => rows.map((row) => row.ApiName),
    defaultStatus: () => defaults[0]?.label ?? '',
    defaultConvertedStatus: () => rows.find((row) => row.IsConverted)?.ApiName ?? '',
    isConverted: (label) => byLabel.get(label)?.IsConverted ?? false,
    has: (label) => byLabel.has(label),
  };
}
