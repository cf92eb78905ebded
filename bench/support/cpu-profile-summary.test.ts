import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeCpuProfile } from './cpu-profile-summary.ts';

function profileFile(): string {
  const frame = (id: number, functionName: string, url: string) => ({
    id,
    callFrame: { functionName, url, lineNumber: 9 },
  });
  const profile = {
    nodes: [
      frame(1, '(root)', ''),
      frame(2, '(idle)', ''),
      frame(
        3,
        'inTransaction',
        'file:///x/node_modules/.cache/referral-connector-bench/src/store/sqlite/transaction.js',
      ),
      frame(4, 'parse', 'file:///x/node_modules/zod/v4/core/schemas.js'),
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [2, 3, 3, 4],
    timeDeltas: [1000, 3000, 3000, 3000],
  };
  const path = join(mkdtempSync(join(tmpdir(), 'profile-')), 'p.cpuprofile');
  writeFileSync(path, JSON.stringify(profile));
  return path;
}

describe('CPU profile summary', () => {
  it('adds self time per area, naming compiled connector files by their source folder', () => {
    const summary = summarizeCpuProfile(profileFile());
    expect(summary.totalMs).toBe(10);
    expect(summary.busyShare).toBeCloseTo(0.9);
    expect(summary.areas.map((a) => [a.name, a.selfMs])).toEqual([
      ['src/store', 6],
      ['zod', 3],
      ['(idle)', 1],
    ]);
    expect(summary.functions[0]?.name).toBe('inTransaction src/store/sqlite/transaction.js:10');
  });
});
