/** The markdown table `npm run bench` prints and bench/README.md shows. Pure. */
import type { Verdict } from './targets.ts';

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return 'not measured';
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const number = value.toFixed(digits);
  return unit === '' ? number : unit === '×' ? `${number}×` : `${number} ${unit}`;
}

export function renderTable(verdicts: readonly Verdict[]): string {
  const rows = verdicts.map((v) => {
    const target = `${v.comparison === '<=' ? '≤' : '≥'} ${formatValue(v.threshold, v.unit)}`;
    const met = v.met === null ? '–' : v.met ? 'yes' : '**no**';
    return `| ${v.label} | \`${v.key}\` | ${formatValue(v.value, v.unit)} | ${target} | ${met} |`;
  });
  return ['| figure | key | value | target | met |', '|---|---|---:|---:|:---:|', ...rows].join('\n');
}
