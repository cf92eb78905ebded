/**
 * Rules that make the organization refuse some lead writes, the way a synchronous plug-in registered on
 * Create and Update of lead (pre-operation) does: it throws InvalidPluginExecutionException, and the Web
 * API answers 400 with the platform code 0x80040265 ("ISV code aborted the operation") and the plug-in's
 * own message. Pure: which rule, if any, a row as it would be stored breaks.
 */
import type { ColumnValue, EntitySchema, Row } from './entity-schema.ts';

export type LeadRejectionRule = {
  /** Logical name of a lead column. */
  column: string;
  /** Strings compare case-insensitively, like the database collation a plug-in's query would use. */
  equals: ColumnValue;
  /** What the plug-in says; shown to the caller as the error message. */
  message: string;
};

/** A rule list is checked as a whole before it is installed, so a typo fails the knob, not every write. */
export function readLeadRejectionRules(input: unknown, schema: EntitySchema): LeadRejectionRule[] {
  if (!Array.isArray(input)) throw new TypeError('rejectLeads must be an array of {column, equals, message}');
  return input.map((item, index) => {
    const rule = (item ?? {}) as Partial<Record<keyof LeadRejectionRule, unknown>>;
    if (typeof rule.column !== 'string' || !schema.columns.has(rule.column))
      throw new TypeError(`rejectLeads[${index}].column must name a lead column`);
    if (typeof rule.message !== 'string' || rule.message === '')
      throw new TypeError(`rejectLeads[${index}].message must be a non-empty string`);
    const equals = rule.equals;
    if (!(equals === null || ['string', 'number', 'boolean'].includes(typeof equals)))
      throw new TypeError(`rejectLeads[${index}].equals must be a string, number, boolean or null`);
    return { column: rule.column, equals: equals as ColumnValue, message: rule.message };
  });
}

/** The first rule the row (every column as it would be stored after the write) breaks. */
export function findRejection(rules: readonly LeadRejectionRule[], row: Row): LeadRejectionRule | undefined {
  return rules.find((rule) => sameValue(row[rule.column] ?? null, rule.equals));
}

function sameValue(actual: ColumnValue, expected: ColumnValue): boolean {
  if (typeof actual === 'string' && typeof expected === 'string')
    return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}
