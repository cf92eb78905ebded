import { describe, expect, test } from 'vitest';
import { formatKeyPredicate, parseResourcePath, ResourcePathError } from './odata-resource-path.ts';

describe('resource paths', () => {
  test('reads an entity set, a GUID key and a bound action', () => {
    expect(
      parseResourcePath('leads(6B1F6D7E-0C2A-4E0B-9A41-1D2C3B4A5F60)/Microsoft.Dynamics.CRM.QualifyLead'),
    ).toEqual({
      segment: 'leads',
      key: { kind: 'id', id: '6b1f6d7e-0c2a-4e0b-9a41-1d2c3b4a5f60' },
      rest: ['Microsoft.Dynamics.CRM.QualifyLead'],
    });
    expect(parseResourcePath('leads')).toEqual({ segment: 'leads', rest: [] });
    expect(parseResourcePath('WhoAmI()')).toEqual({ segment: 'WhoAmI', call: true, rest: [] });
  });

  test('reads URL-encoded alternate keys with doubled quotes, slashes and parentheses inside', () => {
    const path = `leads(new_referralid=${encodeURIComponent("'O''Brien/(1)'")})`;
    expect(parseResourcePath(path).key).toEqual({
      kind: 'alternate',
      values: { new_referralid: "O'Brien/(1)" },
    });
  });

  test('reads composite keys with string and number values', () => {
    expect(parseResourcePath("leads(new_source='acme',new_number=42)").key).toEqual({
      kind: 'alternate',
      values: { new_source: 'acme', new_number: 42 },
    });
  });

  test('refuses an unterminated key', () => {
    expect(() => parseResourcePath("leads(new_referralid='x)")).toThrow(ResourcePathError);
  });

  test('formats a key segment the way it parses', () => {
    expect(formatKeyPredicate({ new_referralid: "O'Brien" })).toBe("new_referralid='O''Brien'");
  });
});
