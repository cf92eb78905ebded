/**
 * The CRM object types the emulated portal has, and how a URL may name them: the plural name
 * (`contacts`), the singular (`contact`) or the objectTypeId (`0-1`); leads are `0-136` (spec C1, C6).
 */
import { validationError } from './hubspot-error.ts';

export const OBJECT_NAMES = ['contacts', 'companies', 'deals', 'leads'] as const;
export type ObjectName = (typeof OBJECT_NAMES)[number];

export type ObjectType = {
  name: ObjectName;
  /** The objectTypeId, e.g. "0-1". */
  id: string;
  singular: string;
  /** As messages name one record, e.g. "Contact already exists". */
  label: string;
  /** As batch-read messages name the type, e.g. "Could not get some CONTACT objects". */
  upperName: string;
  /** The datetime every write moves (contacts use the older name, spec C4). */
  lastModifiedProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
  /** Properties a read returns when it names none. */
  defaultProperties: readonly string[];
  /** Properties a search's free-text `query` looks in. */
  queryProperties: readonly string[];
};

export const OBJECT_TYPES: Record<ObjectName, ObjectType> = {
  contacts: {
    name: 'contacts',
    id: '0-1',
    singular: 'contact',
    label: 'Contact',
    upperName: 'CONTACT',
    lastModifiedProperty: 'lastmodifieddate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    queryProperties: ['email', 'firstname', 'lastname', 'phone', 'company'],
  },
  companies: {
    name: 'companies',
    id: '0-2',
    singular: 'company',
    label: 'Company',
    upperName: 'COMPANY',
    lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    queryProperties: ['name', 'domain', 'website', 'phone'],
  },
  deals: {
    name: 'deals',
    id: '0-3',
    singular: 'deal',
    label: 'Deal',
    upperName: 'DEAL',
    lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    queryProperties: ['dealname', 'description'],
  },
  leads: {
    name: 'leads',
    id: '0-136',
    singular: 'lead',
    label: 'Lead',
    upperName: 'LEAD',
    lastModifiedProperty: 'hs_lastmodifieddate',
    // Our choice [U]: only the system properties, so a client must name what it reads.
    defaultProperties: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    queryProperties: ['hs_lead_name'],
  },
};

const BY_ALIAS = new Map<string, ObjectType>(
  Object.values(OBJECT_TYPES).flatMap((type) => [
    [type.name, type],
    [type.singular, type],
    [type.id, type],
  ]),
);

/** The object type a URL segment names; 400 as HubSpot answers an unknown one. */
export function resolveObjectType(segment: string): ObjectType {
  const type = BY_ALIAS.get(segment.toLowerCase());
  if (!type) throw validationError(`Unable to infer object type from: ${segment}`);
  return type;
}
