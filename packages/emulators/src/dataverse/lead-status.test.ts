import { describe, expect, test } from 'vitest';
import { statusOnCreate, statusOnUpdate } from './lead-status.ts';

describe('lead status rules', () => {
  test('a new lead starts Open/New and may start Contacted', () => {
    expect(statusOnCreate({})).toEqual({ ok: true, status: { statecode: 0, statuscode: 1 } });
    expect(statusOnCreate({ statuscode: 2 })).toEqual({ ok: true, status: { statecode: 0, statuscode: 2 } });
  });

  test('statecode is not valid on create, nor a closed statuscode', () => {
    expect(statusOnCreate({ statecode: 0 })).toEqual({
      ok: false,
      violation: { kind: 'statecode-on-create' },
    });
    expect(statusOnCreate({ statuscode: 3 })).toMatchObject({
      ok: false,
      violation: { kind: 'invalid-pair' },
    });
  });

  test('statecode alone gets the default status of that state', () => {
    const open = { statecode: 0, statuscode: 2 };
    expect(statusOnUpdate(open, { statecode: 2 })).toEqual({
      ok: true,
      status: { statecode: 2, statuscode: 4 },
    });
    expect(statusOnUpdate(open, { statecode: 1 })).toEqual({
      ok: true,
      status: { statecode: 1, statuscode: 3 },
    });
  });

  test('a pair from different states is refused', () => {
    expect(statusOnUpdate({ statecode: 0, statuscode: 1 }, { statecode: 0, statuscode: 5 })).toEqual({
      ok: false,
      violation: { kind: 'invalid-pair', statecode: 0, statuscode: 5 },
    });
  });

  test('statuscode alone moves to the state it belongs to', () => {
    expect(statusOnUpdate({ statecode: 0, statuscode: 1 }, { statuscode: 6 })).toEqual({
      ok: true,
      status: { statecode: 2, statuscode: 6 },
    });
  });

  test('an unknown statecode is refused', () => {
    expect(statusOnUpdate({ statecode: 0, statuscode: 1 }, { statecode: 9 })).toMatchObject({ ok: false });
  });
});
