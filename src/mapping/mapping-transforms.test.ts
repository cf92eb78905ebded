import { describe, expect, it } from 'vitest';
import { parseTransform, type Transform } from './mapping-transforms.ts';
import type { MappingWarning } from './mapping-warning.ts';
import type { MappingValue } from './referral-paths.ts';

function transform(config: unknown): Transform {
  const parsed = parseTransform(config);
  if ('problems' in parsed) throw new Error(JSON.stringify(parsed.problems));
  return parsed.transform;
}

function apply(config: unknown, value: MappingValue): { value: MappingValue; warnings: string[] } {
  const warnings: Omit<MappingWarning, 'field'>[] = [];
  return {
    value: transform(config).apply(value, (w) => warnings.push(w)),
    warnings: warnings.map((w) => w.code),
  };
}

const problemsOf = (config: unknown) => {
  const parsed = parseTransform(config);
  return 'problems' in parsed ? parsed.problems : [];
};

describe('mapping transforms', () => {
  it('default replaces nothing (null, blank text, an empty list) and keeps a value', () => {
    expect(apply({ default: 'Unknown' }, null).value).toBe('Unknown');
    expect(apply({ default: 'Unknown' }, '  ').value).toBe('Unknown');
    expect(apply({ default: 0 }, []).value).toBe(0);
    expect(apply({ default: 'Unknown' }, 'Contoso').value).toBe('Contoso');
    expect(apply({ default: 'Unknown' }, 0).value).toBe(0);
  });

  it('truncate cuts text to at most that many characters, without splitting a surrogate pair, and leaves numbers alone', () => {
    expect(apply({ truncate: 5 }, 'Northwind').value).toBe('North');
    expect(apply({ truncate: 2 }, 'a😀b').value).toBe('a');
    expect(apply({ truncate: 2 }, 250000).value).toBe(250000);
    expect(apply({ truncate: 3 }, ['abcd', 'ef']).value).toEqual(['abc', 'ef']);
  });

  it('upper and lower change the case of text, item by item in a list', () => {
    expect(apply('upper', 'eur').value).toBe('EUR');
    expect(apply('lower', 'ALEX@Contoso.example').value).toBe('alex@contoso.example');
    expect(apply('upper', ['a', null, 'b']).value).toEqual(['A', null, 'B']);
    expect(apply('lower', 42).value).toBe(42);
  });

  it('date takes the calendar date as written, and empties what is not a date with a warning', () => {
    expect(apply('date', '2025-09-30T23:30:00-07:00')).toEqual({ value: '2025-09-30', warnings: [] });
    expect(apply('date', '2025-02-30')).toEqual({ value: null, warnings: ['date_invalid'] });
    expect(apply('date', 'soon')).toEqual({ value: null, warnings: ['date_invalid'] });
    expect(apply('date', null)).toEqual({ value: null, warnings: [] });
  });

  it('lookup replaces listed values, keeps the others unless told otherwise, and passes null through', () => {
    const table = { lookup: { '1to10employees': 'Small', '251to1000employees': 'Medium' } };
    expect(apply(table, '251to1000employees').value).toBe('Medium');
    expect(apply(table, 'other').value).toBe('other');
    expect(apply({ ...table, otherwise: 'Large' }, 'other').value).toBe('Large');
    expect(apply({ ...table, otherwise: 'Large' }, null).value).toBeNull();
    expect(apply({ lookup: { '42': true } }, 42).value).toBe(true);
  });

  it('join puts the non-empty items of a list into one text, and an empty list becomes nothing', () => {
    expect(apply({ join: '; ' }, ['Retail', ' ', null, 'Banking']).value).toBe('Retail; Banking');
    expect(apply({ join: ', ' }, []).value).toBeNull();
    expect(apply({ join: ', ' }, 'one').value).toBe('one');
  });

  it('names an unknown transform and the one probably meant', () => {
    expect(problemsOf('uper')).toEqual([
      {
        path: [],
        problem:
          'unknown transform "uper" (did you mean upper?); transforms are default, truncate, upper, lower, date, lookup, join',
      },
    ]);
    expect(problemsOf({ trunc: 3 })[0]?.path).toEqual(['trunc']);
  });

  it.each([
    [{ truncate: 0 }, ['truncate']],
    [{ truncate: '10' }, ['truncate']],
    [{ join: 1 }, ['join']],
    [{ default: { nested: true } }, ['default']],
    [{ lookup: ['US'] }, ['lookup']],
    [{ lookup: { US: { name: 'United States' } } }, ['lookup', 'US']],
    [{ join: ', ', otherwise: 'x' }, ['otherwise']],
  ])('refuses the argument of %j', (config, path) => {
    expect(problemsOf(config).map((problem) => problem.path)).toEqual([path]);
  });

  it('refuses two transforms in one list item', () => {
    expect(problemsOf({ upper: null, truncate: 3 })[0]?.problem).toMatch(/give each its own list item/);
  });
});
