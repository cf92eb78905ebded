import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  defaultStatusMapping,
  defaultStatusTable,
  findStatusMappingProblems,
  resolveStatusMapping,
  StatusMappingInvalidError,
} from './status-mapping.ts';

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof StatusMappingInvalidError) return { code: error.code, problems: error.problems };
    throw error;
  }
  throw new Error('expected the mapping to be rejected');
}

describe('status mapping', () => {
  it('has a default table in which every row can apply', () => {
    expect(findStatusMappingProblems(defaultStatusTable)).toEqual([]);
  });

  it('resolves to the defaults without overrides', () => {
    expect(resolveStatusMapping()).toEqual(defaultStatusMapping);
  });

  it('overlays overrides row by row and keeps the other rows', () => {
    const mapping = resolveStatusMapping({
      table: { open: { 'New/Pending': 'Active/Accepted' } },
      writeStatusReason: false,
    });

    expect(mapping.table.open['New/Pending']).toBe('Active/Accepted');
    expect(mapping.table.open['New/Received']).toBe('keep');
    expect(mapping.table.disqualified).toEqual(defaultStatusTable.disqualified);
    expect(mapping.writeStatusReason).toBe(false);
    expect(mapping.replaceExternalReferenceId).toBe(true);
  });

  it('rejects a row that moves a referral backwards, naming it', () => {
    expect(
      problemsOf(() => resolveStatusMapping({ table: { open: { 'Active/Accepted': 'New/Pending' } } })),
    ).toEqual({
      code: 'status_mapping_invalid',
      problems: [{ code: 'illegal_transition', phase: 'open', from: 'Active/Accepted', to: 'New/Pending' }],
    });
  });

  it('rejects a row that changes a Closed referral', () => {
    expect(
      problemsOf(() => resolveStatusMapping({ table: { qualified: { 'Closed/Lost': 'Closed/Won' } } }))
        .problems,
    ).toEqual([{ code: 'closed_is_final', phase: 'qualified', from: 'Closed/Lost', to: 'Closed/Won' }]);
  });

  it('accepts a row that maps a pair to itself', () => {
    expect(() =>
      resolveStatusMapping({ table: { qualified: { 'Closed/Won': 'Closed/Won' } } }),
    ).not.toThrow();
  });

  it.each([
    ['an unknown phase', { table: { converted: {} } }],
    ['an unknown status pair', { table: { open: { 'New/Accepted': 'keep' } } }],
    ['an unknown target', { table: { open: { 'New/Pending': 'Accepted' } } }],
    ['an unknown option', { writeReason: true }],
  ])('rejects %s in the config', (_case, overrides) => {
    expect(() => resolveStatusMapping(overrides as never)).toThrow(ZodError);
  });
});
