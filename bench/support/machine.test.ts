import { describe, expect, it } from 'vitest';
import { cpuShares, readCpuTimes } from './machine.ts';

describe('machine CPU shares', () => {
  it('splits the time between readings into busy and stolen shares', () => {
    const before = { busy: 100, idle: 100, steal: 0 };
    const after = { busy: 160, idle: 130, steal: 10 };
    expect(cpuShares(before, after)).toEqual({ busy: 0.6, steal: 0.1 });
  });

  it('has no shares without two readings or without time between them', () => {
    const reading = { busy: 1, idle: 1, steal: 0 };
    expect(cpuShares(null, reading)).toBeNull();
    expect(cpuShares(reading, reading)).toBeNull();
  });

  it.runIf(process.platform === 'linux')('reads /proc/stat', () => {
    const times = readCpuTimes();
    expect(times?.busy).toBeGreaterThan(0);
    expect(times?.idle).toBeGreaterThanOrEqual(0);
  });
});
