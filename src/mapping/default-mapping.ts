/**
 * The connector's own mapping, written in the same form as a partner's `mapping` configuration: a
 * configured entry replaces the entry of the same field here. docs/mapping.md is generated from it.
 * The rules that need more than a path live in the derived views (`$primaryContact`, `$description`) and
 * in the fields' own guarantees (./draft-fields.ts), so they hold for a configured source too.
 */
import type { MappingConfig } from './mapping-config.ts';
import { defaultStatusMapping, defaultStatusTable } from './status-mapping.ts';

export const DEFAULT_MAPPING: MappingConfig = {
  fields: {
    topic: { path: 'name' },
    companyName: { path: 'customerProfile.name' },
    'contact.firstName': { path: '$primaryContact.firstName' },
    'contact.lastName': { path: '$primaryContact.lastName' },
    'contact.email': { path: '$primaryContact.email' },
    'contact.phone': { path: '$primaryContact.phoneNumber' },
    'contact.jobTitle': { path: '$primaryContact.title' },
    estimatedAmount: { path: 'details.dealValue' },
    currencyCode: { path: 'details.currency' },
    estimatedCloseDate: { path: 'details.closingDateTime' },
    description: { path: '$description' },
    'address.line1': { path: 'customerProfile.address.addressLine1' },
    'address.line2': { path: 'customerProfile.address.addressLine2' },
    'address.city': { path: 'customerProfile.address.city' },
    'address.stateOrProvince': { path: 'customerProfile.address.state' },
    'address.postalCode': { path: 'customerProfile.address.postalCode' },
    'address.country': { path: 'customerProfile.address.country' },
  },
  extra: {},
  status: {
    table: defaultStatusTable,
    crmStatus: {},
    reasons: {},
    writeStatusReason: defaultStatusMapping.writeStatusReason,
    replaceExternalReferenceId: defaultStatusMapping.replaceExternalReferenceId,
  },
};
