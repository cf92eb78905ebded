import { describe, expect, it } from 'vitest';
import { applyJsonPatch, JsonPatchError, parseJsonPatch } from './json-patch.ts';

const doc = { details: { notes: 'a', dealValue: null }, team: [{ email: 'x' }], name: 'n' };

describe('JSON Patch subset', () => {
  it('replaces members case-insensitively and appends with add /-', () => {
    const patched = applyJsonPatch(
      doc,
      parseJsonPatch([
        { op: 'replace', path: '/Details/DealValue', value: 5 },
        { op: 'add', path: '/team/-', value: { email: 'y' } },
        { op: 'add', path: '/team/0', value: { email: 'w' } },
        { op: 'Replace', path: '/team/1/email', value: 'z' },
      ]),
    );
    expect(patched).toEqual({
      details: { notes: 'a', dealValue: 5 },
      team: [{ email: 'w' }, { email: 'z' }, { email: 'y' }],
      name: 'n',
    });
    expect(doc.team).toEqual([{ email: 'x' }]);
  });

  it('decodes ~1 and ~0 in paths', () => {
    expect(parseJsonPatch([{ op: 'add', path: '/a~1b/c~0d', value: 1 }])[0]?.path).toEqual(['a/b', 'c~d']);
  });

  it.each([
    [{ op: 'replace', path: '/name', value: 1 }, /JSON Patch array/],
    [[], /no operations/],
    [[{ op: 'remove', path: '/name' }], /'remove' is not supported/],
    [[{ op: 'replace', path: 'name', value: 1 }], /JSON Pointer/],
    [[{ op: 'replace', path: '/name' }], /'value' is required/],
  ])('refuses the malformed patch %j', (body, message) => {
    expect(() => parseJsonPatch(body)).toThrow(message);
  });

  it.each([
    [{ op: 'replace', path: '/missing', value: 1 }, /does not exist/],
    [{ op: 'replace', path: '/team/1', value: {} }, /outside the array/],
    [{ op: 'add', path: '/team/2', value: {} }, /outside the array/],
    [{ op: 'add', path: '/nope/deeper', value: 1 }, /does not exist/],
  ])('refuses %j against the document', (operation, message) => {
    expect(() => applyJsonPatch(doc, parseJsonPatch([operation]))).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, parseJsonPatch([operation]))).toThrow(message);
  });
});
