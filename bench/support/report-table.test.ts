import { describe, expect, it } from 'vitest';
import { formatValue, renderTable } from './report-table.ts';

describe('the results table', () => {
  it('shows each figure with its target and whether it is met', () => {
    const table = renderTable([
      {
        key: 'ingress.p99Ms',
        label: 'Ingress p99',
        unit: 'ms',
        comparison: '<=',
        threshold: 20,
        value: 43.2,
        met: false,
      },
      {
        key: 'footprint.readyMs',
        label: 'Ready',
        unit: 'ms',
        comparison: '<=',
        threshold: 1000,
        value: 640,
        met: true,
      },
      {
        key: 'backlog.throttled',
        label: '429s',
        unit: '',
        comparison: '<=',
        threshold: 0,
        value: null,
        met: null,
      },
    ]);
    expect(table.split('\n')).toEqual([
      '| figure | key | value | target | met |',
      '|---|---|---:|---:|:---:|',
      '| Ingress p99 | `ingress.p99Ms` | 43.2 ms | ≤ 20 ms | **no** |',
      '| Ready | `footprint.readyMs` | 640 ms | ≤ 1000 ms | yes |',
      '| 429s | `backlog.throttled` | not measured | ≤ 0 | – |',
    ]);
  });

  it('writes ratios with a times sign and small values with two decimals', () => {
    expect(formatValue(0.067, '×')).toBe('0.07×');
    expect(formatValue(4.04, 'calls')).toBe('4.04 calls');
  });
});
