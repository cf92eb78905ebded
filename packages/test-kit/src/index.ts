/**
 * What the connector's test suites share. Independent on purpose: nothing here imports the connector's
 * sources, so an expectation cannot inherit the bug it is meant to catch.
 */

export {
  type DataverseLeadColumns,
  type ExpectedDataverseLeadOptions,
  expectedDataverseLead,
  TestKitRuleGapError,
} from './expected-dataverse-lead.ts';
export {
  expectedHubSpotContact,
  expectedHubSpotRecord,
  type HubSpotProperties,
} from './expected-hubspot-records.ts';
export { type ExpectedLead, expectedLead } from './expected-lead.ts';
export {
  type ExpectedSalesforceLeadOptions,
  expectedSalesforceLead,
  type SalesforceLeadFields,
} from './expected-salesforce-lead.ts';
export { leadDifferences } from './lead-differences.ts';
export { createTestClock, type TestClock } from './test-clock.ts';
