import { describe, expect, test } from 'vitest';
import { createRandom } from '../shared/random.ts';
import { createLeadType, DEFAULT_CUSTOM_FIELDS, DEFAULT_LEAD_SOURCES } from './lead-schema.ts';
import { createLeadStatuses, DEFAULT_LEAD_STATUSES } from './lead-statuses.ts';
import type { FieldValue } from './lead-table.ts';
import { SalesforceError } from './salesforce-error.ts';
import { createIdFactory } from './salesforce-ids.ts';
import { runQuery } from './soql-evaluator.ts';
import { parseSoql } from './soql-parser.ts';

const NOW = Date.parse('2026-05-04T09:00:00Z');
const ids = createIdFactory(createRandom('soql'));
const statuses = createLeadStatuses(DEFAULT_LEAD_STATUSES, ids, NOW);
const type = createLeadType({
  customFields: DEFAULT_CUSTOM_FIELDS,
  statuses,
  leadSources: DEFAULT_LEAD_SOURCES,
  stateCountryPicklists: false,
});
const at = (iso: string) => Date.parse(iso);
const row = (id: string, fields: Record<string, FieldValue>): Record<string, FieldValue> => ({
  Id: `00Q5g0000000${id}AAA`.slice(0, 18),
  IsDeleted: false,
  IsConverted: false,
  Status: 'Open - Not Contacted',
  LeadSource: null,
  Email: null,
  ...fields,
});
const ROWS = [
  row('001', {
    LastName: 'Ada',
    Company: 'Acme',
    Referral_Id__c: 'R-1',
    SystemModstamp: at('2026-05-01T10:00:00Z'),
    NumberOfEmployees: 10,
  }),
  row('002', {
    LastName: 'bob',
    Company: 'Acme',
    Referral_Id__c: 'r-1',
    SystemModstamp: at('2026-05-02T10:00:00Z'),
    NumberOfEmployees: 50,
    Email: 'bob@acme.example',
  }),
  row('003', {
    LastName: 'Cy',
    Company: "O'Brien & Co",
    Referral_Id__c: 'R-3',
    SystemModstamp: at('2026-05-04T08:00:00Z'),
    LeadSource: 'Web',
    Status: 'Working - Contacted',
  }),
  row('004', {
    LastName: 'Di',
    Company: '100% Fun',
    Referral_Id__c: null,
    SystemModstamp: at('2026-05-04T08:00:00Z'),
    IsConverted: true,
    Status: 'Closed - Converted',
    IsDeleted: true,
  }),
];

function names(soql: string, options: { includeDeleted?: boolean } = {}): string[] {
  const outcome = runQuery(
    parseSoql(soql),
    (name) =>
      name.toLowerCase() === 'lead'
        ? { type, rows: (deleted) => ROWS.filter((r) => deleted || !r.IsDeleted) }
        : undefined,
    { includeDeleted: options.includeDeleted ?? false, apiVersion: '62.0', now: NOW },
  );
  if (outcome.kind === 'count') return [String(outcome.totalSize)];
  return outcome.records.map((record) => String(record.LastName));
}

function failure(soql: string): { errorCode: string; message: string } {
  try {
    names(soql);
  } catch (error) {
    if (error instanceof SalesforceError) return error.body()[0] as { errorCode: string; message: string };
    throw error;
  }
  throw new Error(`no error for ${soql}`);
}

describe('SOQL', () => {
  test.each([
    ["SELECT LastName FROM Lead WHERE Company = 'acme'", ['Ada', 'bob']],
    ["SELECT LastName FROM Lead WHERE Company != 'Acme'", ['Cy']],
    ["select lastname from lead where company = 'ACME' and numberofemployees > 10", ['bob']],
    ['SELECT LastName FROM Lead WHERE NumberOfEmployees >= 10 AND NumberOfEmployees <= 10', ['Ada']],
    ['SELECT LastName FROM Lead WHERE NumberOfEmployees < 50', ['Ada']],
    ["SELECT LastName FROM Lead WHERE LeadSource = 'Web' OR Email != null", ['bob', 'Cy']],
    ["SELECT LastName FROM Lead WHERE (LeadSource = 'Web' OR Email != null) AND Company = 'Acme'", ['bob']],
    ["SELECT LastName FROM Lead WHERE NOT Company = 'Acme'", ['Cy']],
    ['SELECT LastName FROM Lead WHERE Email = null', ['Ada', 'Cy']],
    ["SELECT LastName FROM Lead WHERE Status IN ('Working - Contacted', 'Closed - Converted')", ['Cy']],
    ["SELECT LastName FROM Lead WHERE Status NOT IN ('Working - Contacted')", ['Ada', 'bob']],
    ["SELECT LastName FROM Lead WHERE Company LIKE 'o\\'br%'", ['Cy']],
    ["SELECT LastName FROM Lead WHERE LastName LIKE '_o_'", ['bob']],
    ['SELECT LastName FROM Lead WHERE IsConverted = false', ['Ada', 'bob', 'Cy']],
    ['SELECT LastName FROM Lead WHERE SystemModstamp >= 2026-05-02T10:00:00Z', ['bob', 'Cy']],
    ['SELECT LastName FROM Lead WHERE SystemModstamp > 2026-05-02T12:00:00+02:00', ['Cy']],
    ['SELECT LastName FROM Lead WHERE SystemModstamp = TODAY', ['Cy']],
    ['SELECT LastName FROM Lead WHERE SystemModstamp = LAST_N_DAYS:2', ['bob', 'Cy']],
    ['SELECT LastName FROM Lead ORDER BY LastName DESC', ['Cy', 'bob', 'Ada']],
    ['SELECT LastName FROM Lead ORDER BY Company ASC, SystemModstamp DESC', ['bob', 'Ada', 'Cy']],
    ['SELECT LastName FROM Lead ORDER BY LeadSource NULLS LAST, LastName', ['Cy', 'Ada', 'bob']],
    ['SELECT LastName FROM Lead ORDER BY LeadSource DESC, LastName DESC', ['Cy', 'bob', 'Ada']],
    ['SELECT LastName FROM Lead ORDER BY LastName LIMIT 2 OFFSET 1', ['bob', 'Cy']],
    ["SELECT COUNT() FROM Lead WHERE Company = 'Acme'", ['2']],
  ])('%s', (soql, expected) => {
    expect(names(soql)).toEqual(expected);
  });

  test('matches the unique case-sensitive external id exactly, with = and LIKE', () => {
    expect(names("SELECT LastName FROM Lead WHERE Referral_Id__c = 'R-1'")).toEqual(['Ada']);
    expect(names("SELECT LastName FROM Lead WHERE Referral_Id__c LIKE 'r-%'")).toEqual(['bob']);
  });

  test('queryAll sees deleted rows; query never does', () => {
    expect(names('SELECT LastName FROM Lead WHERE IsDeleted = true')).toEqual([]);
    expect(names('SELECT LastName FROM Lead WHERE IsDeleted = true', { includeDeleted: true })).toEqual([
      'Di',
    ]);
  });

  test('names an unknown field with the query line, a caret, its row and column', () => {
    expect(failure('SELECT Id, Referal_Id__c FROM Lead')).toEqual({
      errorCode: 'INVALID_FIELD',
      message:
        "\nSELECT Id, Referal_Id__c FROM Lead\n           ^\nERROR at Row:1:Column:12\nNo such column 'Referal_Id__c' on entity 'Lead'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    });
    expect(failure('SELECT Id FROM Lead\nWHERE Bogus = 1').message).toMatch(
      /^\nWHERE Bogus = 1\n {6}\^\nERROR at Row:2:Column:7\n/,
    );
  });

  test.each([
    ['SELECT Id FROM Leed', 'INVALID_TYPE'],
    ['SELECT Id FROM Lead WHERE', 'MALFORMED_QUERY'],
    ['SELECT Id Lead', 'MALFORMED_QUERY'],
    ["SELECT Id FROM Lead WHERE Company = 'a' AND LastName = 'b' OR LastName = 'c'", 'MALFORMED_QUERY'],
    ['SELECT Id FROM Lead WHERE SystemModstamp >= 2026-01-01T00:00:00.000+0000', 'MALFORMED_QUERY'],
    ['SELECT Id FROM Lead WHERE SystemModstamp >= 2026-01-01T00:00:00 01:00', 'MALFORMED_QUERY'],
    ["SELECT Id FROM Lead WHERE SystemModstamp >= '2026-01-01T00:00:00Z'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ['SELECT Id FROM Lead WHERE SystemModstamp >= 2026-01-01', 'INVALID_QUERY_FILTER_OPERATOR'],
    ['SELECT Id FROM Lead WHERE LastName = 5', 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM Lead WHERE IsConverted = 'false'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM Lead WHERE Id = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM Lead WHERE Description = 'x'", 'INVALID_FIELD'],
    ['SELECT Id, id FROM Lead', 'MALFORMED_QUERY'],
    ['SELECT Id FROM Lead ORDER BY LastName LIMIT 10 OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE'],
    ["SELECT Id FROM Lead WHERE Company = 'unterminated", 'MALFORMED_QUERY'],
  ])('refuses %s with %s', (soql, errorCode) => {
    expect(failure(soql).errorCode).toBe(errorCode);
  });

  test('tells what it did not expect', () => {
    expect(failure('SELECT Id FROM Lead WHERE').message).toMatch(/unexpected token: '<EOF>'$/);
    expect(failure("SELECT Id FROM Lead WHERE SystemModstamp >= '2026-01-01T00:00:00Z'").message).toMatch(
      /value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes$/,
    );
  });
});
