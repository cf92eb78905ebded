import { describe, expect, test } from 'vitest';
import { DataverseError } from './dataverse-error.ts';
import type { Row } from './entity-schema.ts';
import { createLeadSchema } from './lead-schema.ts';
import { checkFilter, matchesFilter } from './odata-filter-evaluator.ts';
import { FilterSyntaxError, parseFilter } from './odata-filter-parser.ts';

const schema = createLeadSchema();
const ada: Row = {
  leadid: '6b1f6d7e-0c2a-4e0b-9a41-1d2c3b4a5f60',
  lastname: 'Lovelace',
  companyname: "O'Brien & Co",
  new_referralid: 'REF-1001',
  statecode: 0,
  statuscode: 2,
  estimatedamount: 25000,
  estimatedclosedate: '2025-06-30',
  modifiedon: '2025-02-03T10:15:42Z',
  emailaddress1: null,
  _ownerid_value: '11111111-2222-4333-8444-555555555555',
};

function matches(filter: string, row: Row = ada): boolean {
  const expression = parseFilter(filter);
  checkFilter(expression, schema);
  return matchesFilter(expression, row, schema);
}

function rejection(filter: string): DataverseError {
  try {
    checkFilter(parseFilter(filter), schema);
  } catch (error) {
    if (error instanceof DataverseError) return error;
    throw error;
  }
  throw new Error(`filter "${filter}" was accepted`);
}

describe('$filter', () => {
  test('compares each operator against numbers', () => {
    expect(matches('statuscode eq 2')).toBe(true);
    expect(matches('statuscode ne 2')).toBe(false);
    expect(matches('estimatedamount gt 24999.5')).toBe(true);
    expect(matches('estimatedamount ge 25000')).toBe(true);
    expect(matches('estimatedamount lt 25000')).toBe(false);
    expect(matches('estimatedamount le 25000')).toBe(true);
  });

  test('compares strings case-insensitively, with doubled quotes for a quote', () => {
    expect(matches("lastname eq 'LOVELACE'")).toBe(true);
    expect(matches("companyname eq 'o''brien & co'")).toBe(true);
    expect(matches("lastname gt 'Babbage'")).toBe(true);
  });

  test('treats null as a value only for eq and ne', () => {
    expect(matches('emailaddress1 eq null')).toBe(true);
    expect(matches('new_referralid ne null')).toBe(true);
    expect(matches("emailaddress1 gt 'a'")).toBe(false);
    expect(matches('null eq emailaddress1')).toBe(true);
  });

  test('reads bare GUIDs, dates and date-times', () => {
    expect(matches('_ownerid_value eq 11111111-2222-4333-8444-555555555555')).toBe(true);
    expect(matches('leadid eq 6B1F6D7E-0C2A-4E0B-9A41-1D2C3B4A5F60')).toBe(true);
    expect(matches('modifiedon ge 2025-02-01T00:00:00Z')).toBe(true);
    expect(matches('modifiedon lt 2025-02-03')).toBe(false);
    expect(matches('estimatedclosedate eq 2025-06-30')).toBe(true);
  });

  test('combines with and, or, not and parentheses by precedence', () => {
    expect(matches('statecode eq 1 or statecode eq 0 and statuscode eq 2')).toBe(true);
    expect(matches('(statecode eq 1 or statecode eq 0) and statuscode eq 1')).toBe(false);
    expect(matches('not (statecode eq 1)')).toBe(true);
    expect(matches('not statecode eq 0 or statuscode eq 2')).toBe(true);
  });

  test('flips the operator when the literal is on the left', () => {
    expect(matches('30000 gt estimatedamount')).toBe(true);
  });

  test('supports contains, startswith and endswith on text columns', () => {
    expect(matches("contains(lastname,'lace')")).toBe(true);
    expect(matches("startswith(new_referralid,'ref-')")).toBe(true);
    expect(matches("endswith(new_referralid,'1002')")).toBe(false);
  });

  test('reports syntax errors with their position', () => {
    expect(() => parseFilter('statecode eq')).toThrow(FilterSyntaxError);
    expect(() => parseFilter("lastname eq 'open")).toThrow(/Unterminated/);
    expect(() => parseFilter('statecode eq 0 an statuscode eq 1')).toThrow(/position 15/);
    expect(() => parseFilter('')).toThrow(FilterSyntaxError);
  });

  test('rejects unknown columns and incompatible literals as the service does', () => {
    expect(rejection('referal_id eq 1').message).toBe(
      "Could not find a property named 'referal_id' on type 'Microsoft.Dynamics.CRM.lead'.",
    );
    const mismatch = rejection("statecode eq 'open'");
    expect(mismatch.code).toBe('0x80060888');
    expect(mismatch.message).toContain("'Edm.Int32' and 'Edm.String'");
    expect(rejection("leadid eq '6b1f6d7e-0c2a-4e0b-9a41-1d2c3b4a5f60'").message).toContain('Edm.Guid');
  });
});
