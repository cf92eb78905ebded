import { describe, expect, it } from 'vitest';
import { cpuSpentMs } from './postgres-backend-cpu.ts';

describe('CPU of the database backends between two readings', () => {
  it('adds what each backend spent, counting one that appeared in between whole', () => {
    const before = new Map([
      [10, 1_000],
      [11, 500],
    ]);
    const after = new Map([
      [10, 1_250],
      [11, 500],
      [12, 40],
    ]);
    expect(cpuSpentMs(before, after)).toBe(290);
  });

  it('leaves out a backend that ended in between (its time is no longer readable)', () => {
    expect(cpuSpentMs(new Map([[10, 1_000]]), new Map())).toBe(0);
  });
});
