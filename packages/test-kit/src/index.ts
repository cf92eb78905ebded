/**
 * What the connector's test suites share. Independent on purpose: nothing here imports the connector's
 * sources, so an expectation cannot inherit the bug it is meant to catch.
 */
export { dataverseLeadDifferences } from './dataverse-lead-differences.ts';
export {
  type DataverseLeadColumns,
  type ExpectedDataverseLeadOptions,
  expectedDataverseLead,
  TestKitRuleGapError,
} from './expected-dataverse-lead.ts';
export { createTestClock, type TestClock } from './test-clock.ts';
